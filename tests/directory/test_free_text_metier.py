"""Issue 8 item 5: a métier typed without choosing a suggestion searches every métier it
matches, says so and offers the choices; it never turns into zero results silently. Also
in the API (``metier``, or a clear 422)."""

import re
from html import unescape

import pytest

from immersio.directory import forms, search

from .factories import BOULANGER, HORTICULTEUR, LYON, MARAICHER, at, make_structure, north_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("referentials")]

SEARCH = "/trouver-une-immersion/"
API = "/api/v1/structures/search"


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_maraichage_finds_the_market_gardeners_8_km_away(client):
    make_structure("Ferme des Sept Chemins", sites=[at(north_of(LYON, 8), MARAICHER)])
    make_structure("Boulangerie", sites=[at(north_of(LYON, 2), BOULANGER)])
    html = client.get(SEARCH, {"metier": "maraîchage", "lieu": "Lyon", "rayon": "10"}).text
    text = text_of(html)
    assert "1 structure trouvée" in text
    assert "Ferme des Sept Chemins" in text and "Boulangerie</a>" not in html
    # What was typed stays in the field; the page says which métiers were searched…
    assert 'value="maraîchage"' in html
    assert "Vous avez tapé « maraîchage » sans choisir de suggestion" in text
    assert re.search(r"la recherche porte sur les \d+ métiers", text)
    assert "« Maraîcher / Maraîchère »" in text
    # … and offers each of them alone.
    links = [unescape(link) for link in re.findall(r'href="\?([^"]+)"', html)]
    assert any("appellation=16384" in link and "lieu=Lyon" in link for link in links)
    one = next(link for link in links if "appellation=16384" in link)
    alone = client.get(SEARCH + "?" + one).text
    assert "1 structure trouvée" in text_of(alone)
    assert "sans choisir de suggestion" not in text_of(alone)


def test_every_matching_metier_is_searched(client):
    make_structure("Maraîchers", sites=[at(north_of(LYON, 3), MARAICHER)])
    make_structure("Horticulteurs", sites=[at(north_of(LYON, 3), HORTICULTEUR)])
    query = forms.build_query({"metier": "maraîchage", "commune": "69123"})
    assert query.appellation_code is None
    assert MARAICHER in query.appellation_codes
    assert len(query.appellation_codes) > 1
    assert search.search(query).count == 1  # the horticulteurs are not market gardeners


def test_a_whole_label_typed_is_that_metier(client):
    query = forms.build_query({"metier": "maraîcher / maraîchère", "commune": "69123"})
    assert query.appellation_code == MARAICHER and not query.appellation_codes
    make_structure("Maraîchers", sites=[at(north_of(LYON, 3), MARAICHER)])
    html = client.get(SEARCH, {"metier": "Maraîcher / Maraîchère", "lieu": "Lyon"}).text
    assert "1 structure trouvée" in text_of(html)
    assert 'value="16384"' in html
    assert "sans choisir de suggestion" not in text_of(html)


def test_rome_code_never_stays_raw_in_the_field(client):
    make_structure("Horticulture", sites=[at(north_of(LYON, 3), HORTICULTEUR)])
    html = client.get(SEARCH, {"metier": "a1414", "lieu": "Lyon"}).text
    assert "1 structure trouvée" in text_of(html)
    assert 'value="a1414"' not in html and 'value="A1414"' not in html
    field = re.search(r'id="recherche-metier"[^>]*value="([^"]*)"', html) or re.search(
        r'value="([^"]*)"[^>]*id="recherche-metier"', html
    )
    assert field, "le champ Métier est introuvable"
    shown = unescape(field[1])
    assert shown.endswith("(A1414)") and len(shown) > len("(A1414)") + 5
    # Sent again as shown, it is the same search.
    again = client.get(SEARCH, {"metier": shown, "lieu": "Lyon"}).text
    assert "1 structure trouvée" in text_of(again)


def test_api_searches_a_metier_typed_as_text(client):
    make_structure("Ferme des Sept Chemins", sites=[at(north_of(LYON, 8), MARAICHER)])
    make_structure("Boulangerie", sites=[at(north_of(LYON, 2), BOULANGER)])
    response = client.get(API, {"metier": "maraîchage", "commune": "69123"})
    assert response.status_code == 200
    assert [hit["name"] for hit in response.json()["results"]] == ["Ferme des Sept Chemins"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"metier": "zzqxw", "commune": "69123"}, "Aucun métier ne correspond à « zzqxw »"),
        (
            {"metier": "maraîchage", "appellation": "16384"},
            "Indiquez le métier par son nom ou par son code, pas les deux.",
        ),
    ],
)
def test_api_refuses_a_metier_it_cannot_understand(client, params, message):
    response = client.get(API, params)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "metier"]
    assert error["type"] == "unknown_metier"
    assert message in error["msg"]
