"""Building blocks of the structure services, and of the import and the demo that write
many structures at once: the sites and offers of a structure, and the reindexing of the
search. They check no permission: their callers did (services) or run on the server
(``COMMAND``). Views never call them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from . import hooks
from .errors import StructureError
from .models import HostStructure, Offer, Site


@dataclass(frozen=True)
class SiteData:
    """One place where the structure hosts immersions, and the métiers offered there."""

    address: str
    commune: object  # referentials.Commune
    appellations: Sequence = ()  # referentials.Appellation
    label: str = ""
    postal_code: str = ""
    public_id: UUID | None = None  # an existing site to keep (and update)


def reindex(structure_ids: Iterable[int]) -> None:
    """Tell the directory that these structures changed (same transaction)."""
    ids = list(structure_ids)
    for changed in hooks.structures_changed:
        changed(ids)


def write_sites(structure: HostStructure, sites: Sequence[SiteData]) -> None:
    """Write the sites and offers of ``structure`` (inside the caller's transaction; the
    caller reindexes)."""
    existing = {site.public_id: site for site in structure.sites.all()}
    kept = set()
    for data in sites:
        site = existing.get(data.public_id) if data.public_id else None
        if site is None:
            site = Site(structure=structure)
        commune = data.commune
        if commune.latitude is None or commune.longitude is None:
            raise StructureError(
                f"Nous ne connaissons pas la position de la commune {commune.name} : "
                "choisissez une commune voisine."
            )
        site.label = data.label.strip()
        site.address = data.address.strip()
        site.commune = commune
        site.postal_code = data.postal_code or (commune.postal_code_list or [""])[0]
        site.latitude = commune.latitude
        site.longitude = commune.longitude
        site.save()
        kept.add(site.pk)
        wanted = {appellation.pk for appellation in data.appellations}
        site.offers.exclude(appellation_id__in=wanted).delete()
        present = set(site.offers.values_list("appellation_id", flat=True))
        Offer.objects.bulk_create(
            [Offer(site=site, appellation_id=code) for code in wanted - present]
        )
    structure.sites.exclude(pk__in=kept).delete()
