"""The search gives exactly what the in-memory reference (the benchmark's floor) gives,
on a generated directory and hundreds of seeded random queries."""

import random
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bench.search_lib.floor import Floor
from immersio.demo import generator
from immersio.directory import search
from immersio.directory.models import IndexEntry
from immersio.structures.models import Cause, Network

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("referentials")]

NOW = datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Europe/Paris"))
QUERIES = 400


def random_queries(rng: random.Random) -> list[search.SearchQuery]:
    """Queries around the offers of the directory (so that most find something): the
    métier of an offer (its appellation, its ROME code, or none), near its place."""
    rows = list(
        IndexEntry.objects.order_by("offer_id").values_list(
            "appellation_code", "rome_code", "latitude", "longitude"
        )
    )
    cause_bits = list(Cause.objects.values_list("bit", flat=True))
    network_bits = list(Network.objects.values_list("bit", flat=True))
    queries = []
    for _ in range(QUERIES):
        appellation, rome, lat, lon = rng.choice(rows)
        values = {
            "distance_km": rng.choice([1, 5, 10, 30, 60, 100, rng.uniform(1, 100)]),
            "sort": rng.choice([search.Sort.DISTANCE, search.Sort.DISTANCE, search.Sort.DATE]),
            "page_size": rng.choice([1, 5, 12, 48, 100]),
            "page": rng.choice([1, 1, 1, 2, 3]),
            "now": NOW,
        }
        what = rng.random()
        if what < 0.5:
            values["appellation_code"] = appellation
        elif what < 0.8:
            values["rome_code"] = rome
        if "appellation_code" in values or "rome_code" in values or rng.random() < 0.9:
            values["latitude"] = lat + rng.uniform(-0.1, 0.1)
            values["longitude"] = lon + rng.uniform(-0.1, 0.1)
        else:
            values["sort"] = search.Sort.DATE
        if rng.random() < 0.15:
            values["kind"] = rng.choice(["entreprise", "association", "siae", "public"])
        values["ess_only"] = rng.random() < 0.1
        values["fit_for_disabled"] = rng.random() < 0.1
        values["minors_welcome"] = rng.random() < 0.1
        if rng.random() < 0.1:
            values["causes"] = sum(1 << bit for bit in rng.sample(cause_bits, 2))
        if rng.random() < 0.1:
            values["networks"] = 1 << rng.choice(network_bits)
        queries.append(search.SearchQuery(**values))
    return queries


def test_search_equals_the_in_memory_floor():
    generator.generate(structures=3000, seed=11, now=NOW)
    floor = Floor(now=NOW)
    assert floor.size == IndexEntry.objects.filter(listed=True, hidden_until=None).count()
    queries = random_queries(random.Random(20261120))
    non_empty = 0
    for query in queries:
        expected = floor.search(query)
        assert search.ranked_ids(query) == expected, query
        non_empty += expected[0] > 0
    assert non_empty > QUERIES * 0.35  # many find structures (pages 2 and 3 often empty)


def test_the_written_sql_selects_what_the_orm_query_selects():
    from django.db import connection

    generator.generate(structures=800, seed=12, now=NOW)
    for query in random_queries(random.Random(7))[:150]:
        columns = search.candidate_columns(query)
        expected = sorted(
            search.candidate_queryset(query, NOW, with_text=False).values_list(*columns)
        )
        sql, params = search.candidate_sql(query, NOW)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            assert sorted(cursor.fetchall()) == expected, query
