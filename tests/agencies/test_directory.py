import json

import pytest
from django.urls import reverse

from immersio.agencies.models import Agency
from immersio.agencies.selectors import nearest_agencies
from immersio.referentials.models import Commune
from tests.structures.factories import lyon

from .factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _commune(insee, name, department, latitude, longitude):
    commune, _ = Commune.objects.get_or_create(
        insee_code=insee,
        defaults={
            "name": name,
            "department": department,
            "latitude": latitude,
            "longitude": longitude,
            "postal_codes": "",
            "normalized_name": name.lower(),
        },
    )
    return commune


@pytest.fixture
def places():
    return {
        "lyon": lyon(),
        "villeurbanne": _commune("69266", "Villeurbanne", "69", 45.7719, 4.8902),
        "vienne": _commune("38544", "Vienne", "38", 45.5255, 4.8740),
        "grenoble": _commune("38185", "Grenoble", "38", 45.1842, 5.7155),
    }


def _at(commune, **kwargs):
    return AgencyFactory(
        commune=commune, latitude=commune.latitude, longitude=commune.longitude, **kwargs
    )


def test_nearest_agencies_sorted_by_distance_with_radius_and_kinds(places):
    grenoble = _at(places["grenoble"], name="FT Grenoble")
    vienne = _at(places["vienne"], name="FT Vienne")
    villeurbanne = _at(places["villeurbanne"], name="ML Villeurbanne", kind="mission-locale")
    lyon_ft = _at(places["lyon"], name="FT Lyon")
    _at(places["lyon"], name="FT Lyon en attente", pending=True)
    lat, lon = places["lyon"].latitude, places["lyon"].longitude
    assert [hit.agency for hit in nearest_agencies(lat, lon)] == [
        lyon_ft,
        villeurbanne,
        vienne,
        grenoble,
    ]
    within_30 = nearest_agencies(lat, lon, radius_km=30)
    assert [hit.agency for hit in within_30] == [lyon_ft, villeurbanne, vienne]
    assert within_30[0].distance_km == 0
    assert [hit.agency for hit in nearest_agencies(lat, lon, kinds=["mission-locale"])] == [
        villeurbanne
    ]
    assert len(nearest_agencies(lat, lon, limit=2)) == 2


def test_directory_search_by_commune_code(client, places):
    _at(places["grenoble"], name="FT Grenoble")
    _at(places["villeurbanne"], name="ML Villeurbanne", kind="mission-locale")
    _at(places["lyon"], name="FT Lyon")
    response = client.get(
        reverse("agencies:directory"), {"lieu": "Lyon", "commune": "69123", "rayon": "10"}
    )
    assert response.status_code == 200
    names = [hit.agency.name for hit in response.context["hits"]]
    assert names == ["FT Lyon", "ML Villeurbanne"]
    content = response.content.decode()
    assert "2 prescripteurs" in content
    markers = json.loads(
        content.split('id="agency-markers" type="application/json">')[1].split("<")[0]
    )
    assert markers[0]["name"] == "FT Lyon"
    response = client.get(
        reverse("agencies:directory"),
        {"lieu": "Lyon", "commune": "69123", "rayon": "10", "type": "mission-locale"},
    )
    assert [hit.agency.name for hit in response.context["hits"]] == ["ML Villeurbanne"]


def test_directory_without_javascript_matches_the_typed_commune(client, referentials):
    AgencyFactory(name="FT Lyon Part-Dieu")
    response = client.get(reverse("agencies:directory"), {"lieu": "lyon", "rayon": "5"})
    assert [hit.agency.name for hit in response.context["hits"]] == ["FT Lyon Part-Dieu"]
    response = client.get(reverse("agencies:directory"), {"lieu": "Zzzyx", "rayon": "5"})
    assert "Aucune commune ne correspond" in response.content.decode()


def test_directory_page_and_agency_page(client, places):
    agency = _at(places["lyon"], name="FT Lyon")
    pending = _at(places["lyon"], name="En attente", pending=True)
    assert client.get(reverse("agencies:directory")).status_code == 200
    response = client.get(reverse("agencies:detail", kwargs={"public_id": agency.public_id}))
    assert response.status_code == 200
    assert "FT Lyon" in response.content.decode()
    response = client.get(reverse("agencies:detail", kwargs={"public_id": pending.public_id}))
    assert response.status_code == 404
    assert Agency.objects.count() == 2
