"""Extension points of conventions, filled by higher apps in their ``AppConfig.ready()``."""

from collections.abc import Callable

from immersio.accounts.models import User
from immersio.core.hooks import Hook

from .models import Convention

#: Further sections at the top of « Mes conventions » (the journal lists the carnets and
#: bilans of the person's immersions, found by their address: a beneficiary may not see the
#: convention itself there): each function returns None or {"template": …, **context}.
mine_sections: Hook[Callable[[User], dict | None]] = Hook("sections de « Mes conventions »")

#: Further sections of the review page of a convention (the assessment, what the
#: beneficiary shares with the agency), in the order the apps registered them: each
#: function returns None or {"template": …, **context}; the template reads ``section``.
review_sections: Hook[Callable[[User, Convention], dict | None]] = Hook(
    "sections de la page d'une convention (espace prescripteur)"
)

#: ``function(user, conventions) -> {convention pk: [(label, url)]}``: links of « Mes
#: conventions », one query for the whole page.
mine_links: Hook = Hook("liens des lignes de « Mes conventions »")

#: What comes next for the beneficiaries of some conventions, as far as they shared it
#: with their agency (the journal's action plan): ``function(convention pks) -> {convention
#: pk: {NEXT_TRAINING, NEXT_IMMERSION, …}}``, one query for the whole list. The agency's
#: follow-up (``assessments.followup``) reads it to classify outcomes.
NEXT_TRAINING = "formation"
NEXT_IMMERSION = "immersion"
shared_next_steps: Hook[Callable[[list[int]], dict[int, set[str]]]] = Hook(
    "suites partagées par les bénéficiaires"
)

#: ``function(convention) -> bool | None``: what the assessment of ``convention`` says of
#: its objectives, for the renewal rule (D5135-3): True when at least one is not met,
#: False when none is, None when there is no filled assessment yet. The first answer that
#: is not None counts; without any, a renewal waits for an assessment.
objectives_not_met: Hook[Callable[[Convention], bool | None]] = Hook(
    "objectifs non atteints selon le bilan (renouvellement)"
)
