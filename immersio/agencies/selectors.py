"""Reading agencies: the nearest ones to a point (directory, convention form), whether
one may create conventions, the delegation reminders due. The links sent by e-mail are
read in ``team``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from immersio.accounts.models import User
from immersio.core.dates import format_day
from immersio.core.geo import bounding_box, haversine_km
from immersio.core.validators import normalize_siret
from immersio.notifications.base import Recipient

from .models import Agency, AgencyMembership

Status = Agency.Status
Kind = Agency.Kind

DEFAULT_RADIUS_KM = 30
RADII_KM = (5, 10, 20, 30, 50, 100)


@dataclass(frozen=True)
class NearbyAgency:
    agency: Agency
    distance_km: float


def nearest_agencies(
    latitude: float,
    longitude: float,
    kinds: Iterable[str] | None = None,
    limit: int | None = 10,
    radius_km: float | None = None,
) -> list[NearbyAgency]:
    """Active agencies sorted nearest first (ties by name), optionally of ``kinds`` and
    within ``radius_km``; at most ``limit`` (None: all)."""
    queryset = Agency.objects.active().select_related("commune")
    if kinds:
        queryset = queryset.filter(kind__in=list(kinds))
    if radius_km is not None:
        lat_min, lat_max, lon_min, lon_max = bounding_box(latitude, longitude, radius_km)
        queryset = queryset.filter(latitude__gte=lat_min, latitude__lte=lat_max)
        if lon_min is not None:
            queryset = queryset.filter(longitude__gte=lon_min, longitude__lte=lon_max)
    agencies = list(queryset)
    if not agencies:
        return []
    distances = haversine_km(
        latitude,
        longitude,
        np.array([a.latitude for a in agencies], dtype=float),
        np.array([a.longitude for a in agencies], dtype=float),
    )
    found = [
        NearbyAgency(agency=agency, distance_km=float(distance))
        for agency, distance in zip(agencies, distances, strict=True)
        if radius_km is None or distance <= radius_km
    ]
    found.sort(key=lambda hit: (hit.distance_km, hit.agency.name.lower(), hit.agency.pk))
    return found if limit is None else found[:limit]


def open_agency_with_siret(siret: str) -> Agency | None:
    """An agency with this SIRET, active or waiting for activation."""
    return (
        Agency.objects.filter(siret=normalize_siret(siret))
        .filter(status__in=[Status.ACTIVE, Status.PENDING])
        .exclude(registration__confirmed_at=None, status=Status.PENDING)
        .first()
    )


# Delegation --------------------------------------------------------------------------

# (field, offset before the end date, French words); checked from the latest to the
# earliest so that one run sends at most the most urgent reminder still due.
#: (field recording it, how long before the end, code): the e-mail template says each
#: code in words (``agency_delegation_reminder``), the command in its own.
REMINDERS = (
    ("reminder_1_day_at", relativedelta(days=1), "1_day"),
    ("reminder_1_month_at", relativedelta(months=1), "1_month"),
    ("reminder_3_months_at", relativedelta(months=3), "3_months"),
)


def can_create_conventions(agency: Agency, on: date | None = None) -> tuple[bool, str]:
    """Whether ``agency`` may create a convention on ``on`` (today by default), and why
    not, in French."""
    on = on or timezone.localdate()
    if agency.status != Status.ACTIVE:
        return False, f"{agency.name} n'est pas actif sur Immersio."
    if agency.kind == Kind.CONVENTIONNEE:
        end = agency.delegation_end_date
        delegating = agency.delegating_agency
        who = delegating.name if delegating else "l'agence qui vous a délégué la prescription"
        if end is None:
            return False, (
                f"La délégation de {agency.name} n'a pas de date de fin enregistrée : "
                f"demandez à {who} de la confirmer."
            )
        if on > end:
            return False, (
                f"La délégation de prescription de {agency.name} a pris fin le "
                f"{format_day(end, 'j F Y')} : demandez à {who} de la renouveler avant de "
                "créer une convention."
            )
        if delegating is not None and delegating.status != Status.ACTIVE:
            return (
                False,
                f"{delegating.name}, qui vous a délégué la prescription, n'est plus actif.",
            )
    if agency.kind == Kind.ACCOMPAGNEMENT:
        referring = agency.referring_agency
        if referring is None or referring.status != Status.ACTIVE:
            return False, (
                f"{agency.name} n'est rattaché à aucun prescripteur actif : demandez à l'équipe "
                "Immersio de le rattacher au prescripteur qui validera vos conventions."
            )
    return True, ""


def _admins(agency: Agency) -> list[User]:
    return [
        m.user
        for m in AgencyMembership.objects.filter(
            agency=agency, role=AgencyMembership.Role.ADMIN, is_active=True, user__is_active=True
        ).select_related("user")
    ]


def delegation_reminder_recipients(agency: Agency) -> list[Recipient]:
    recipients: dict[str, Recipient] = {}
    for user in _admins(agency):
        recipients.setdefault(user.email.lower(), Recipient(user.email, user.get_full_name()))
    delegating = agency.delegating_agency
    if delegating is not None:
        if delegating.contact_email:
            recipients.setdefault(
                delegating.contact_email.lower(), Recipient(delegating.contact_email, "")
            )
        for user in _admins(delegating):
            recipients.setdefault(user.email.lower(), Recipient(user.email, user.get_full_name()))
    return list(recipients.values())


def due_reminder(agency: Agency, today: date) -> tuple[str, str] | None:
    """The reminder (field, code) ``agency`` should get ``today``, if any."""
    end = agency.delegation_end_date
    if end is None or today > end:
        return None
    fresh = agency.reminders_end_date != end
    for name, offset, code in REMINDERS:
        if today >= end - offset:
            if fresh or getattr(agency, name) is None:
                return name, code
            return None
    return None
