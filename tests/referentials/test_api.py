"""JSON API of the reference data (django-ninja, /api/v1/referentials/)."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("referentials")]

APPELLATIONS = "/api/v1/referentials/appellations"
COMMUNES = "/api/v1/referentials/communes"


def test_appellations(client):
    response = client.get(APPELLATIONS, {"q": "boul", "limit": 3})
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=3600"
    data = response.json()
    assert len(data) == 3
    assert data[0] == {
        "code": "11573",
        "label": "Boulanger / Boulangère",
        "rome_code": "D1102",
        "rome_label": "Boulangerie - viennoiserie",
    }


def test_communes(client):
    response = client.get(COMMUNES, {"q": "lyon"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=3600"
    data = response.json()
    assert len(data) == 10
    assert data[0] == {
        "insee_code": "69123",
        "name": "Lyon",
        "department": "69",
        "postal_codes": [f"6900{n}" for n in range(1, 10)],
        "latitude": pytest.approx(45.75881),
        "longitude": pytest.approx(4.83533),
    }


def test_a_commune_without_coordinates(client):
    data = client.get(COMMUNES, {"q": "Miquelon-Langlade"}).json()
    assert data[0]["insee_code"] == "97501"
    assert (data[0]["latitude"], data[0]["longitude"]) == (None, None)


@pytest.mark.parametrize("url", [APPELLATIONS, COMMUNES])
@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}])
def test_empty_query_gives_an_empty_list(client, url, params):
    response = client.get(url, params)
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize("url", [APPELLATIONS, COMMUNES])
def test_too_long_query_is_refused_in_french(client, url):
    response = client.get(url, {"q": "a" * 101})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == (
        "La recherche ne doit pas dépasser 100 caractères."
    )
    assert client.get(url, {"q": "a" * 100}).status_code == 200


@pytest.mark.parametrize("url", [APPELLATIONS, COMMUNES])
@pytest.mark.parametrize("limit", ["0", "51", "-1"])
def test_limit_out_of_range_is_refused(client, url, limit):
    response = client.get(url, {"q": "a", "limit": limit})
    assert response.status_code == 422
    assert "entre 1 et 50" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize("url", [APPELLATIONS, COMMUNES])
@pytest.mark.parametrize(
    "q", ["%", "_", "'", '"', "😀", "' OR '1'='1", "\\", "<script>", "%00", "é" * 100]
)
def test_odd_characters_give_a_list(client, url, q):
    response = client.get(url, {"q": q})
    assert response.status_code == 200
    assert isinstance(response.json(), list)


def test_openapi_documents_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    appellations = schema["paths"]["/api/v1/referentials/appellations"]["get"]
    assert appellations["summary"] == "Rechercher un métier (appellation ROME)"
    parameters = {parameter["name"]: parameter for parameter in appellations["parameters"]}
    assert parameters["q"]["schema"]["maxLength"] == 100
    assert "caractères" in parameters["q"]["description"]
    assert parameters["limit"]["schema"]["maximum"] == 50
    assert "/api/v1/referentials/communes" in schema["paths"]
    components = schema["components"]["schemas"]
    assert "Code OGR" in components["AppellationOut"]["properties"]["code"]["description"]
    assert "INSEE" in components["CommuneOut"]["properties"]["insee_code"]["description"]
