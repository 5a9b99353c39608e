"""Read-side helpers for structures: capacity as the rules see it, their administrators,
the words shown about a pause. The links sent by e-mail are read in ``team``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone

from immersio.accounts.models import User
from immersio.core.dates import format_day
from immersio.core.validators import normalize_siret

from . import rules
from .errors import NoFreeBit
from .models import HostStructure, ReceivedRequest, StructureMembership

if TYPE_CHECKING:
    from immersio.accounts.models import User

MAX_BIT = 62


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
) -> dict[int, rules.Availability]:
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


def active_admins(structure: HostStructure) -> list[User]:
    """The people who administer ``structure`` now (active accounts, active memberships)."""
    memberships = StructureMembership.objects.filter(
        structure=structure,
        role=StructureMembership.Role.ADMIN,
        is_active=True,
        user__is_active=True,
    ).select_related("user")
    return [membership.user for membership in memberships.order_by("pk")]


def active_structure_with_siret(siret: str) -> HostStructure | None:
    """The structure that holds ``siret`` now (published or suspended), if any."""
    return (
        HostStructure.objects.filter(siret=normalize_siret(siret))
        .exclude(status__in=[HostStructure.Status.CLOSED, HostStructure.Status.PENDING])
        .first()
    )


def next_free_bit(model: type[models.Model]) -> int:
    """The lowest search-index bit (0 to 62) that no row of ``model`` (Cause, Network)
    uses yet."""
    used = set(model.objects.values_list("bit", flat=True))
    for bit in range(MAX_BIT + 1):
        if bit not in used:
            return bit
    raise NoFreeBit


def describe_pause(structure: HostStructure) -> str:
    if not structure.is_paused:
        return ""
    return f"En pause jusqu'au {format_day(structure.paused_until, 'j F Y')} inclus."
