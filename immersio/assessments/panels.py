"""What the assessment adds to the pages of conventions (``conventions.hooks``)."""

from django.urls import reverse
from django.utils import timezone

from . import selectors
from .followup import agency_of
from .models import AssessmentEvent
from .rules import RENEWAL_MESSAGE_MAX

#: The step of the convention form a renewal's draft opens on: its new dates.
DATES_STEP = "horaires"


def review_section(user, convention) -> dict | None:
    """The assessment's section of the prescriber's page: its state, its content, and
    for the agency's team « Remplir à la place du tuteur », correct, send the link again,
    and « Préparer le renouvellement » when the assessment allows one."""
    if not selectors.may_be_assessed(convention, timezone.localdate()):
        return None
    assessment = selectors.of_conventions([convention]).get(convention.pk)
    is_member = selectors.is_agency_member(user, convention)
    # No query before there is a PDF; the agency's team may read it (``may_read_document``).
    pdf_url = selectors.pdf_url(assessment)
    context = {
        "template": "assessments/includes/review_panel.html",
        "assessment": assessment,
        "is_member": is_member,
        "fill_url": reverse("assessments:fill", kwargs={"public_id": convention.public_id}),
        "objective_rows": [],
        "skill_rows": [],
        "events": [],
        "pdf_url": (
            pdf_url
            if pdf_url and (is_member or selectors.may_read_document(user, convention))
            else ""
        ),
    }
    context["renewal"] = renewal_context(convention, assessment)
    context["renew_url"] = reverse("assessments:renew", kwargs={"public_id": convention.public_id})
    context["decline_url"] = reverse(
        "assessments:decline_renewal", kwargs={"public_id": convention.public_id}
    )
    context["decline_max"] = RENEWAL_MESSAGE_MAX
    if assessment is not None:
        context["objective_rows"] = selectors.objective_rows(assessment)
        context["skill_rows"] = selectors.skill_rows(assessment)
        # The beneficiary's request has its own place (« Renouvellement », with the message).
        context["events"] = list(
            assessment.events.select_related(None)
            .exclude(
                action__in=[
                    AssessmentEvent.Action.RENEWAL_ASKED,
                    AssessmentEvent.Action.RENEWAL_DECLINED,
                ]
            )
            .order_by("at", "pk")
        )
    return context


def mine_links(user, conventions) -> dict[int, list[tuple[str, str]]]:
    """« Lire et signer le bilan » on the beneficiary's rows, and « Demander un
    renouvellement » while they may (three queries for the page at most)."""
    email = (getattr(user, "email", "") or "").lower()
    own = [c for c in conventions if email and (c.beneficiary_email or "").lower() == email]
    by_pk = {c.pk: c for c in own}
    found = {}
    assessments = selectors.of_conventions(own)
    may_ask = selectors.renewal_may_be_asked(
        [(by_pk[pk], assessment) for pk, assessment in assessments.items()]
    )
    for pk, assessment in assessments.items():
        if not assessment.is_filled or assessment.is_no_show:
            continue
        label = "Signer le bilan de l'immersion" if assessment.to_cosign else "Lire le bilan"
        url = reverse("assessments:mine", kwargs={"public_id": by_pk[pk].public_id})
        found[pk] = [(label, url)]
        if pk in may_ask:
            found[pk].append(("Demander un renouvellement", url + "#renouvellement"))
    return found


def space_links(user, agency) -> list[tuple[str, str, str]]:
    """« Suivi des immersions » in the agency's space, for its members."""
    if agency_of(user, agency.public_id) is None:
        return []
    url = reverse("assessments:followup", kwargs={"agency": agency.public_id})
    return [
        (
            "Suivi des immersions",
            url,
            "Les immersions qui se terminent, les bilans qui manquent, les suites et l'export.",
        )
    ]


def renewal_context(convention, assessment) -> dict | None:
    """Where the renewal stands, for the agency's and the beneficiary's pages: None until
    the assessment is filled; else the state (``selectors.Renewal``) and the renewal's
    link (its draft, or its page once sent)."""
    if assessment is None or not assessment.is_filled:
        return None
    state = selectors.renewal_of(convention, assessment)
    link = ""
    if state.renewal is not None:
        if state.renewal.is_draft:
            link = reverse(
                "conventions:step", kwargs={"token": state.renewal.share_token, "step": DATES_STEP}
            )
        else:
            link = reverse("conventions:review", kwargs={"public_id": state.renewal.public_id})
    return {"state": state, "link": link}
