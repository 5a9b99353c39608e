"""Events for the tests: ``make_event(**fields)`` (published, in Lyon, in ten days by
default) and ``member()`` (a structure with a person in its team)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from immersio.events.models import Event, Kind, Status
from immersio.referentials.previews import lyon
from tests.accounts.factories import UserFactory
from tests.structures.factories import HostStructureFactory, MembershipFactory


def soon(days: int = 10, hour: int = 9):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def make_event(**fields) -> Event:
    commune = fields.pop("commune") if "commune" in fields else lyon()
    start = fields.pop("starts_at", None) or soon()
    defaults = {
        "title": "Forum de l'emploi solidaire",
        "kind": Kind.FORUM,
        "description": "Des structures de l'ESS présentent leurs métiers.",
        "starts_at": start,
        "ends_at": start + timedelta(hours=8),
        "address": "Place Bellecour",
        "commune": commune,
        "latitude": commune.latitude if commune else None,
        "longitude": commune.longitude if commune else None,
        "organiser_name": "CRESS Auvergne-Rhône-Alpes",
        "status": Status.PUBLISHED,
        "published_at": timezone.now(),
    }
    values = defaults | fields
    if values.get("commune") is None:
        values.update(latitude=None, longitude=None, address="")
    return Event.objects.create(**values)


def member(**structure_fields):
    """(structure, person of its team)."""
    structure = HostStructureFactory(**structure_fields)
    user = UserFactory()
    MembershipFactory(structure=structure, user=user, role="admin")
    return structure, user
