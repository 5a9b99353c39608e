"""The synthetic directory: counts, valid data, plausible distributions, determinism, and
the same index rows as the indexing code would write."""

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.core.management import call_command
from django.db import transaction

from immersio.core.validators import luhn_ok, siret_error
from immersio.demo import directory as demo
from immersio.demo import generator
from immersio.directory import indexing
from immersio.directory.models import IndexEntry, StructureText
from immersio.referentials.models import Commune
from immersio.structures.models import HostStructure, Offer, Site

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("referentials")]

NOW = datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def directory():
    return generator.generate(structures=600, seed=7, now=NOW, batch_size=250)


def snapshot():
    structures = list(
        HostStructure.objects.order_by("pk").values_list(
            "pk", "siret", "name", "kind", "is_ess", "naf", "status", "answer_rate"
        )
    )
    sites = list(Site.objects.order_by("pk").values_list("structure", "commune", "latitude"))
    offers = list(Offer.objects.order_by("pk").values_list("site", "appellation"))
    return structures, sites, offers


def test_counts_and_valid_data(directory):
    assert directory.structures == HostStructure.objects.count() == 600
    assert directory.sites == Site.objects.count()
    assert directory.offers == Offer.objects.count() == IndexEntry.objects.count()
    assert 1.7 <= directory.offers / directory.structures <= 2.3  # about 2 per structure
    assert 1.0 <= directory.sites / directory.structures <= 1.12
    sirets = list(HostStructure.objects.values_list("siret", flat=True))
    assert len(set(sirets)) == 600
    assert all(siret_error(siret) is None for siret in sirets)
    assert all(luhn_ok(siret[:9]) for siret in sirets)  # the SIREN too
    for structure in HostStructure.objects.order_by("?")[:20]:
        structure.full_clean()  # every field passes the model's validation
    # 1 to 4 métiers per site, all different.
    per_site = Counter(Offer.objects.values_list("site", flat=True))
    assert set(per_site.values()) <= {1, 2, 3, 4}


def test_realistic_distribution(directory):
    kinds = Counter(HostStructure.objects.values_list("kind", flat=True))
    assert kinds["entreprise"] > kinds["association"] > kinds["siae"]
    associations = HostStructure.objects.filter(kind="association")
    companies = HostStructure.objects.filter(kind="entreprise")
    assert associations.filter(is_ess=True).count() / associations.count() > 0.7
    assert companies.filter(is_ess=True).count() / companies.count() < 0.15
    with_networks = HostStructure.objects.exclude(networks=None).distinct()
    assert with_networks.filter(kind="association").count() > with_networks.filter(
        kind="entreprise"
    ).count() * (associations.count() / companies.count())
    statuses = Counter(HostStructure.objects.values_list("status", flat=True))
    assert statuses["publiee"] / 600 > 0.9
    # Places follow the population: big cities hold many structures, and sites stay
    # within a few kilometres of their commune's centre.
    departments = Counter(commune[:2] for commune in Site.objects.values_list("commune", flat=True))
    assert departments["75"] > departments.get("48", 0)
    assert departments.most_common(1)[0][1] < 600 * 0.1
    for site in Site.objects.select_related("commune").order_by("?")[:50]:
        assert abs(site.latitude - site.commune.latitude) < 0.15
    # Names read like names.
    assert all(
        2 < len(name) <= 255 for name in HostStructure.objects.values_list("name", flat=True)
    )


def test_the_index_rows_are_those_of_the_indexing_code(directory):
    fields = [
        field.attname for field in IndexEntry._meta.concrete_fields if field.attname != "score"
    ]
    generated = sorted(IndexEntry.objects.values_list(*fields))
    scores = dict(IndexEntry.objects.values_list("offer_id", "score"))
    texts = dict(StructureText.objects.values_list("structure_id", "text"))
    indexing.reindex_all(now=NOW)
    assert sorted(IndexEntry.objects.values_list(*fields)) == generated
    assert dict(StructureText.objects.values_list("structure_id", "text")) == texts
    for offer_id, score in IndexEntry.objects.values_list("offer_id", "score"):
        assert score == pytest.approx(scores[offer_id], abs=0.02)  # rounding to 0.01


def generated(seed: int, batch_size: int) -> tuple:
    """A directory's content, generated then rolled back."""
    with transaction.atomic():
        generator.generate(structures=1200, seed=seed, now=NOW, batch_size=batch_size)
        content = snapshot()
        transaction.set_rollback(True)
    return content


def test_deterministic_for_a_seed():
    first = generated(3, batch_size=1000)
    second = generated(3, batch_size=2000)  # whatever the batch size
    assert [row[1:] for row in second[0]] == [row[1:] for row in first[0]]
    assert [row[1:] for row in second[1]] == [row[1:] for row in first[1]]
    assert [row[1] for row in second[2]] == [row[1] for row in first[2]]
    assert [row[1:] for row in generated(4, batch_size=1000)[0]] != [row[1:] for row in first[0]]


def test_sirets_are_luhn_valid_and_distinct():
    numbers = np.arange(10_000_000, 10_002_000, dtype=np.int64)
    sirets = generator.make_sirets(numbers)
    assert len(set(sirets)) == 2000
    assert all(siret_error(siret) is None for siret in sirets)


def test_the_command_is_a_dry_run_unless_told(capsys):
    call_command("generate_directory", "--structures", "50", "--seed", "2")
    out = capsys.readouterr().out
    assert "Simulation : 50 structures seraient créées" in out
    assert "Rien n'a été écrit" in out
    assert not HostStructure.objects.exists()
    call_command("generate_directory", "--structures", "50", "--seed", "2", "--wet-run")
    out = capsys.readouterr().out
    assert "Annuaire synthétique créé : 50 structures" in out
    assert HostStructure.objects.count() == 50


def test_generation_needs_the_referentials(monkeypatch):
    monkeypatch.setattr(Commune.objects, "exclude", lambda *args, **kwargs: Commune.objects.none())
    with pytest.raises(RuntimeError, match="import_referentials"):
        generator.generate(structures=1, seed=1)


def test_demo_is_idempotent():
    assert "300 structures" in demo.load()
    count = HostStructure.objects.count()
    assert count == 300
    assert "déjà présent" in demo.load()
    assert HostStructure.objects.count() == count
