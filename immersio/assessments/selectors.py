"""Reading assessments: who may do what, what the rules need, what a page shows."""

from collections.abc import Iterable
from datetime import date

from django.db.models import QuerySet

from immersio.accounts.models import User
from immersio.conventions.models import Convention
from immersio.conventions.selectors import roles_of
from immersio.conventions.transitions import AGENCY, Status

from .models import Assessment
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
