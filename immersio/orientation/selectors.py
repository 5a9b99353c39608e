"""Reading the agencies the wizard's answer points to: the nearest of the right kind
around a commune, or those of a department."""

from __future__ import annotations

from dataclasses import dataclass

from immersio.agencies.models import Agency
from immersio.agencies.selectors import nearest_agencies
from immersio.referentials.models import Commune

#: How many agencies the result shows, and how far it looks around a commune.
NEAREST_LIMIT = 5
NEAREST_RADIUS_KM = 50


@dataclass(frozen=True)
class Hit:
    agency: Agency
    distance_km: float | None  # None: found by department, not around a commune


@dataclass(frozen=True)
class Found:
    """The agencies found, of which kind (``kind`` is empty when none was found)."""

    hits: list[Hit]
    kind: str
    fallback: bool  # not the first kind asked: none of it was found


def _in_department(department: str, kind: str) -> list[Hit]:
    agencies = (
        Agency.objects.active()
        .filter(kind=kind, commune__department=department)
        .select_related("commune")
        .order_by("name", "pk")[:NEAREST_LIMIT]
    )
    return [Hit(agency=agency, distance_km=None) for agency in agencies]


def agencies_for(kinds: tuple[str, ...], commune: Commune | None, department: str) -> Found:
    """The nearest active agencies of the first of ``kinds`` found, within
    :data:`NEAREST_RADIUS_KM` of ``commune`` (nearest first), or, with a department only,
    those located in it (by name). One query a kind tried."""
    for index, kind in enumerate(kinds):
        if commune is not None and commune.latitude is not None:
            hits = [
                Hit(agency=near.agency, distance_km=near.distance_km)
                for near in nearest_agencies(
                    commune.latitude,
                    commune.longitude,
                    kinds=[kind],
                    limit=NEAREST_LIMIT,
                    radius_km=NEAREST_RADIUS_KM,
                )
            ]
        else:
            hits = _in_department(department, kind)
        if hits:
            return Found(hits=hits, kind=kind, fallback=index > 0)
    return Found(hits=[], kind="", fallback=False)
