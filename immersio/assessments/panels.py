"""What the assessment adds to the pages of conventions (``conventions.hooks``)."""

from django.urls import reverse
from django.utils import timezone

from . import selectors
from .followup import agency_of


def review_section(user, convention) -> dict | None:
    """The assessment's section of the prescriber's page: its state, its content, and
    for the agency's team « Remplir à la place du tuteur », correct, send the link again."""
    if not selectors.may_be_assessed(convention, timezone.localdate()):
        return None
    assessment = selectors.of_conventions([convention]).get(convention.pk)
    context = {
        "template": "assessments/includes/review_panel.html",
        "assessment": assessment,
        "is_member": selectors.is_agency_member(user, convention),
        "fill_url": reverse("assessments:fill", kwargs={"public_id": convention.public_id}),
        "objective_rows": [],
        "skill_rows": [],
        "events": [],
        "pdf_url": (
            selectors.pdf_url(assessment) if selectors.may_read_document(user, convention) else ""
        ),
    }
    if assessment is not None:
        context["objective_rows"] = selectors.objective_rows(assessment)
        context["skill_rows"] = selectors.skill_rows(assessment)
        context["events"] = list(assessment.events.select_related(None).order_by("at", "pk"))
    return context


def mine_links(user, conventions) -> dict[int, list[tuple[str, str]]]:
    """« Lire et signer le bilan » on the beneficiary's rows (one query for the page)."""
    email = (getattr(user, "email", "") or "").lower()
    own = [c for c in conventions if email and (c.beneficiary_email or "").lower() == email]
    by_pk = {c.pk: c for c in own}
    found = {}
    for pk, assessment in selectors.of_conventions(own).items():
        if not assessment.is_filled or assessment.is_no_show:
            continue
        label = "Signer le bilan de l'immersion" if assessment.to_cosign else "Lire le bilan"
        url = reverse("assessments:mine", kwargs={"public_id": by_pk[pk].public_id})
        found[pk] = [(label, url)]
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
