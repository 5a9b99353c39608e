"""Reading agencies: the nearest ones to a point (directory, convention form)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.urls import reverse

from immersio.accounts.models import User
from immersio.core.geo import bounding_box, haversine_km

from .models import Agency, AgencyMembership

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


def landing_page(user: User) -> str | None:
    """« Mon espace prescripteur » for an agency's member (see ``accounts.hooks``)."""
    if AgencyMembership.objects.for_user(user).exists():
        return reverse("agencies:space")
    return None
