"""Structures for the directory tests, written straight with the ORM, then indexed.

``make_structure`` builds a published structure with its sites and métiers; a site is a
commune (INSEE code) or a position, with the métiers it offers (appellation codes). Needs
the ``referentials`` fixture (communes and appellations).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from immersio.core.geo import EARTH_RADIUS_KM
from immersio.demo.generator import make_sirets
from immersio.directory.indexing import reindex_structures
from immersio.referentials.models import Commune
from immersio.structures.models import Cause, HostStructure, Network, Offer, Site

LYON = (45.75881, 4.83533)  # the centre of the commune in the referentials
MARAICHER = 16384  # Maraîcher / Maraîchère (ROME A1414)
HORTICULTEUR = 15476  # Horticulteur / Horticultrice (A1414 too)
BOULANGER = 11573  # Boulanger / Boulangère (D1102)

_numbers = itertools.count(12_345_678)


def next_siret() -> str:
    return make_sirets(np.array([next(_numbers)], dtype=np.int64))[0]


def north_of(point: tuple[float, float], km: float) -> tuple[float, float]:
    """The point ``km`` north of ``point`` along its meridian (exact on the sphere)."""
    return point[0] + math.degrees(km / EARTH_RADIUS_KM), point[1]


def east_of(point: tuple[float, float], km: float) -> tuple[float, float]:
    """A point ``km`` away, due east at the start (along a great circle)."""
    lat, lon = map(math.radians, point)
    angle = km / EARTH_RADIUS_KM
    lat2 = math.asin(math.sin(lat) * math.cos(angle))
    lon2 = lon + math.atan2(
        math.sin(angle) * math.cos(lat), math.cos(angle) - math.sin(lat) * math.sin(lat2)
    )
    return math.degrees(lat2), math.degrees(lon2)


@dataclass
class SiteSpec:
    appellations: Sequence[int] = (MARAICHER,)
    commune: str = "69123"  # Lyon
    position: tuple[float, float] | None = None  # default: the commune's centre
    address: str = "1 place Bellecour"
    label: str = ""


@dataclass
class Spec:
    sites: list[SiteSpec] = field(default_factory=lambda: [SiteSpec()])
    causes: Iterable[str] = ()
    networks: Iterable[str] = ()


def make_structure(
    name: str = "Jardins de Cocagne",
    *,
    sites: Sequence[SiteSpec] | None = None,
    causes: Iterable[str] = (),
    networks: Iterable[str] = (),
    status: str = HostStructure.Status.PUBLISHED,
    reindex: bool = True,
    **fields,
) -> HostStructure:
    """A structure (published by default), indexed unless ``reindex=False``."""
    values = {
        "siret": next_siret(),
        "name": name,
        "kind": HostStructure.Kind.ASSOCIATION,
        "status": status,
    }
    values.update(fields)
    structure = HostStructure.objects.create(**values)
    if causes:
        structure.causes.set(Cause.objects.filter(slug__in=list(causes)))
    if networks:
        structure.networks.set(Network.objects.filter(slug__in=list(networks)))
    for spec in sites if sites is not None else [SiteSpec()]:
        add_site(structure, spec)
    if reindex:
        reindex_structures([structure.pk])
    return structure


def add_site(structure: HostStructure, spec: SiteSpec) -> Site:
    commune = Commune.objects.get(pk=spec.commune)
    latitude, longitude = spec.position or (commune.latitude, commune.longitude)
    site = Site.objects.create(
        structure=structure,
        label=spec.label,
        address=spec.address,
        commune=commune,
        postal_code=(commune.postal_code_list or [""])[0],
        latitude=latitude,
        longitude=longitude,
    )
    Offer.objects.bulk_create(Offer(site=site, appellation_id=code) for code in spec.appellations)
    return site


def at(position: tuple[float, float], *appellations: int, commune: str = "69123") -> SiteSpec:
    """A site at ``position`` offering ``appellations`` (the maraîcher by default)."""
    return SiteSpec(appellations=appellations or (MARAICHER,), commune=commune, position=position)
