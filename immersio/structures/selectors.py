"""Read-side helpers for structures: capacity as the rules see it, their administrators."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from immersio.accounts.models import User

from . import rules
from .models import HostStructure, ReceivedRequest, StructureMembership


def _window_start(now: datetime) -> datetime:
    return min(rules.month_start(now), now - rules.ROLLING_WINDOW)


def availability_for(
    structure: HostStructure, *, now: datetime | None = None
) -> rules.Availability:
    """Capacity of one structure at ``now`` (local time): counts and blocking date."""
    now = timezone.localtime(now or timezone.now())
    received = list(
        ReceivedRequest.objects.filter(
            structure=structure, received_at__gte=_window_start(now), received_at__lte=now
        ).values_list("received_at", flat=True)
    )
    return rules.availability(
        max_per_month=structure.max_requests_per_month,
        received=[timezone.localtime(moment) for moment in received],
        now=now,
    )


def availability_by_structure(
    structures: Iterable[HostStructure], *, now: datetime | None = None
) -> dict[int, "rules.Availability"]:
    """The same for many structures with one query (used when reindexing in bulk)."""
    now = timezone.localtime(now or timezone.now())
    structures = list(structures)
    received: dict[int, list[datetime]] = defaultdict(list)
    rows = ReceivedRequest.objects.filter(
        structure__in=[s.pk for s in structures],
        received_at__gte=_window_start(now),
        received_at__lte=now,
    ).values_list("structure_id", "received_at")
    for structure_id, moment in rows:
        received[structure_id].append(timezone.localtime(moment))
    return {
        s.pk: rules.availability(
            max_per_month=s.max_requests_per_month, received=received[s.pk], now=now
        )
        for s in structures
    }


def active_admins(structure: HostStructure) -> list:
    """The people who administer ``structure`` now (active accounts, active memberships)."""
    memberships = StructureMembership.objects.filter(
        structure=structure,
        role=StructureMembership.Role.ADMIN,
        is_active=True,
        user__is_active=True,
    ).select_related("user")
    return [membership.user for membership in memberships.order_by("pk")]


def landing_page(user: User) -> str | None:
    """« Mon espace structure » for a structure's member (see ``accounts.hooks``)."""
    if StructureMembership.objects.for_user(user).exists():
        return reverse("structures:space")
    return None
