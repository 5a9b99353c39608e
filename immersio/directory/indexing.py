"""Keeping the search index (``IndexEntry``, ``StructureText``) in step with the structures.

``reindex_structures(ids)`` is called by the structures services, in the transaction of
every change that alters what the search shows (fields, sites and métiers, publication,
pause, a request received). It recomputes the rows of those structures from scratch:
delete, then insert, set-based — nine queries per 2,000 structures, whatever they hold.

Visibility is computed once, here, as a moment: ``hidden_until`` is the end of the pause
day or the end of the capacity block, whichever comes last. The search compares it with
the current time, so a structure comes back on its own, without a periodic job.

Score (0 to 100), the static part of the relevance::

    answer   = answer rate over 12 months (0 to 1); 0.7 when unknown (no request yet:
               a newcomer is neither favoured nor penalised against a typical structure)
    activity = 1 if the structure was active (last activity or profile update) in the
               last 30 days, then decreasing linearly to 0 at 365 days
    score    = 100 × (0.7 × answer + 0.3 × activity)

The activity part is computed when the rows are written: a structure nobody touches
slowly overstates it until its next change or ``reindex_directory`` run (at most the
decrease of 30 days, 2.7 points, if the command runs monthly).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from immersio.referentials.text import normalize
from immersio.structures import selectors
from immersio.structures.models import HostStructure, Offer

from .models import IndexEntry, StructureText

CHUNK = 2000  # structures per round of queries (well under every parameter limit)
NEUTRAL_ANSWER_RATE = 0.7
ANSWER_WEIGHT = 0.7
ACTIVITY_WEIGHT = 0.3
ACTIVE_DAYS = 30
STALE_DAYS = 365

_STRUCTURE_FIELDS = (
    "id",
    "name",
    "brand_name",
    "description",
    "kind",
    "is_ess",
    "fit_for_disabled_workers",
    "welcomes_minors",
    "max_requests_per_month",
    "paused_until",
    "status",
    "answer_rate",
    "last_activity_at",
    "updated_at",
)


# Pure parts ------------------------------------------------------------------------------


def score(*, answer_rate: float | None, active_at: datetime | None, now: datetime) -> float:
    """The static relevance of a structure, 0 to 100 (see the module's docstring)."""
    answer = NEUTRAL_ANSWER_RATE if answer_rate is None else min(1.0, max(0.0, answer_rate))
    if active_at is None:
        activity = 0.0
    else:
        age_days = (now - active_at).total_seconds() / 86400
        if age_days <= ACTIVE_DAYS:
            activity = 1.0
        else:
            activity = max(0.0, 1 - (age_days - ACTIVE_DAYS) / (STALE_DAYS - ACTIVE_DAYS))
    return round(100 * (ANSWER_WEIGHT * answer + ACTIVITY_WEIGHT * activity), 2)


def end_of_pause(paused_until: date) -> datetime:
    """A pause « until the 12th » ends at midnight between the 12th and the 13th (local)."""
    return timezone.make_aware(datetime.combine(paused_until + timedelta(days=1), time.min))


def hidden_until(
    *, paused_until: date | None, blocked_until: datetime | None, now: datetime
) -> datetime | None:
    """When a published structure may be shown again; None when it can be shown now."""
    moments = []
    if paused_until is not None:
        moments.append(end_of_pause(paused_until))
    if blocked_until is not None:
        moments.append(blocked_until)
    latest = max(moments, default=None)
    return latest if latest is not None and latest > now else None


def search_text(*parts: str) -> str:
    """The normalised words of the name, brand and description, with a space on each
    side so that ``LIKE '% word%'`` finds beginnings of words."""
    return " " + " ".join(filter(None, (normalize(part or "") for part in parts))) + " "


def bitmask(bits: Iterable[int]) -> int:
    mask = 0
    for bit in bits:
        if bit is not None and 0 <= bit <= 62:
            mask |= 1 << bit
    return mask


def epoch_seconds(moment: datetime) -> int:
    return math.floor(moment.timestamp())


# Writing -------------------------------------------------------------------------------


def reindex_structures(structure_ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Recompute the index rows of these structures (call it in the transaction of the
    change). Returns the number of rows written."""
    ids = sorted({int(structure_id) for structure_id in structure_ids})
    if not ids:
        return 0
    now = now or timezone.now()
    written = 0
    with transaction.atomic():
        for start in range(0, len(ids), CHUNK):
            written += _reindex_chunk(ids[start : start + CHUNK], now)
    return written


def reindex_all(
    *,
    now: datetime | None = None,
    chunk: int = CHUNK,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Rebuild the whole index, one transaction per chunk of structures (the search stays
    consistent for each structure meanwhile). Returns (structures, rows)."""
    now = now or timezone.now()
    ids = list(HostStructure.objects.order_by("pk").values_list("pk", flat=True))
    rows = 0
    for start in range(0, len(ids), chunk):
        with transaction.atomic():
            rows += _reindex_chunk(ids[start : start + chunk], now)
        if progress:
            progress(min(start + chunk, len(ids)), len(ids))
    # Rows of structures deleted without their offers (raw SQL): none normally.
    with transaction.atomic():
        IndexEntry.objects.exclude(structure_id__in=HostStructure.objects.values("pk")).delete()
    return len(ids), rows


def _reindex_chunk(ids: Sequence[int], now: datetime) -> int:
    structures = list(HostStructure.objects.filter(pk__in=ids).only(*_STRUCTURE_FIELDS))
    entries, texts = build_rows(structures, now=now)
    IndexEntry.objects.filter(structure_id__in=ids).delete()
    StructureText.objects.filter(structure_id__in=ids).delete()
    IndexEntry.objects.bulk_create(entries, batch_size=500)
    StructureText.objects.bulk_create(texts, batch_size=500)
    return len(entries)


def build_rows(
    structures: Sequence[HostStructure], *, now: datetime
) -> tuple[list[IndexEntry], list[StructureText]]:
    """The index rows of ``structures`` (model instances with ``_STRUCTURE_FIELDS``)."""
    if not structures:
        return [], []
    ids = [structure.pk for structure in structures]
    listed = [s for s in structures if s.status == HostStructure.Status.PUBLISHED]
    availability = selectors.availability_by_structure(listed, now=now) if listed else {}
    causes = _bits(HostStructure.causes.through, "cause__bit", ids)
    networks = _bits(HostStructure.networks.through, "network__bit", ids)
    offers = defaultdict(list)
    for row in (
        Offer.objects.filter(site__structure_id__in=ids)
        .order_by("pk")
        .values_list(
            "pk",
            "site_id",
            "site__structure_id",
            "appellation_id",
            "appellation__rome_id",
            "site__latitude",
            "site__longitude",
        )
    ):
        offers[row[2]].append(row)

    entries, texts = [], []
    for structure in structures:
        is_listed = structure.status == HostStructure.Status.PUBLISHED
        hidden = None
        if is_listed:
            hidden = hidden_until(
                paused_until=structure.paused_until,
                blocked_until=availability[structure.pk].blocked_until,
                now=now,
            )
            texts.append(
                StructureText(
                    structure_id=structure.pk,
                    text=search_text(structure.name, structure.brand_name, structure.description),
                )
            )
        active_at = max(filter(None, (structure.last_activity_at, structure.updated_at)))
        common = {
            "kind": structure.kind,
            "is_ess": structure.is_ess,
            "fit_for_disabled": structure.fit_for_disabled_workers,
            "welcomes_minors": structure.welcomes_minors,
            "causes": causes.get(structure.pk, 0),
            "networks": networks.get(structure.pk, 0),
            "score": score(answer_rate=structure.answer_rate, active_at=active_at, now=now),
            "updated_ts": epoch_seconds(structure.updated_at),
            "listed": is_listed,
            "hidden_until": hidden,
        }
        for offer_id, site_id, structure_id, code, rome, latitude, longitude in offers.get(
            structure.pk, ()
        ):
            entries.append(
                IndexEntry(
                    offer_id=offer_id,
                    structure_id=structure_id,
                    site_id=site_id,
                    appellation_code=code,
                    rome_code=rome,
                    latitude=latitude,
                    longitude=longitude,
                    **common,
                )
            )
    return entries, texts


def _bits(through, bit_path: str, ids: Sequence[int]) -> dict[int, int]:
    masks: dict[int, int] = defaultdict(int)
    for structure_id, bit in through.objects.filter(hoststructure_id__in=ids).values_list(
        "hoststructure_id", bit_path
    ):
        masks[structure_id] |= bitmask((bit,))
    return masks
