"""The search index: one row per offer, flags, visibility computed as a moment."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from immersio.directory import indexing
from immersio.directory.models import IndexEntry, StructureText
from immersio.structures.models import Cause, HostStructure, Network, Offer, ReceivedRequest

from .factories import BOULANGER, HORTICULTEUR, LYON, MARAICHER, SiteSpec, make_structure

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("referentials")]

PARIS = ZoneInfo("Europe/Paris")


def rows(structure):
    return list(IndexEntry.objects.filter(structure_id=structure.pk).order_by("offer_id"))


def test_one_row_per_offer_with_the_site_position_and_the_rome_code():
    structure = make_structure(
        sites=[
            SiteSpec(appellations=[MARAICHER, HORTICULTEUR], position=LYON),
            SiteSpec(appellations=[BOULANGER], commune="69266", position=(45.77, 4.88)),
        ]
    )
    entries = rows(structure)
    offers = list(Offer.objects.filter(site__structure=structure).order_by("pk"))
    assert [entry.offer_id for entry in entries] == [offer.pk for offer in offers]
    assert [(e.appellation_code, e.rome_code) for e in entries] == [
        (MARAICHER, "A1414"),
        (HORTICULTEUR, "A1414"),
        (BOULANGER, "D1102"),
    ]
    assert {(e.site_id, e.latitude, e.longitude) for e in entries} == {
        (offers[0].site_id, *LYON),
        (offers[2].site_id, 45.77, 4.88),
    }
    assert all(entry.structure_id == structure.pk for entry in entries)


def test_flags_and_bitmasks():
    structure = make_structure(
        kind=HostStructure.Kind.SIAE,
        is_ess=True,
        fit_for_disabled_workers=True,
        welcomes_minors=True,
        causes=["alimentation", "eau"],
        networks=["cress"],
    )
    [entry] = rows(structure)
    assert entry.kind == "siae"
    assert entry.is_ess and entry.fit_for_disabled and entry.welcomes_minors
    bits = dict(Cause.objects.values_list("slug", "bit"))
    assert entry.causes == (1 << bits["alimentation"]) | (1 << bits["eau"])
    assert entry.networks == 1 << Network.objects.get(slug="cress").bit
    plain = make_structure("Boulangerie", kind=HostStructure.Kind.COMPANY)
    [entry] = rows(plain)
    assert (entry.is_ess, entry.fit_for_disabled, entry.welcomes_minors) == (False,) * 3
    assert (entry.causes, entry.networks) == (0, 0)


@pytest.mark.parametrize(
    "status, listed",
    [
        (HostStructure.Status.PUBLISHED, True),
        (HostStructure.Status.PENDING, False),
        (HostStructure.Status.SUSPENDED, False),
        (HostStructure.Status.CLOSED, False),
    ],
)
def test_listed_only_when_published(status, listed):
    structure = make_structure(status=status, description="Légumes bio")
    [entry] = rows(structure)
    assert entry.listed is listed
    assert entry.hidden_until is None
    # The free text of unpublished structures is not searched.
    assert StructureText.objects.filter(structure_id=structure.pk).exists() is listed


def test_pause_hides_until_the_end_of_its_last_day():
    now = datetime(2026, 3, 10, 15, 0, tzinfo=PARIS)
    structure = make_structure(paused_until=date(2026, 3, 20), reindex=False)
    indexing.reindex_structures([structure.pk], now=now)
    [entry] = rows(structure)
    assert entry.hidden_until == datetime(2026, 3, 21, 0, 0, tzinfo=PARIS)
    # A pause that is over hides nothing.
    structure.paused_until = date(2026, 3, 9)
    structure.save()
    indexing.reindex_structures([structure.pk], now=now)
    assert rows(structure)[0].hidden_until is None


def test_capacity_hides_until_a_request_is_7_days_old():
    now = datetime(2026, 3, 10, 15, 0, tzinfo=PARIS)
    structure = make_structure(max_requests_per_month=4, reindex=False)  # 1 a week
    received = now - timedelta(days=2)
    ReceivedRequest.objects.create(structure=structure, received_at=received)
    indexing.reindex_structures([structure.pk], now=now)
    assert rows(structure)[0].hidden_until == received + timedelta(days=7)


def test_full_month_hides_until_the_next_month_and_the_latest_reason_wins():
    now = datetime(2026, 3, 28, 10, 0, tzinfo=PARIS)
    structure = make_structure(
        max_requests_per_month=8, paused_until=date(2026, 3, 29), reindex=False
    )
    for day in range(2, 10):  # 8 requests this month, none in the last 7 days
        ReceivedRequest.objects.create(
            structure=structure, received_at=datetime(2026, 3, day, 9, tzinfo=PARIS)
        )
    indexing.reindex_structures([structure.pk], now=now)
    assert rows(structure)[0].hidden_until == datetime(2026, 4, 1, tzinfo=PARIS)


def test_reindex_replaces_the_rows_of_changed_structures_only():
    kept = make_structure("Autre structure")
    structure = make_structure(sites=[SiteSpec(appellations=[MARAICHER, HORTICULTEUR])])
    Offer.objects.filter(site__structure=structure, appellation_id=HORTICULTEUR).delete()
    structure.name = "Nouveau nom"
    structure.save()
    written = indexing.reindex_structures([structure.pk, 999_999_999])
    assert written == 1
    assert [entry.appellation_code for entry in rows(structure)] == [MARAICHER]
    assert StructureText.objects.get(structure_id=structure.pk).text == " nouveau nom "
    assert len(rows(kept)) == 1
    assert indexing.reindex_structures([]) == 0


def test_deleting_a_structure_deletes_its_rows():
    structure = make_structure()
    structure.delete()
    assert not IndexEntry.objects.exists()
    assert not StructureText.objects.exists()


def test_reindex_is_set_based(django_assert_max_num_queries):
    structures = [make_structure(f"Structure {n}", reindex=False) for n in range(30)]
    with django_assert_max_num_queries(12):
        indexing.reindex_structures([structure.pk for structure in structures])
    assert IndexEntry.objects.count() == 30


def test_text_is_normalised_for_an_accent_insensitive_search():
    structure = make_structure(
        "L'Œuf Cocotte", brand_name="Épicerie Solidaire", description="Fruits & légumes — BIO !"
    )
    text = StructureText.objects.get(structure_id=structure.pk).text
    assert text == " l oeuf cocotte epicerie solidaire fruits legumes bio "


def test_score_formula():
    now = timezone.now()
    assert indexing.score(answer_rate=1.0, active_at=now, now=now) == 100
    assert indexing.score(answer_rate=0.0, active_at=None, now=now) == 0
    # Unknown answer rate: neutral 0.7.
    assert indexing.score(answer_rate=None, active_at=now, now=now) == pytest.approx(79)
    # Activity: full for 30 days, then decreasing to nothing at 365 days.
    assert indexing.score(
        answer_rate=1.0, active_at=now - timedelta(days=30), now=now
    ) == pytest.approx(100)
    half = now - timedelta(days=30 + 335 / 2)
    assert indexing.score(answer_rate=1.0, active_at=half, now=now) == pytest.approx(85)
    old = now - timedelta(days=800)
    assert indexing.score(answer_rate=0.5, active_at=old, now=now) == pytest.approx(35)


def test_score_in_the_index():
    structure = make_structure(answer_rate=0.9)
    assert rows(structure)[0].score == pytest.approx(100 * (0.7 * 0.9 + 0.3))
    assert rows(structure)[0].updated_ts == int(structure.updated_at.timestamp())


def test_reindex_all_and_the_command(capsys):
    first = make_structure("Première")
    second = make_structure("Seconde")
    IndexEntry.objects.all().delete()
    call_command("reindex_directory")
    assert "Simulation" in capsys.readouterr().out
    assert not IndexEntry.objects.exists()
    call_command("reindex_directory", "--wet-run")
    out = capsys.readouterr().out
    assert "Index reconstruit : 2 structures, 2 lignes." in out
    assert {entry.structure_id for entry in IndexEntry.objects.all()} == {first.pk, second.pk}
    assert indexing.reindex_all() == (2, 2)
