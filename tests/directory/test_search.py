"""The core search: circle, métier, filters, one result per structure, orders, pages,
and structures that disappear and come back on their own."""

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
import time_machine

from immersio.core import geo
from immersio.directory import forms, search
from immersio.directory.indexing import reindex_structures
from immersio.directory.search import InvalidQuery, PageOutOfRange, SearchQuery, Sort
from immersio.structures.models import HostStructure, ReceivedRequest

from .factories import (
    BOULANGER,
    HORTICULTEUR,
    LYON,
    MARAICHER,
    SiteSpec,
    at,
    east_of,
    make_structure,
    north_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("referentials")]

PARIS = ZoneInfo("Europe/Paris")


def query(**changes) -> SearchQuery:
    values = {
        "appellation_code": MARAICHER,
        "latitude": LYON[0],
        "longitude": LYON[1],
        "distance_km": 10,
        "sort": Sort.DISTANCE,
        "page_size": 100,
    }
    values.update(changes)
    return SearchQuery(**values)


def names(result) -> list[str]:
    return [hit.structure.name for hit in result.hits]


def found(**changes) -> list[str]:
    return names(search.search(query(**changes)))


# Geometry ------------------------------------------------------------------------------


def test_haversine_matches_known_distances():
    # Lyon → Paris (centres of the communes), checked with the law of cosines.
    paris = (48.86029, 2.34052)
    phi1, phi2 = np.radians(LYON[0]), np.radians(paris[0])
    expected = geo.EARTH_RADIUS_KM * np.arccos(
        np.sin(phi1) * np.sin(phi2)
        + np.cos(phi1) * np.cos(phi2) * np.cos(np.radians(paris[1] - LYON[1]))
    )
    [distance] = geo.haversine_km(*LYON, np.array([paris[0]]), np.array([paris[1]]))
    assert distance == pytest.approx(expected, abs=1e-6)
    assert distance == pytest.approx(392.78, abs=0.01)
    [north] = geo.haversine_km(*LYON, *map(np.array, zip(north_of(LYON, 10), strict=True)))
    assert north == pytest.approx(10, abs=1e-6)
    [east] = geo.haversine_km(*LYON, *map(np.array, zip(east_of(LYON, 25), strict=True)))
    assert east == pytest.approx(25, abs=1e-6)


def test_bounding_box_contains_the_circle():
    for latitude in (-60.0, 0.0, 45.7, 80.0):
        box = geo.bounding_box(latitude, 10.0, 100)
        for bearing in np.linspace(0, 2 * np.pi, 73):
            angle = 100 / geo.EARTH_RADIUS_KM
            lat1 = np.radians(latitude)
            lat2 = np.arcsin(
                np.sin(lat1) * np.cos(angle) + np.cos(lat1) * np.sin(angle) * np.cos(bearing)
            )
            lon2 = 10.0 + np.degrees(
                np.arctan2(
                    np.sin(bearing) * np.sin(angle) * np.cos(lat1),
                    np.cos(angle) - np.sin(lat1) * np.sin(lat2),
                )
            )
            assert box[0] <= np.degrees(lat2) <= box[1]
            if box[2] is not None:
                assert box[2] <= lon2 <= box[3]
    # Near a pole or across the antimeridian: no longitude bounds.
    assert geo.bounding_box(89.5, 0, 100)[2:] == (None, None)
    assert geo.bounding_box(0, 179.9, 50)[2:] == (None, None)


def test_radius_boundaries_follow_the_haversine_distance():
    make_structure("Dedans", sites=[at(north_of(LYON, 9.99))])
    make_structure("Limite est", sites=[at(east_of(LYON, 9.995))])
    make_structure("Dehors", sites=[at(north_of(LYON, 10.01))])
    make_structure("Dehors est", sites=[at(east_of(LYON, 10.005))])
    result = search.search(query())
    assert names(result) == ["Dedans", "Limite est"]
    assert [round(hit.distance_km, 3) for hit in result.hits] == [9.99, 9.995]
    assert found(distance_km=30) == ["Dedans", "Limite est", "Dehors est", "Dehors"]


def test_without_place_the_whole_country_and_no_distance():
    make_structure("Lyon")
    make_structure("Brest", sites=[SiteSpec(commune="29019")])
    result = search.search(query(latitude=None, longitude=None, sort=Sort.RELEVANCE))
    assert sorted(names(result)) == ["Brest", "Lyon"]
    assert all(hit.distance_km is None for hit in result.hits)


# Métier --------------------------------------------------------------------------------


def test_appellation_or_whole_rome():
    make_structure("Maraîchers", sites=[at(LYON, MARAICHER)])
    make_structure("Horticulteurs", sites=[at(north_of(LYON, 1), HORTICULTEUR)])
    make_structure("Boulangerie", sites=[at(north_of(LYON, 2), BOULANGER)])
    assert found() == ["Maraîchers"]
    assert found(appellation_code=HORTICULTEUR) == ["Horticulteurs"]
    assert found(appellation_code=None, rome_code="A1414") == ["Maraîchers", "Horticulteurs"]
    assert found(appellation_code=None) == ["Maraîchers", "Horticulteurs", "Boulangerie"]


def test_one_result_per_structure_at_its_nearest_matching_site():
    structure = make_structure(
        "Deux lieux",
        sites=[
            at(north_of(LYON, 6), MARAICHER, HORTICULTEUR),
            at(north_of(LYON, 2), BOULANGER),
            at(north_of(LYON, 4), MARAICHER),
        ],
    )
    result = search.search(query())
    assert result.count == 1
    [hit] = result.hits
    assert hit.structure.pk == structure.pk
    assert hit.distance_km == pytest.approx(4)
    assert hit.site.latitude == pytest.approx(north_of(LYON, 4)[0])
    assert [a.code for a in hit.appellations] == [MARAICHER]
    # The whole ROME: the nearest site with one of its métiers, and those offered there.
    [hit] = search.search(query(appellation_code=None, rome_code="A1414")).hits
    assert hit.distance_km == pytest.approx(4)
    # Without métier: the nearest site, and everything offered there.
    [hit] = search.search(query(appellation_code=None)).hits
    assert hit.distance_km == pytest.approx(2)
    assert [a.label for a in hit.appellations] == ["Boulanger / Boulangère"]


def test_hit_details():
    make_structure(
        "Jardin",
        brand_name="Les Jardins du Rhône",
        answer_rate=0.95,
        causes=["alimentation", "biodiversite-nature"],
        networks=["fne"],
        sites=[at(LYON, MARAICHER, HORTICULTEUR)],
    )
    [hit] = search.search(query(appellation_code=None, rome_code="A1414")).hits
    assert hit.structure.display_name == "Les Jardins du Rhône"
    assert hit.site.commune.name == "Lyon"
    assert [a.label for a in hit.appellations] == [
        "Horticulteur / Horticultrice",
        "Maraîcher / Maraîchère",
    ]
    assert [c.slug for c in hit.causes] == ["alimentation", "biodiversite-nature"]
    assert [n.slug for n in hit.networks] == ["fne"]
    assert hit.answer_rate == 0.95 and hit.usually_answers


# Filters -------------------------------------------------------------------------------


def test_each_filter():
    make_structure("Rien", kind=HostStructure.Kind.COMPANY)
    make_structure(
        "Tout",
        kind=HostStructure.Kind.ASSOCIATION,
        is_ess=True,
        fit_for_disabled_workers=True,
        welcomes_minors=True,
        causes=["eau", "culture"],
        networks=["graine"],
    )
    make_structure("Autre cause", causes=["sante"], networks=["relief"])
    bits = dict(search.Cause.objects.values_list("slug", "bit"))
    network_bits = dict(search.Network.objects.values_list("slug", "bit"))
    assert sorted(found()) == ["Autre cause", "Rien", "Tout"]
    assert found(kind="entreprise") == ["Rien"]
    assert sorted(found(kind="association")) == ["Autre cause", "Tout"]
    assert found(ess_only=True) == ["Tout"]
    assert found(fit_for_disabled=True) == ["Tout"]
    assert found(minors_welcome=True) == ["Tout"]
    assert found(causes=1 << bits["culture"]) == ["Tout"]
    # Several causes: at least one of them.
    assert sorted(found(causes=1 << bits["culture"] | 1 << bits["sante"])) == [
        "Autre cause",
        "Tout",
    ]
    assert found(causes=1 << bits["habitat"]) == []
    assert found(networks=1 << network_bits["relief"]) == ["Autre cause"]


def test_free_text_is_accent_insensitive_and_matches_word_beginnings():
    make_structure("Épicerie solidaire de la Croix-Rousse", description="Fruits et légumes")
    make_structure("Boulangerie Dupont", description="Pain au levain, viennoiseries")
    make_structure("Ferme", brand_name="La Cueillette", description="Légumes BIO de saison")
    assert found(text="epicerie") == ["Épicerie solidaire de la Croix-Rousse"]
    assert set(found(text="LÉGUMES")) == {"Épicerie solidaire de la Croix-Rousse", "Ferme"}
    assert found(text="légumes bio") == ["Ferme"]
    assert found(text="cueil") == ["Ferme"]
    assert found(text="ueillette") == []  # inside a word: no
    assert found(text="levain croix") == []  # every word must match
    # Text only: the whole country.
    assert found(text="viennoiserie", appellation_code=None, latitude=None, longitude=None) == [
        "Boulangerie Dupont"
    ]


# Orders and pages ----------------------------------------------------------------------


def test_sort_by_distance_then_id():
    first = make_structure("B", sites=[at(north_of(LYON, 3))])
    second = make_structure("A", sites=[at(north_of(LYON, 3))])
    make_structure("C", sites=[at(north_of(LYON, 1))])
    assert found() == ["C", "B", "A"]
    assert first.pk < second.pk


def test_sort_by_date_most_recently_updated_first():
    old = make_structure("Ancienne", sites=[at(north_of(LYON, 1))])
    make_structure("Récente", sites=[at(north_of(LYON, 5))])
    HostStructure.objects.filter(pk=old.pk).update(updated_at=old.updated_at - timedelta(days=9))
    reindex_structures([old.pk])
    assert found(sort=Sort.DATE) == ["Récente", "Ancienne"]
    assert found(sort=Sort.DATE, latitude=None, longitude=None) == ["Récente", "Ancienne"]


def test_relevance_prefers_good_score_and_proximity():
    make_structure("Loin et muette", answer_rate=0.0, sites=[at(north_of(LYON, 9.5))])
    make_structure("Proche et fiable", answer_rate=1.0, sites=[at(north_of(LYON, 0.5))])
    make_structure("Moyenne", answer_rate=0.6, sites=[at(north_of(LYON, 5))])
    assert found(sort=Sort.RELEVANCE) == ["Proche et fiable", "Moyenne", "Loin et muette"]


def test_relevance_shuffles_close_structures_with_a_seed_of_the_day():
    for n in range(40):  # same score, same place: one relevance bucket
        make_structure(f"Structure {n:02d}", answer_rate=0.8, sites=[at(north_of(LYON, 1))])
    day = datetime(2026, 5, 4, 9, tzinfo=PARIS)
    first = found(sort=Sort.RELEVANCE, now=day)
    assert sorted(first) == sorted(found(sort=Sort.DISTANCE))
    assert first != sorted(first)  # shuffled
    # Stable within the day…
    assert found(sort=Sort.RELEVANCE, now=day.replace(hour=22)) == first
    assert found(sort=Sort.RELEVANCE, now=day.replace(hour=0, minute=1)) == first
    # …different the next day.
    assert found(sort=Sort.RELEVANCE, now=day + timedelta(days=1)) != first
    # The daily hash is a permutation-like spread, not the identity.
    hashes = search.daily_hash(np.arange(1, 1001), date(2026, 5, 4))
    assert len(set(hashes.tolist())) == 1000


def test_pagination_and_count():
    for n in range(25):
        make_structure(f"S{n:02d}", sites=[at(north_of(LYON, 0.1 + n * 0.2))])
    result = search.search(query(page_size=10, page=1))
    assert (result.count, result.pages, len(result.hits)) == (25, 3, 10)
    assert names(result) == [f"S{n:02d}" for n in range(10)]
    last = search.search(query(page_size=10, page=3))
    assert names(last) == [f"S{n:02d}" for n in range(20, 25)]
    with pytest.raises(PageOutOfRange) as error:
        search.search(query(page_size=10, page=4))
    assert error.value.pages == 3
    assert "3 pages" in str(error.value)
    # Every order gives the same structures over all pages.
    for sort in Sort.VALUES:
        seen = []
        for page in (1, 2, 3):
            seen += names(search.search(query(page_size=10, page=page, sort=sort)))
        assert sorted(seen) == [f"S{n:02d}" for n in range(25)]


def test_empty_result_is_one_empty_page():
    result = search.search(query())
    assert (result.count, result.pages, result.hits) == (0, 1, [])
    with pytest.raises(PageOutOfRange, match="une seule page"):
        search.search(query(page=2))


# Visibility ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status",
    [HostStructure.Status.PENDING, HostStructure.Status.SUSPENDED, HostStructure.Status.CLOSED],
)
def test_never_shows_unpublished_structures(status):
    make_structure("Cachée", status=status)
    make_structure("Publiée")
    assert found() == ["Publiée"]


def test_paused_structure_disappears_and_comes_back_after_its_pause():
    with time_machine.travel(datetime(2026, 6, 1, 10, tzinfo=PARIS), tick=False):
        make_structure("En pause", paused_until=date(2026, 6, 15))
        make_structure("Ouverte", sites=[at(north_of(LYON, 1))])
        assert found() == ["Ouverte"]
    with time_machine.travel(datetime(2026, 6, 15, 23, 59, tzinfo=PARIS), tick=False):
        assert found() == ["Ouverte"]
    with time_machine.travel(datetime(2026, 6, 16, 0, 0, 1, tzinfo=PARIS), tick=False):
        assert found() == ["En pause", "Ouverte"]  # no job ran in between


def test_over_capacity_structure_disappears_then_returns_after_7_days():
    received = datetime(2026, 6, 10, 14, tzinfo=PARIS)
    with time_machine.travel(received, tick=False):
        structure = make_structure("Très demandée", max_requests_per_month=4)
        assert found() == ["Très demandée"]
        ReceivedRequest.objects.create(structure=structure, received_at=received)
        reindex_structures([structure.pk])  # as the service does
        assert found() == []
    with time_machine.travel(received + timedelta(days=6, hours=23), tick=False):
        assert found() == []
    with time_machine.travel(received + timedelta(days=7, seconds=1), tick=False):
        assert found() == ["Très demandée"]


def test_similar_structures_nearby_for_the_same_rome():
    with time_machine.travel(datetime(2026, 6, 1, 10, tzinfo=PARIS), tick=False):
        paused = make_structure(
            "En pause", paused_until=date(2026, 6, 30), sites=[at(LYON, MARAICHER)]
        )
        make_structure("Horticulture proche", sites=[at(north_of(LYON, 3), HORTICULTEUR)])
        make_structure("Maraîcher loin", sites=[at(north_of(LYON, 60), MARAICHER)])
        make_structure("Boulangerie", sites=[at(north_of(LYON, 1), BOULANGER)])
        similar = search.similar_structures(paused)
        assert [hit.structure.name for hit in similar] == ["Horticulture proche"]
        far_only = make_structure("Seule", sites=[at(north_of(LYON, 200), BOULANGER)])
        assert search.similar_structures(far_only) == []


# Parameters ----------------------------------------------------------------------------


def build(**params):
    return forms.build_query(params)


def errors(**params) -> dict:
    with pytest.raises(InvalidQuery) as error:
        build(**params)
    return error.value.errors


def test_build_query_reads_text_parameters():
    built = build(
        appellation=" 16384 ",
        commune="69123",
        distance_km="30",
        q="bio",
        cause=["eau", "culture"],
        network="fne",
        kind="association",
        ess_only="true",
        fit_for_disabled="1",
        minors_welcome="oui",
        sort="date",
        page="2",
        page_size="24",
    )
    bits = dict(search.Cause.objects.values_list("slug", "bit"))
    assert built == replace(
        SearchQuery(),
        appellation_code=MARAICHER,
        latitude=LYON[0],
        longitude=LYON[1],
        distance_km=30,
        text="bio",
        causes=1 << bits["eau"] | 1 << bits["culture"],
        networks=1 << search.Network.objects.get(slug="fne").bit,
        kind="association",
        ess_only=True,
        fit_for_disabled=True,
        minors_welcome=True,
        sort="date",
        page=2,
        page_size=24,
    )
    assert build(rome="a1414", latitude="45,5", longitude="4.8").rome_code == "A1414"
    assert build(rome="a1414").latitude is None


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"appellation": "99"}, "appellation", "Aucun métier ne porte le code 99"),
        ({"appellation": "abc"}, "appellation", "Le métier doit être un nombre entier."),
        ({"rome": "Z9999"}, "rome", "Le code ROME « Z9999 » n'existe pas"),
        ({"appellation": "16384", "rome": "D1102"}, "rome", "ne correspond pas"),
        ({"commune": "99999"}, "commune", "Nous ne connaissons pas la commune"),
        ({"commune": "69123", "latitude": "45"}, "commune", "pas les deux"),
        ({"latitude": "45.7"}, "longitude", "Indiquez aussi la longitude"),
        ({"longitude": "4.8"}, "latitude", "Indiquez aussi la latitude"),
        ({"latitude": "91", "longitude": "4"}, "latitude", "entre -90 et 90"),
        ({"latitude": "45", "longitude": "-181"}, "longitude", "entre -180 et 180"),
        ({"latitude": "nord", "longitude": "4"}, "latitude", "doit être un nombre"),
        ({"latitude": "nan", "longitude": "4"}, "latitude", "doit être un nombre"),
        ({"commune": "69123", "distance_km": "0.5"}, "distance_km", "entre 1 et 100 km"),
        ({"commune": "69123", "distance_km": "101"}, "distance_km", "entre 1 et 100 km"),
        ({"q": "x" * 101}, "q", "100 caractères"),
        ({"q": "bio", "cause": ["inconnue"]}, "cause", "Cause inconnue : inconnue."),
        ({"q": "bio", "network": ["xyz"]}, "network", "Réseau inconnu : xyz."),
        ({"q": "bio", "kind": "banque"}, "kind", "Type de structure inconnu"),
        ({"q": "bio", "sort": "prix"}, "sort", "Tri inconnu"),
        ({"q": "bio", "sort": "distance"}, "sort", "demande un lieu"),
        ({"q": "bio", "page": "0"}, "page", "commence à 1"),
        ({"q": "bio", "page": "-3"}, "page", "commence à 1"),
        ({"q": "bio", "page_size": "101"}, "page_size", "entre 1 et 100"),
        ({"q": "bio", "ess_only": "peut-être"}, "ess_only", "oui ou non"),
        ({}, "__all__", "Indiquez au moins un métier, un lieu ou des mots-clés."),
        ({"q": "   "}, "__all__", "Indiquez au moins"),
    ],
)
def test_build_query_explains_what_is_wrong_in_french(params, field, message):
    assert message in errors(**params)[field]


def test_build_query_reports_every_problem_at_once():
    assert set(errors(appellation="1", latitude="100", longitude="4", page="x")) == {
        "appellation",
        "latitude",
        "page",
    }
