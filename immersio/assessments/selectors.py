"""Reading assessments: who may do what, what the rules need, what a page shows."""

from collections.abc import Iterable
from datetime import date

from django.db.models import QuerySet
from django.urls import reverse

from immersio.accounts.models import User
from immersio.conventions.models import Convention
from immersio.conventions.selectors import roles_of
from immersio.conventions.transitions import AGENCY, Status
from immersio.structures.models import StructureMembership

from .models import Assessment, AssessmentDocument
from .rules import Achievement, ConventionFacts, Level


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


def latest_document(assessment: Assessment | None) -> AssessmentDocument | None:
    """The newest PDF of ``assessment`` (None before the signature or the rendering)."""
    if assessment is None or assessment.pk is None:
        return None
    return assessment.documents.order_by("-number").first()


def is_signed(assessment: Assessment) -> bool:
    """Filled by the tutor (or the conseiller in their place) and co-signed by the
    beneficiary (agreeing or not): the only assessments that get a PDF."""
    return assessment.is_filled and assessment.cosigned_at is not None


def pdf_url(assessment: Assessment | None) -> str:
    """The page's link to the newest PDF of a signed assessment, else ""."""
    if assessment is None or not is_signed(assessment):
        return ""
    return reverse("assessments:pdf", kwargs={"public_id": assessment.convention.public_id})
