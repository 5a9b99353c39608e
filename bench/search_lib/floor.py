"""The floor of the directory search: the same answers from numpy arrays held in memory.

What a search costs with no database at all: the visible index rows are loaded once,
sorted by métier then latitude (and by latitude alone for searches without métier); a
query is a binary search to the métier's rows, another to the latitude band, a mask on
the longitude and the filters, the exact haversine distance over the candidates, one row
per structure (the nearest), the order and the page.

It answers only ``sort=distance`` (ties by structure id) and ``sort=date``, and ignores
the free text: the benchmark and the tests compare it with ``search.py`` on those.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from immersio.core import geo
from immersio.directory import search as core  # Django must be set up before importing this


def _rome_number(code: str) -> int:
    return (ord(code[0]) - 64) * 10_000 + int(code[1:])


@dataclass
class _Sorted:
    """The index rows in one order, as column arrays."""

    key: np.ndarray  # métier (appellation code or ROME number), or zeros
    latitude: np.ndarray
    longitude: np.ndarray
    structure: np.ndarray
    site: np.ndarray
    updated: np.ndarray
    kind: np.ndarray
    flags: np.ndarray  # bit 0 ESS, bit 1 disabled, bit 2 minors
    causes: np.ndarray
    networks: np.ndarray


class Floor:
    KINDS = ("entreprise", "association", "public", "siae", "autre")

    def __init__(self, *, now: datetime, block: int = 100_000):
        """Load the rows visible at ``now`` (call inside Django, database ready), by
        blocks turned into arrays at once (millions of rows as tuples would not fit)."""
        columns = (
            "appellation_code",
            "rome_code",
            "latitude",
            "longitude",
            "structure_id",
            "site_id",
            "updated_ts",
            "kind",
            "is_ess",
            "fit_for_disabled",
            "welcomes_minors",
            "causes",
            "networks",
        )
        kind_index = {kind: index for index, kind in enumerate(self.KINDS)}
        parts: dict[str, list[np.ndarray]] = {name: [] for name in ("appellation", "rome")}
        base_parts: dict[str, list[np.ndarray]] = {
            name: []
            for name in (
                "latitude",
                "longitude",
                "structure",
                "site",
                "updated",
                "kind",
                "flags",
                "causes",
                "networks",
            )
        }
        rows: list[tuple] = []

        def flush():
            count = len(rows)
            if not count:
                return
            parts["appellation"].append(np.fromiter((r[0] for r in rows), np.int64, count))
            parts["rome"].append(np.fromiter((_rome_number(r[1]) for r in rows), np.int64, count))
            base_parts["latitude"].append(np.fromiter((r[2] for r in rows), np.float64, count))
            base_parts["longitude"].append(np.fromiter((r[3] for r in rows), np.float64, count))
            base_parts["structure"].append(np.fromiter((r[4] for r in rows), np.int64, count))
            base_parts["site"].append(np.fromiter((r[5] for r in rows), np.int64, count))
            base_parts["updated"].append(np.fromiter((r[6] for r in rows), np.int64, count))
            base_parts["kind"].append(
                np.fromiter((kind_index.get(r[7], 99) for r in rows), np.int8, count)
            )
            base_parts["flags"].append(
                np.fromiter((r[8] | r[9] << 1 | r[10] << 2 for r in rows), np.int8, count)
            )
            base_parts["causes"].append(np.fromiter((r[11] for r in rows), np.int64, count))
            base_parts["networks"].append(np.fromiter((r[12] for r in rows), np.int64, count))
            rows.clear()

        for row in core.visible_entries(now).values_list(*columns).iterator(chunk_size=20_000):
            rows.append(row)
            if len(rows) >= block:
                flush()
        flush()

        def joined(chunks, dtype):
            return np.concatenate(chunks) if chunks else np.empty(0, dtype=dtype)

        base = {
            name: joined(chunks, np.int8 if name in ("kind", "flags") else np.float64)
            for name, chunks in base_parts.items()
        }
        appellation = joined(parts["appellation"], np.int64)
        rome = joined(parts["rome"], np.int64)
        self.size = len(appellation)
        self.by_appellation = self._sorted(appellation, base)
        self.by_rome = self._sorted(rome, base)
        self.by_place = self._sorted(np.zeros(self.size, dtype=np.int64), base)

    @staticmethod
    def _sorted(key: np.ndarray, base: dict) -> _Sorted:
        order = np.lexsort((base["latitude"], key))
        return _Sorted(key=key[order], **{name: values[order] for name, values in base.items()})

    def nbytes(self) -> int:
        return sum(
            array.nbytes
            for table in (self.by_appellation, self.by_rome, self.by_place)
            for array in vars(table).values()
        )

    def search(self, query: core.SearchQuery) -> tuple[int, list[int], list[float | None]]:
        """(count, structure ids of the page, their distances), like ``ranked_ids``."""
        if query.appellation_code is not None:
            table, key = self.by_appellation, query.appellation_code
        elif query.rome_code:
            table, key = self.by_rome, _rome_number(query.rome_code)
        else:
            table, key = self.by_place, 0
        start = int(np.searchsorted(table.key, key, side="left"))
        end = int(np.searchsorted(table.key, key, side="right"))
        lon_min = lon_max = None
        if query.has_place:
            lat_min, lat_max, lon_min, lon_max = geo.bounding_box(
                query.latitude, query.longitude, query.distance_km
            )
            band = table.latitude[start:end]
            start, end = (
                start + int(np.searchsorted(band, lat_min, side="left")),
                start + int(np.searchsorted(band, lat_max, side="right")),
            )
        window = slice(start, end)
        mask = np.ones(end - start, dtype=bool)
        longitude = table.longitude[window]
        if lon_min is not None:
            mask &= (longitude >= lon_min) & (longitude <= lon_max)
        if query.kind:
            mask &= table.kind[window] == self.KINDS.index(query.kind)
        flags = table.flags[window]
        for wanted, bit in (
            (query.ess_only, 1),
            (query.fit_for_disabled, 2),
            (query.minors_welcome, 4),
        ):
            if wanted:
                mask &= (flags & bit) != 0
        if query.causes:
            mask &= (table.causes[window] & query.causes) != 0
        if query.networks:
            mask &= (table.networks[window] & query.networks) != 0
        positions = np.flatnonzero(mask) + start
        structure = table.structure[positions]
        site = table.site[positions]
        if query.has_place:
            distances = geo.haversine_km(
                query.latitude,
                query.longitude,
                table.latitude[positions],
                table.longitude[positions],
            )
            inside = distances <= query.distance_km
            positions, structure, site, distances = (
                positions[inside],
                structure[inside],
                site[inside],
                distances[inside],
            )
            order = np.lexsort((site, distances, structure))
        else:
            distances = None
            order = np.lexsort((site, structure))
        sorted_structures = structure[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = sorted_structures[1:] != sorted_structures[:-1]
        keep = order[first]
        structure = structure[keep]
        distances = distances[keep] if distances is not None else None
        updated = table.updated[positions[keep]]
        if query.sort == core.Sort.DATE:
            near = distances if distances is not None else np.zeros(len(structure))
            order = np.lexsort((structure, near, -updated))
        elif distances is not None:
            order = np.lexsort((structure, distances))
        else:
            order = np.argsort(structure, kind="stable")
        first_row = (query.page - 1) * query.page_size
        page = order[first_row : first_row + query.page_size]
        return (
            len(structure),
            structure[page].tolist(),
            distances[page].tolist() if distances is not None else [None] * len(page),
        )
