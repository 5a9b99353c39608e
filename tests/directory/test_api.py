"""GET /api/v1/structures/search: the shape of the answer and every refusal (422)."""

import pytest

from immersio.api.schemas import ValidationErrorOut as ErrorOut
from immersio.directory.api import SearchOut

from .factories import BOULANGER, LYON, MARAICHER, at, make_structure, north_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("referentials")]

URL = "/api/v1/structures/search"


def get(client, **params):
    return client.get(URL, params)


def test_answer_shape(client):
    structure = make_structure(
        "Les Jardins",
        answer_rate=0.92,
        causes=["alimentation"],
        networks=["fne", "cress"],
        sites=[at(north_of(LYON, 2.5), MARAICHER, BOULANGER)],
    )
    response = get(client, appellation="16384", commune="69123", distance_km="30")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body == {
        "count": 1,
        "page": 1,
        "page_size": 12,
        "results": [
            {
                "id": str(structure.public_id),
                "name": "Les Jardins",
                "distance_km": 2.5,
                "commune": "Lyon",
                "latitude": north_of(LYON, 2.5)[0],
                "longitude": LYON[1],
                "appellations": [{"code": "16384", "label": "Maraîcher / Maraîchère"}],
                "causes": ["alimentation"],
                "networks": ["cress", "fne"],
                "answer_rate": 0.92,
                "url": f"http://testserver/structure/{structure.public_id}/",
            }
        ],
    }
    SearchOut.model_validate(body)  # the documented schema


def test_coordinates_rome_filters_sort_and_pages(client):
    for n in range(5):
        make_structure(f"S{n}", kind="association", sites=[at(north_of(LYON, n + 1))])
    make_structure("Entreprise", kind="entreprise", sites=[at(north_of(LYON, 0.5))])
    response = get(
        client,
        rome="A1414",
        latitude=str(LYON[0]),
        longitude=str(LYON[1]),
        kind="association",
        sort="distance",
        page="2",
        page_size="2",
    )
    body = response.json()
    assert (body["count"], body["page"], body["page_size"]) == (5, 2, 2)
    assert [item["name"] for item in body["results"]] == ["S2", "S3"]
    response = client.get(URL + "?q=s1&cause=alimentation&cause=eau&commune=69123")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_empty_result(client):
    body = get(client, appellation="16384", commune="69123").json()
    assert body == {"count": 0, "page": 1, "page_size": 12, "results": []}


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"appellation": "42"}, "appellation", "Aucun métier ne porte le code 42"),
        ({"rome": "Q1234"}, "rome", "Le code ROME « Q1234 » n'existe pas"),
        ({"commune": "00000"}, "commune", "Nous ne connaissons pas la commune"),
        ({"commune": "69123", "distance_km": "0"}, "distance_km", "entre 1 et 100 km"),
        ({"commune": "69123", "distance_km": "150"}, "distance_km", "entre 1 et 100 km"),
        ({"latitude": "95", "longitude": "4"}, "latitude", "entre -90 et 90"),
        ({"latitude": "45", "longitude": "200"}, "longitude", "entre -180 et 180"),
        ({"latitude": "45"}, "longitude", "Indiquez aussi la longitude"),
        ({"latitude": "quarante", "longitude": "4"}, "latitude", "doit être un nombre"),
        ({"commune": "69123", "page_size": "101"}, "page_size", "entre 1 et 100"),
        ({"commune": "69123", "page": "abc"}, "page", "nombre entier"),
        ({"commune": "69123", "sort": "hasard"}, "sort", "Tri inconnu"),
        ({"commune": "69123", "kind": "banque"}, "kind", "Type de structure inconnu"),
        ({"commune": "69123", "cause": "rien"}, "cause", "Cause inconnue"),
    ],
)
def test_bad_input_is_a_422_in_french(client, params, field, message):
    response = get(client, **params)
    assert response.status_code == 422
    body = response.json()
    ErrorOut.model_validate(body)
    [error] = [item for item in body["detail"] if item["loc"] == ["query", field]]
    assert message in error["msg"]


def test_no_criteria(client):
    response = client.get(URL)
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "type": "missing_criteria",
            "loc": ["query"],
            "msg": "Indiquez au moins un métier, un lieu ou des mots-clés.",
        }
    ]


def test_page_beyond_the_last_says_how_many_pages(client):
    for n in range(3):
        make_structure(f"S{n}")
    response = get(client, commune="69123", page_size="2", page="3")
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "type": "page_out_of_range",
            "loc": ["query", "page"],
            "msg": "Cette page n'existe pas : les résultats tiennent sur 2 pages.",
        }
    ]
    assert get(client, commune="69123", page_size="2", page="2").status_code == 200


def test_documented_in_openapi(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/structures/search"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"appellation", "rome", "latitude", "longitude", "commune", "distance_km", "q"} <= names
    assert {"cause", "network", "kind", "sort", "page", "page_size"} <= names
    assert set(operation["responses"]) == {"200", "422"}


def test_parameters_are_documented_from_the_form_that_validates_them(client):
    from immersio.directory.forms import SearchQueryForm

    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/structures/search"]["get"]
    documented = {parameter["name"]: parameter["schema"] for parameter in operation["parameters"]}
    fields = SearchQueryForm.base_fields
    assert documented["page_size"]["maximum"] == fields["page_size"].max_value == 100
    assert documented["distance_km"]["minimum"] == fields["distance_km"].min_value == 1
    assert documented["latitude"]["type"] == "number"
    assert documented["page"]["type"] == "integer"
    assert documented["ess_only"]["type"] == "boolean"
    assert set(documented["kind"]["enum"]) == {value for value, _ in fields["kind"].choices}
    assert documented["commune"]["pattern"] == "^([0-9][0-9AB]|2[AB])[0-9]{3}$"  # Corsica too


def test_a_decimal_comma_and_french_flags_are_read_as_on_the_page(client):
    make_structure("ESS", is_ess=True, sites=[at(north_of(LYON, 1))])
    make_structure("Autre", sites=[at(north_of(LYON, 2))])
    response = get(
        client, latitude=str(LYON[0]).replace(".", ","), longitude="4,83533", ess_only="oui"
    )
    assert response.status_code == 200
    assert [item["name"] for item in response.json()["results"]] == ["ESS"]


def test_every_refusal_comes_back_at_once_in_the_one_shape(client):
    response = get(client, appellation="1", latitude="100", longitude="4", page="x")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "unknown_appellation",
                "loc": ["query", "appellation"],
                "msg": "Aucun métier ne porte le code 1 : choisissez-le dans la liste.",
            },
            {
                "type": "invalid_latitude",
                "loc": ["query", "latitude"],
                "msg": "La latitude doit être comprise entre -90 et 90.",
            },
            {
                "type": "invalid_page",
                "loc": ["query", "page"],
                "msg": "Le numéro de page doit être un nombre entier.",
            },
        ]
    }
