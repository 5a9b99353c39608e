"""A validated immersion with its beneficiary, counsellor and host administrator."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from immersio.accounts.models import User
from immersio.conventions.models import Convention, Status
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.conventions.builders import valid_convention
from tests.structures.factories import HostStructureFactory


@dataclass
class Immersion:
    convention: Convention
    beneficiary: User
    counsellor: User
    host_admin: User


def immersion(
    *, start: date | None = None, days: int = 5, email: str = "", status: str = Status.VALIDATED
) -> Immersion:
    """A validated convention (started 2 days ago by default, ``days`` long) whose
    beneficiary has an account (by their address)."""
    start = start or timezone.localdate() - timedelta(days=2)
    beneficiary = UserFactory(email=email) if email else UserFactory()
    counsellor, host_admin = UserFactory(), UserFactory()
    agency = AgencyFactory(counsellor=counsellor)
    structure = HostStructureFactory(with_site=True, admin=host_admin)
    convention = valid_convention(
        agency=agency, structure=structure, beneficiary_email=beneficiary.email.upper()
    )
    Convention.objects.filter(pk=convention.pk).update(
        status=status,
        validated_at=timezone.now() if status == Status.VALIDATED else None,
        submitted_at=timezone.now(),
        date_start=start,
        date_end=start + timedelta(days=days - 1),
    )
    convention.refresh_from_db()
    return Immersion(convention, beneficiary, counsellor, host_admin)
