"""Reading assessments: who may do what, what the rules need, what a page shows."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from immersio.accounts.models import User
from immersio.conventions.models import DRAFT_LIFETIME, Convention
from immersio.conventions.selectors import roles_of
from immersio.conventions.transitions import AGENCY, Status
from immersio.structures.models import StructureMembership

from .models import Assessment, AssessmentEvent
from .rules import Achievement, ConventionFacts, Level, objectives_not_met


def facts_of(convention: Convention) -> ConventionFacts:
    return ConventionFacts(
        date_start=convention.date_start,
        date_end=convention.date_end,
        schedule=convention.schedule(),
        objectives=convention.objective_list(),
    )


def is_agency_member(user: User, convention: Convention) -> bool:
    """A conseiller or valideur of the convention's agency (who may fill in place of the
    tutor, send the link again and correct)."""
    return bool(roles_of(user, convention) & AGENCY)


def is_beneficiary(user: User, convention: Convention) -> bool:
    """The person whose address is the beneficiary's (every login proves the address)."""
    email = getattr(user, "email", "") or ""
    return (
        getattr(user, "is_authenticated", False)
        and bool(email)
        and email.lower() == (convention.beneficiary_email or "").lower()
    )


def may_be_assessed(convention: Convention, today: date) -> bool:
    """Validated, still in force, ended (or ending today), not archived."""
    return (
        convention.status == Status.VALIDATED
        and convention.replaced_at is None
        and convention.archived_at is None
        and convention.anonymised_at is None
        and convention.date_end is not None
        and convention.date_end <= today
    )


def visible_to(user: User) -> QuerySet[Assessment]:
    """The assessments of the conventions ``user`` may read."""
    return Assessment.objects.filter(convention__in=Convention.objects.visible_to(user))


def of_conventions(conventions: Iterable[Convention]) -> dict[int, Assessment]:
    """Convention pk → its assessment, in one query."""
    pks = [c.pk for c in conventions]
    return {a.convention_id: a for a in Assessment.objects.filter(convention_id__in=pks)}


def objective_rows(assessment: Assessment) -> list[dict]:
    """The objectives with their result's label, for the pages and e-mails."""
    labels = dict(Achievement.choices)
    return [
        {**row, "label": labels.get(row.get("result", ""), "")}
        for row in assessment.objectives or []
    ]


def skill_rows(assessment: Assessment) -> list[dict]:
    labels = dict(Level.choices)
    return [
        {**row, "label": labels.get(row.get("level", ""), "")} for row in assessment.skills or []
    ]


def may_read_document(user: User, convention: Convention) -> bool:
    """Who may download the PDF of a convention's assessment: the agency's team, the
    beneficiary, the tutor, the host's representative and the members of the host
    structure (an archived convention: its agency only, as ``Convention.visible_to``).
    Nobody else, not even the staff."""
    if not getattr(user, "is_authenticated", False) or convention.anonymised_at is not None:
        return False
    if is_agency_member(user, convention):
        return True
    if convention.archived_at is not None:
        return False
    email = (user.email or "").lower()
    parties = {
        (address or "").lower()
        for address in (
            convention.beneficiary_email,
            convention.tutor_email,
            convention.host_rep_email,
        )
    }
    if email and email in parties:
        return True
    return bool(
        convention.structure_id
        and StructureMembership.objects.filter(
            structure_id=convention.structure_id, user=user, is_active=True
        ).exists()
    )


def is_signed(assessment: Assessment) -> bool:
    """Filled by the tutor (or the conseiller in their place) and co-signed by the
    beneficiary (agreeing or not): the only assessments that get a PDF."""
    return assessment.is_filled and assessment.cosigned_at is not None


def pdf_url(assessment: Assessment | None) -> str:
    """The page's link to the newest PDF of a signed assessment, else ""."""
    if assessment is None or not is_signed(assessment):
        return ""
    return reverse("assessments:pdf", kwargs={"public_id": assessment.convention.public_id})


# --- renewal (D5135-3) -----------------------------------------------------------------


def says_objectives_not_met(convention: Convention) -> bool | None:
    """What the assessment of ``convention`` says for its renewal
    (``conventions.hooks.objectives_not_met``): None while it is not filled; else True
    when at least one objective is not (fully) met (``rules.objectives_not_met``), False
    otherwise (a no-show evaluates no objective).

    A filled assessment counts, co-signed or not: the evaluation is the tutor's (D5135-5);
    the beneficiary's co-signature says whether they agree, and waiting for it would let a
    missing signature block a renewal. A correction by the agency counts at once (the
    rules read the assessment as it is when they run)."""
    assessment = Assessment.objects.filter(convention=convention).only(
        "filled_at", "outcome", "objectives"
    )
    found = assessment.first()
    if found is None or not found.is_filled:
        return None
    return objectives_not_met(found.objectives or [])


@dataclass(frozen=True)
class Renewal:
    """Where the renewal of a convention stands, for its assessment's pages.

    ``renewal``: the convention renewing it (the open draft, or the one sent), if any;
    ``request``: the beneficiary's request (an ``AssessmentEvent``), if any; ``refusal``:
    why a renewal may not be asked or prepared (French), empty when it may."""

    renewal: Convention | None
    request: AssessmentEvent | None
    refusal: str
    #: The agency's answer that a renewal is not possible (its ``reason``), if any.
    declined: AssessmentEvent | None = None

    @property
    def possible(self) -> bool:
        return not self.refusal

    @property
    def may_be_asked(self) -> bool:
        """The beneficiary may still ask for it: possible, not asked, not being prepared."""
        return self.possible and self.request is None and self.renewal is None


OBJECTIVES_MET = (
    "Le bilan n'indique aucun objectif non atteint : un renouvellement n'est possible que "
    "si au moins un objectif n'a pas été atteint."
)
NOT_FILLED = "Le bilan n'est pas encore rempli : un renouvellement attend le bilan."
IS_RENEWAL = (
    "Cette immersion est déjà un renouvellement : une immersion ne se renouvelle qu'une fois."
)
BEING_PREPARED = (
    "Votre conseiller ou votre conseillère prépare déjà ce renouvellement : vous recevrez "
    "la nouvelle convention à signer."
)
ALREADY_RENEWED = "Cette immersion a déjà été renouvelée : elle ne se renouvelle qu'une fois."


def renewal_of(convention: Convention, assessment: Assessment | None) -> Renewal:
    """The renewal of ``convention`` (an original whose ``assessment`` is given): three
    queries at most, for one page."""
    renewals = list(
        Convention.objects.filter(renewal_root_id=convention.renewal_root_id or convention.pk)
        .exclude(pk=convention.pk)
        .only("pk", "public_id", "share_token", "status", "updated_at", "submitted_at")
        .order_by("created_at", "pk")
    )
    sent = next((c for c in renewals if not c.is_draft), None)
    open_drafts = [c for c in renewals if c.is_draft and not c.is_expired()]
    renewal = sent or (open_drafts[0] if open_drafts else None)
    request = declined = None
    if assessment is not None:
        answers = assessment.events.filter(
            action__in=[
                AssessmentEvent.Action.RENEWAL_ASKED,
                AssessmentEvent.Action.RENEWAL_DECLINED,
            ]
        ).order_by("at", "pk")
        for event in answers:
            if event.action == AssessmentEvent.Action.RENEWAL_ASKED:
                request = request or event
            else:
                declined = declined or event
    if convention.is_renewal:
        refusal = IS_RENEWAL
    elif sent is not None:
        refusal = ALREADY_RENEWED
    elif assessment is None or not assessment.is_filled:
        refusal = NOT_FILLED
    elif not objectives_not_met(assessment.objectives or []):
        refusal = OBJECTIVES_MET
    else:
        refusal = ""
    return Renewal(renewal=renewal, request=request, refusal=refusal, declined=declined)


def renewal_may_be_asked(pairs: list[tuple[Convention, Assessment]]) -> set[int]:
    """The pks of the conventions whose beneficiary may still ask for a renewal
    (``Renewal.may_be_asked``), for a whole page: two queries at most."""
    candidates = {
        convention.pk: assessment
        for convention, assessment in pairs
        if not convention.is_renewal
        and assessment.is_filled
        and objectives_not_met(assessment.objectives or [])
    }
    if not candidates:
        return set()
    open_or_sent = ~Q(status=Status.DRAFT) | Q(updated_at__gt=timezone.now() - DRAFT_LIFETIME)
    renewed = set(
        Convention.objects.filter(open_or_sent, renewal_root_id__in=candidates).values_list(
            "renewal_root_id", flat=True
        )
    )
    asked = set(
        AssessmentEvent.objects.filter(
            assessment__in=candidates.values(), action=AssessmentEvent.Action.RENEWAL_ASKED
        ).values_list("assessment__convention_id", flat=True)
    )
    return set(candidates) - renewed - asked
