"""Assessments in tests: a validated convention that ended, with its agency's team."""

import itertools
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from immersio.accounts.models import User
from immersio.assessments.models import Assessment
from immersio.assessments.rules import Achievement, Answers, ObjectiveResult, Outcome
from immersio.conventions.models import Convention
from immersio.conventions.transitions import Status
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.conventions.builders import valid_convention

OBJECTIVES = "Découvrir les gestes du maraîchage\nÉvaluer mon goût pour le travail dehors"


_numbers = itertools.count(1)


@dataclass
class Ended:
    convention: Convention
    counsellor: User
    beneficiary: User

    def assessment(self) -> Assessment:
        return Assessment.objects.get(convention=self.convention)


def ended_convention(*, days_ago: int = 0, with_account: bool = True, **changes) -> Ended:
    """A validated convention of five days (Monday to Friday, 7 h a day) whose last day
    is ``days_ago`` days before today."""
    counsellor = UserFactory(first_name="Claire", last_name="Conseil")
    agency = changes.pop("agency", None) or AgencyFactory(counsellor=counsellor)
    end = timezone.localdate() - timedelta(days=days_ago)
    fields = {
        "beneficiary_email": f"camille.{next(_numbers)}@exemple.fr",
        "status": Status.VALIDATED,
        "submitted_at": timezone.now() - timedelta(days=30),
        "validated_at": timezone.now() - timedelta(days=20),
        "objectives": OBJECTIVES,
        "skills": "Semer\nRécolter",
        "date_start": end - timedelta(days=4),
        "date_end": end,
        "weekly_pattern": {str(d): [["08:00", "12:00"], ["13:00", "16:00"]] for d in range(7)},
    }
    convention = valid_convention(agency=agency, **(fields | changes))
    beneficiary = UserFactory(email=convention.beneficiary_email) if with_account else None
    return Ended(convention, counsellor, beneficiary)


def completed(convention: Convention, **changes) -> Answers:
    values = {
        "outcome": Outcome.COMPLETED,
        "objectives": tuple(
            ObjectiveResult(objective=o, result=Achievement.MET)
            for o in convention.objective_list()
        ),
        "appreciation": "Ponctuelle et curieuse.",
    }
    return Answers(**(values | changes))
