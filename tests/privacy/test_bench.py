"""The retention benchmark (bench/retention.py) measures what it claims: half the
requests it writes are due, the job anonymises exactly those, and a second run has
nothing left to do."""

import pytest

from bench import retention as bench
from immersio.contacts.models import ContactRequest

pytestmark = pytest.mark.django_db


def test_a_tiny_run_finds_and_anonymises_half_the_requests():
    result = bench.measure_here(20)
    assert result["dry_run"]["found"] == 10 and result["dry_run"]["done"] == 0
    assert result["wet_run"]["done"] == 10 and result["wet_run"]["errors"] == 0
    assert result["second_run"]["found"] == 0
    assert result["anonymised"] == 10
    assert ContactRequest.objects.filter(anonymised_at__isnull=True).count() == 10


def test_the_docs_section_shows_each_database():
    result = bench.measure_here(4)
    text = bench.render(
        {
            "machine": {"date": "2026-11-30T12:00:00", "cpu_count": 2, "cpu_model": "x"}
            | {"python": "3.13", "django": "6.1"},
            "postgresql": "PostgreSQL 15",
            "parameters": {"requests": 4},
            "databases": {"sqlite": result, "postgresql": {"skipped": "PostgreSQL absent"}},
        }
    )
    assert "| SQLite | 4 |" in text
    assert "(2 anonymisées)" in text
    assert "| PostgreSQL | non mesuré : PostgreSQL absent |" in text
    assert "SQLite : au même rythme, 1 000 000 demandes" in text
