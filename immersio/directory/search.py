"""Search of the directory: by métier, place and radius, free text and filters.

``search(query)`` takes a validated :class:`SearchQuery` (``forms.build_query`` checks raw
parameters and says what is wrong, in French) and returns one result per structure: the
nearest of its sites that offers the métier, with the exact distance
(``core.geo.haversine_km``).

How it stays fast on millions of offers:

1. one SQL query on the index (``IndexEntry``) returns a few numeric columns of the
   candidate rows: métier equal, position inside the bounding box of the circle,
   visible now, filters — answered from a composite index ``(métier, latitude,
   longitude)`` (and an R*Tree on SQLite, see ``_rtree_filter``);
2. numpy computes the distances, drops what lies outside the circle, keeps the nearest
   row of each structure, counts, sorts and cuts the page;
3. only the structures of the page are read with the ORM (five queries).

Relevance (the default order) mixes the structure's score (``indexing.score``) and its
proximity, then shuffles structures of close relevance with a seed that changes every
day, so that the same few structures do not receive every request::

    relevance = 0.5 × score / 100 + 0.5 × (1 − distance / radius)   (score alone without place)
    order     = relevance bucket (tenths, best first), then hash(structure, day), then id
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import chain
from typing import NamedTuple
from uuid import UUID

import numpy as np
from django.db import connection
from django.db.models import F, Q
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from immersio.core.geo import bounding_box, haversine_km
from immersio.referentials import search as referentials_search
from immersio.referentials.models import Appellation, Commune, RomeMetier
from immersio.referentials.search import LazyIndex
from immersio.referentials.text import normalize
from immersio.structures.models import Cause, HostStructure, Network, Offer, Site

from .models import IndexEntry, StructureText

MIN_DISTANCE_KM = 1
MAX_DISTANCE_KM = 100
DEFAULT_DISTANCE_KM = 10
DISTANCE_CHOICES = (1, 2, 5, 10, 20, 30, 50, 75, 100)
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 12
MAX_TEXT_LENGTH = 100
MAX_TEXT_WORDS = 6
RELEVANCE_BUCKETS = 10


class Sort:
    RELEVANCE = "relevance"
    DISTANCE = "distance"
    DATE = "date"
    CHOICES = (
        (RELEVANCE, "Pertinence"),
        (DISTANCE, "Distance"),
        (DATE, "Récemment mis à jour"),
    )
    VALUES = tuple(value for value, _ in CHOICES)


@dataclass(frozen=True)
class SearchQuery:
    """Validated search parameters (``forms.SearchQueryForm`` makes them from raw input)."""

    appellation_code: int | None = None
    # Several métiers: those matching a text typed without choosing a suggestion.
    appellation_codes: tuple[int, ...] = ()
    rome_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    distance_km: float = DEFAULT_DISTANCE_KM
    text: str = ""
    causes: int = 0  # bitmask: structures with at least one of these causes
    networks: int = 0  # bitmask: structures in at least one of these networks
    kind: str | None = None
    ess_only: bool = False
    fit_for_disabled: bool = False
    minors_welcome: bool = False
    sort: str = Sort.RELEVANCE
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    now: datetime | None = None

    @property
    def has_place(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def has_metier(self) -> bool:
        return bool(self.appellation_code is not None or self.appellation_codes or self.rome_code)

    @property
    def words(self) -> list[str]:
        return list(dict.fromkeys(normalize(self.text).split()))[:MAX_TEXT_WORDS]


@dataclass(frozen=True, slots=True)
class StructureSummary:
    """What a result shows of a structure (read without building a model instance)."""

    pk: int
    public_id: UUID
    name: str
    brand_name: str
    kind: str
    is_ess: bool
    answer_rate: float | None

    @property
    def display_name(self) -> str:
        return self.brand_name or self.name

    def get_kind_display(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True, slots=True)
class CommuneSummary:
    insee_code: str
    name: str
    department: str


@dataclass(frozen=True, slots=True)
class SiteSummary:
    pk: int
    latitude: float
    longitude: float
    postal_code: str
    commune: CommuneSummary


KIND_LABELS = dict(HostStructure.Kind.choices)


@dataclass
class Hit:
    """One structure of a page of results, at its nearest matching site."""

    structure: StructureSummary
    site: SiteSummary
    distance_km: float | None
    appellations: list[AppellationLabel]
    causes: list[Cause]
    networks: list[Network]

    @property
    def answer_rate(self) -> float | None:
        return self.structure.answer_rate

    @property
    def usually_answers(self) -> bool:
        return usually_answers(self.structure.answer_rate)


@dataclass
class SearchResult:
    count: int
    page: int
    page_size: int
    hits: list[Hit] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return pages_for(self.count, self.page_size)


class PageOutOfRange(Exception):
    def __init__(self, pages: int):
        self.pages = pages
        super().__init__(page_out_of_range_message(pages))


def page_out_of_range_message(pages: int) -> str:
    if pages <= 1:
        return "Cette page n'existe pas : les résultats tiennent sur une seule page."
    return f"Cette page n'existe pas : les résultats tiennent sur {pages} pages."


def pages_for(count: int, page_size: int) -> int:
    return max(1, math.ceil(count / page_size))


USUALLY_ANSWERS_RATE = 0.8


def usually_answers(rate: float | None) -> bool:
    return rate is not None and rate >= USUALLY_ANSWERS_RATE


# Validation ------------------------------------------------------------------------------


class InvalidQuery(Exception):
    """Raw parameters that cannot make a search; ``errors`` maps each parameter to a
    French message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{key} : {message}" for key, message in errors.items()))


def metier_codes(text: str) -> tuple[int, ...]:
    """The appellations a métier typed without choosing a suggestion stands for: the one
    whose label it is, else every appellation it matches (synonyms and métier names of
    activity nouns included, typing errors only when nothing else matches), best first."""
    found = referentials_search.search_appellations(
        text, referentials_search.MAX_LIMIT, fallback=False
    ) or referentials_search.search_appellations(text, referentials_search.MAX_LIMIT)
    wanted = normalize(text)
    for appellation in found:
        if normalize(appellation.label) == wanted:
            return (appellation.code,)
    return tuple(appellation.code for appellation in found)


# Order -----------------------------------------------------------------------------------


def daily_hash(structure_ids: np.ndarray, day: date) -> np.ndarray:
    """A pseudo-random order of structures that changes every day (splitmix64)."""
    z = structure_ids.astype(np.uint64) + np.uint64((day.toordinal() * 0x9E3779B97F4A7C15) % 2**64)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


# Search ----------------------------------------------------------------------------------


def visible_entries(now: datetime):
    """Index rows shown now: published structures, neither paused nor over capacity."""
    return IndexEntry.objects.filter(listed=True).filter(
        Q(hidden_until__isnull=True) | Q(hidden_until__lte=now)
    )


def candidate_queryset(query: SearchQuery, now: datetime, *, with_text: bool = True):
    """The index rows matching everything but the exact circle (and the free text, unless
    ``with_text``)."""
    entries = visible_entries(now)
    if query.appellation_code is not None:
        entries = entries.filter(appellation_code=query.appellation_code)
    elif query.appellation_codes:
        entries = entries.filter(appellation_code__in=query.appellation_codes)
    elif query.rome_code:
        entries = entries.filter(rome_code=query.rome_code)
    if query.has_place:
        lat_min, lat_max, lon_min, lon_max = bounding_box(
            query.latitude, query.longitude, query.distance_km
        )
        entries = entries.filter(latitude__gte=lat_min, latitude__lte=lat_max)
        if lon_min is not None:
            entries = entries.filter(longitude__gte=lon_min, longitude__lte=lon_max)
    if query.kind:
        entries = entries.filter(kind=query.kind)
    if query.ess_only:
        entries = entries.filter(is_ess=True)
    if query.fit_for_disabled:
        entries = entries.filter(fit_for_disabled=True)
    if query.minors_welcome:
        entries = entries.filter(welcomes_minors=True)
    if query.causes:
        entries = entries.filter(GreaterThan(F("causes").bitand(query.causes), 0))
    if query.networks:
        entries = entries.filter(GreaterThan(F("networks").bitand(query.networks), 0))
    words = query.words
    if with_text and words:
        texts = StructureText.objects.all()
        for word in words:
            texts = texts.filter(text__contains=" " + word)
        entries = entries.filter(structure_id__in=texts.values("structure_id"))
    return entries


def _text_first(query: SearchQuery) -> bool:
    """Without métier nor place, the free text decides which rows to read."""
    return not (query.has_place or query.has_metier)


def candidate_columns(query: SearchQuery) -> tuple[str, ...]:
    """Only what the order needs: every column read costs, on millions of rows."""
    columns = ["structure_id", "latitude", "longitude"]
    sort = effective_sort(query)
    if sort == Sort.RELEVANCE:
        columns.append("score")
    elif sort == Sort.DATE:
        columns.append("updated_ts")
    return tuple(columns)


def effective_sort(query: SearchQuery) -> str:
    """The order applied: by distance needs a place (relevance otherwise)."""
    if query.sort == Sort.DISTANCE and not query.has_place:
        return Sort.RELEVANCE
    return query.sort


def candidate_sql(query: SearchQuery, now: datetime) -> tuple[str, list]:
    """``candidate_queryset`` written directly: the same SQL text on every database (plain
    comparisons, ``&`` on integers), built in microseconds where the ORM takes a
    fraction of a millisecond. The free text without métier nor place goes through the
    ORM (``candidate_queryset``): a subquery, and a rare case."""
    quote = connection.ops.quote_name
    field = IndexEntry._meta.get_field
    hidden = quote(field("hidden_until").column)
    where = [f"{quote('listed')} = %s", f"({hidden} IS NULL OR {hidden} <= %s)"]
    params: list = [True, connection.ops.adapt_datetimefield_value(now)]

    def condition(column: str, operator: str, value) -> None:
        where.append(f"{quote(field(column).column)} {operator} %s")
        params.append(value)

    if query.appellation_code is not None:
        condition("appellation_code", "=", query.appellation_code)
    elif query.appellation_codes:
        marks = ", ".join(["%s"] * len(query.appellation_codes))
        where.append(f"{quote(field('appellation_code').column)} IN ({marks})")
        params.extend(query.appellation_codes)
    elif query.rome_code:
        condition("rome_code", "=", query.rome_code)
    if query.has_place:
        lat_min, lat_max, lon_min, lon_max = bounding_box(
            query.latitude, query.longitude, query.distance_km
        )
        condition("latitude", ">=", lat_min)
        condition("latitude", "<=", lat_max)
        if lon_min is not None:
            condition("longitude", ">=", lon_min)
            condition("longitude", "<=", lon_max)
    if query.kind:
        condition("kind", "=", query.kind)
    for wanted, column in (
        (query.ess_only, "is_ess"),
        (query.fit_for_disabled, "fit_for_disabled"),
        (query.minors_welcome, "welcomes_minors"),
    ):
        if wanted:
            condition(column, "=", True)
    for mask, column in ((query.causes, "causes"), (query.networks, "networks")):
        if mask:
            where.append(f"({quote(column)} & %s) > 0")
            params.append(mask)
    selected = ", ".join(quote(field(name).column) for name in candidate_columns(query))
    table = quote(IndexEntry._meta.db_table)
    return f"SELECT {selected} FROM {table} WHERE {' AND '.join(where)}", params  # noqa: S608


def fetch_candidates(query: SearchQuery, now: datetime) -> np.ndarray:
    """The candidate rows as an (n, k) float array, columns as ``candidate_columns``."""
    columns = candidate_columns(query)
    if _text_first(query) and query.words:
        entries = candidate_queryset(query, now).values_list(*columns)
        sql, params = entries.query.sql_with_params()
    else:
        sql, params = candidate_sql(query, now)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.float64, count=len(rows) * len(columns))
    return flat.reshape(len(rows), len(columns))


def _text_matches(structure_ids: np.ndarray, words: list[str]) -> np.ndarray:
    """Which of these structures match every word (asked by chunks of ids)."""
    matched: list[int] = []
    ids = structure_ids.astype(np.int64).tolist()
    for start in range(0, len(ids), 2000):
        texts = StructureText.objects.filter(structure_id__in=ids[start : start + 2000])
        for word in words:
            texts = texts.filter(text__contains=" " + word)
        matched.extend(texts.values_list("structure_id", flat=True))
    return np.isin(structure_ids, np.array(matched, dtype=np.float64))


@dataclass
class Ranked:
    """The structures matching a query: their number, and the first ones in order."""

    count: int
    structure_ids: np.ndarray  # int64, the first ``limit`` in order
    distances: np.ndarray | None  # km, to each one's nearest matching site

    def __len__(self):
        return self.count


_DISTANCE_BITS = 30  # distances in tenths of a millimetre: up to 107 km
_ID_BITS = 33


def _first_in_order(keys: np.ndarray, ids: np.ndarray, limit: int) -> np.ndarray:
    """Positions of the ``limit`` smallest (key, id), in order — a partition, then a sort
    of those only (ties at the edge of the partition all kept, then cut)."""
    if limit >= len(keys):
        return np.lexsort((ids, keys))
    kth = np.partition(keys, limit - 1)[limit - 1]
    chosen = np.flatnonzero(keys <= kth)
    return chosen[np.lexsort((ids[chosen], keys[chosen]))][:limit]


def rank(query: SearchQuery, rows: np.ndarray, now: datetime, limit: int | None = None) -> Ranked:
    """Distances, the circle, one row per structure (its nearest), free text, then the
    first ``limit`` structures in order (all of them when None)."""
    structure = rows[:, 0].astype(np.int64)
    distances = None
    if query.has_place and len(rows):
        distances = haversine_km(query.latitude, query.longitude, rows[:, 1], rows[:, 2])
        inside = distances <= query.distance_km
        rows, distances, structure = rows[inside], distances[inside], structure[inside]
        # distances are rounded to 1e-7 km (``haversine_km``): exact integers here.
        ticks = np.rint(distances * 1e7).astype(np.int64)
        order = np.argsort(structure << _DISTANCE_BITS | ticks)
    else:
        ticks = None
        order = np.argsort(structure, kind="stable")
    # One row per structure, its nearest: every row of a structure has the same score
    # and date, only the place differs.
    sorted_structures = structure[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = sorted_structures[1:] != sorted_structures[:-1]
    keep = order[first]
    rows, ids = rows[keep], structure[keep]
    if ticks is not None:
        distances, ticks = distances[keep], ticks[keep]
    words = query.words
    if words and not _text_first(query) and len(ids):
        matches = _text_matches(ids, words)
        rows, ids = rows[matches], ids[matches]
        if ticks is not None:
            distances, ticks = distances[matches], ticks[matches]
    count = len(ids)
    if not count:
        return Ranked(0, ids, distances)
    near = ticks if ticks is not None else np.zeros(count, dtype=np.int64)
    sort = effective_sort(query)
    if sort == Sort.DISTANCE:
        keys = ticks
    elif sort == Sort.DATE:
        updated = rows[:, 3].astype(np.int64)
        keys = (updated.max() - updated) << _DISTANCE_BITS | near
    else:
        relevance = rows[:, 3] / 100
        if distances is not None:
            relevance = 0.5 * relevance + 0.5 * (1 - distances / query.distance_km)
        buckets = np.clip(np.floor(relevance * RELEVANCE_BUCKETS), 0, RELEVANCE_BUCKETS)
        best_first = (RELEVANCE_BUCKETS - buckets).astype(np.uint64)
        shuffle = daily_hash(ids, timezone.localdate(now)) >> np.uint64(4)
        keys = best_first << np.uint64(60) | shuffle
    order = _first_in_order(keys, ids, count if limit is None else max(0, limit))
    return Ranked(count, ids[order], distances[order] if distances is not None else None)


def _ranked(query: SearchQuery) -> tuple[Ranked, datetime]:
    now = query.now or timezone.now()
    limit = query.page * query.page_size
    return rank(query, fetch_candidates(query, now), now, limit), now


def search(query: SearchQuery) -> SearchResult:
    """One page of structures matching ``query`` and their total number.

    Raises :class:`PageOutOfRange` when the page is beyond the last one.
    """
    ranked, now = _ranked(query)
    count = ranked.count
    pages = pages_for(count, query.page_size)
    if query.page > pages:
        raise PageOutOfRange(pages)
    start = (query.page - 1) * query.page_size
    page = ranked.structure_ids[start : start + query.page_size].tolist()
    return SearchResult(
        count=count,
        page=query.page,
        page_size=query.page_size,
        hits=load_hits(query, page, now),
    )


def ranked_ids(query: SearchQuery) -> tuple[int, list[int], list[float | None]]:
    """Count, structure ids and distances of the page, without the details (for the
    benchmark and the tests that compare with the in-memory reference)."""
    ranked, _ = _ranked(query)
    start = (query.page - 1) * query.page_size
    end = start + query.page_size
    page = ranked.structure_ids[start:end].tolist()
    if ranked.distances is None:
        return ranked.count, page, [None] * len(page)
    return ranked.count, page, ranked.distances[start:end].tolist()


# The index rows of a page, with what a result shows of the structure and the commune.
PAGE_COLUMNS = (
    "structure_id",
    "site_id",
    "appellation_code",
    "latitude",
    "longitude",
    "causes",
    "networks",
    "structure__public_id",
    "structure__name",
    "structure__brand_name",
    "structure__kind",
    "structure__is_ess",
    "structure__answer_rate",
    "site__postal_code",
    "site__commune_id",
    "site__commune__name",
    "site__commune__department",
)


class AppellationLabel(NamedTuple):
    code: int
    label: str
    rome_code: str


def _build_appellation_labels() -> dict[int, AppellationLabel]:
    return {
        code: AppellationLabel(code, label, rome)
        for code, label, rome in Appellation.objects.values_list("code", "label", "rome_id")
    }


# Rebuilt when the referentials change (see ``referentials.search.LazyIndex``).
appellation_labels = LazyIndex(_build_appellation_labels)
rome_codes = LazyIndex(lambda: frozenset(RomeMetier.objects.values_list("code", flat=True)))

VOCABULARY_TTL = 60.0  # seconds: a cause or network added by the staff shows within a minute
_vocabulary_cache: tuple[float, dict, dict] | None = None


def vocabulary() -> tuple[dict[int, Cause], dict[int, Network]]:
    """Causes and networks by search bit, read at most once a minute per process."""
    global _vocabulary_cache
    cached = _vocabulary_cache
    if cached is None or cached[0] < time.monotonic():
        causes = {cause.bit: cause for cause in Cause.objects.all()}
        networks = {network.bit: network for network in Network.objects.all()}
        cached = _vocabulary_cache = (time.monotonic() + VOCABULARY_TTL, causes, networks)
    return cached[1], cached[2]


def clear_caches() -> None:
    global _vocabulary_cache
    _vocabulary_cache = None


def page_sql(query: SearchQuery, structure_ids: list[int], now: datetime) -> tuple[str, list]:
    """The index rows of the page's structures (those of the métier searched), joined to
    what a result shows of the structure, the site and the commune (``PAGE_COLUMNS``),
    written directly like ``candidate_sql``."""
    quote = connection.ops.quote_name
    tables = {
        "e": IndexEntry._meta,
        "s": HostStructure._meta,
        "t": Site._meta,
        "c": Commune._meta,
    }

    def column(alias: str, name: str) -> str:
        return f"{alias}.{quote(tables[alias].get_field(name).column)}"

    selected = []
    for path in PAGE_COLUMNS:
        if path.startswith("structure__"):
            selected.append(column("s", path.removeprefix("structure__")))
        elif path.startswith("site__commune__"):
            selected.append(column("c", path.removeprefix("site__commune__")))
        elif path.startswith("site__"):
            selected.append(column("t", path.removeprefix("site__")))
        else:
            selected.append(column("e", path))
    joins = f"{quote(tables['e'].db_table)} e" + "".join(
        f" JOIN {quote(tables[alias].db_table)} {alias} ON {column(alias, key)} = {reference}"
        for alias, key, reference in (
            ("s", "id", column("e", "structure")),
            ("t", "id", column("e", "site")),
            ("c", "insee_code", column("t", "commune")),
        )
    )
    hidden = column("e", "hidden_until")
    where = [
        f"{column('e', 'listed')} = %s",
        f"({hidden} IS NULL OR {hidden} <= %s)",
        f"{column('e', 'structure')} IN ({', '.join(['%s'] * len(structure_ids))})",
    ]
    params: list = [True, connection.ops.adapt_datetimefield_value(now), *structure_ids]
    if query.appellation_code is not None:
        where.append(f"{column('e', 'appellation_code')} = %s")
        params.append(query.appellation_code)
    elif query.appellation_codes:
        marks = ", ".join(["%s"] * len(query.appellation_codes))
        where.append(f"{column('e', 'appellation_code')} IN ({marks})")
        params.extend(query.appellation_codes)
    elif query.rome_code:
        where.append(f"{column('e', 'rome_code')} = %s")
        params.append(query.rome_code)
    sql = f"SELECT {', '.join(selected)} FROM {joins} WHERE {' AND '.join(where)}"  # noqa: S608
    return sql, params


def load_hits(query: SearchQuery, structure_ids: list[int], now: datetime) -> list[Hit]:
    """The details of one page, in one query: for each structure its nearest matching
    site, the métiers offered there (those that match, with a métier filter), what a
    result shows of the structure and of the commune; causes and networks from the
    bitmasks, métier labels from memory."""
    if not structure_ids:
        return []
    sql, params = page_sql(query, structure_ids, now)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    best: dict[int, tuple] = {}  # structure → (distance, site id)
    if query.has_place and rows:
        distances = haversine_km(
            query.latitude,
            query.longitude,
            np.array([row[3] for row in rows]),
            np.array([row[4] for row in rows]),
        ).tolist()
    else:
        distances = [None] * len(rows)
    for row, distance in zip(rows, distances, strict=True):
        key = (distance if distance is not None else 0.0, row[1])
        if row[0] not in best or key < best[row[0]]:
            best[row[0]] = key
    codes: dict[int, list[int]] = defaultdict(list)
    details: dict[int, tuple] = {}
    for row in rows:
        structure_id, site_id = row[0], row[1]
        if best[structure_id][1] == site_id:
            codes[site_id].append(row[2])
            details[structure_id] = row
    labels = appellation_labels.get()
    causes, networks = vocabulary()
    hits = []
    for structure_id in structure_ids:
        row = details.get(structure_id)
        if row is None:
            continue  # changed since the search: left out of this page
        (_, site_id, _, latitude, longitude, cause_mask, network_mask) = row[:7]
        public_id, name, brand, kind, is_ess, answer_rate = row[7:13]
        postal_code, insee_code, commune_name, department = row[13:]
        if not isinstance(public_id, UUID):  # SQLite stores the hexadecimal text
            public_id = UUID(public_id)
        hits.append(
            Hit(
                structure=StructureSummary(
                    structure_id, public_id, name, brand, kind, bool(is_ess), answer_rate
                ),
                site=SiteSummary(
                    site_id,
                    latitude,
                    longitude,
                    postal_code,
                    CommuneSummary(insee_code, commune_name, department),
                ),
                distance_km=best[structure_id][0] if query.has_place else None,
                appellations=sorted(
                    (labels[code] for code in codes[site_id] if code in labels),
                    key=lambda appellation: appellation.label,
                ),
                causes=[item for bit, item in sorted(causes.items()) if cause_mask >> bit & 1],
                networks=[
                    item for bit, item in sorted(networks.items()) if network_mask >> bit & 1
                ],
            )
        )
    return hits


# Ways out of an empty result ----------------------------------------------------------------

ANY_DISTANCE_KM = 20_100.0  # more than half the Earth's circumference: everywhere


def count(query: SearchQuery) -> int:
    """How many structures match ``query`` (no page read)."""
    now = query.now or timezone.now()
    return rank(query, fetch_candidates(query, now), now, 0).count


def nearest_anywhere(query: SearchQuery, limit: int = 3) -> list[Hit]:
    """The structures matching ``query`` nearest to its place, at any distance."""
    if not query.has_place:
        return []
    wide = replace(query, distance_km=ANY_DISTANCE_KM, sort=Sort.DISTANCE, page=1, page_size=limit)
    return search(wide).hits


def related_romes(rome: str, limit: int = 6) -> list[str]:
    """ROME codes close to ``rome``: its neighbours in the ROME tree (same first three
    characters), then those most hired in the sectors (NAF) that hire it most."""
    from django.db.models import Sum

    from immersio.referentials.models import RomeNafHiring

    sectors = list(
        RomeNafHiring.objects.filter(rome_id=rome)
        .order_by("-hirings", "naf_id")
        .values_list("naf_id", flat=True)[:3]
    )
    hired = list(
        RomeNafHiring.objects.filter(naf_id__in=sectors)
        .exclude(rome_id=rome)
        .values("rome_id")
        .annotate(total=Sum("hirings"))
        .order_by("-total", "rome_id")
        .values_list("rome_id", flat=True)[:limit]
    )
    family = sorted(code for code in rome_codes.get() if code[:3] == rome[:3] and code != rome)
    return list(dict.fromkeys([*family, *hired]))


# Around a structure ------------------------------------------------------------------------


def similar_structures(
    structure: HostStructure, *, limit: int = 3, now: datetime | None = None
) -> list[Hit]:
    """Visible structures offering the same ROME métier, nearest to the structure's first
    site (within 30 km, else 100 km), for a structure that cannot be asked now."""
    site = structure.sites.order_by("pk").first()
    if site is None:
        return []
    romes = list(
        Offer.objects.filter(site__structure=structure)
        .values_list("appellation__rome_id", flat=True)
        .order_by("appellation__rome_id")
    )
    if not romes:
        return []
    rome = max(set(romes), key=lambda code: (romes.count(code), code))
    base = SearchQuery(
        rome_code=rome,
        latitude=site.latitude,
        longitude=site.longitude,
        sort=Sort.DISTANCE,
        page_size=limit + 1,
        now=now,
    )
    for radius in (30, MAX_DISTANCE_KM):
        query = replace(base, distance_km=radius)
        hits = [hit for hit in search(query).hits if hit.structure.pk != structure.pk]
        if hits:
            return hits[:limit]
    return []
