"""The pages « Trouver une immersion » and a structure's page, without JavaScript."""

import json
import re
import uuid
from datetime import date, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from immersio.structures.models import HostStructure, ReceivedRequest

from .factories import BOULANGER, HORTICULTEUR, LYON, MARAICHER, at, make_structure, north_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("referentials")]

PARIS = ZoneInfo("Europe/Paris")
SEARCH = "/trouver-une-immersion/"


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_urls():
    assert reverse("directory:search") == SEARCH
    public_id = uuid.uuid4()
    assert reverse("directory:structure", kwargs={"public_id": public_id}) == (
        f"/structure/{public_id}/"
    )


def test_page_without_search(client):
    response = client.get(SEARCH)
    assert response.status_code == 200
    html = response.text
    assert "Trouver une immersion</h1>" in html
    assert 'role="search"' in html
    assert '<label class="form-label" for="recherche-metier">Métier</label>' in html
    assert '<label class="form-label" for="recherche-lieu">Commune</label>' in html
    assert "Comment chercher" in html
    assert 'id="titre-resultats"' not in html
    assert "leaflet.js" not in html  # no map without results
    # Radius 1 to 100 km, 10 by default; 12, 24 or 48 per page.
    assert '<option value="10"\n                      selected>' in html or re.search(
        r'<option value="10"\s+selected>', html
    )
    assert re.findall(r'<option value="(\d+)"\s*(?:selected)?>\s*\d+ km', html) == [
        "1",
        "2",
        "5",
        "10",
        "20",
        "30",
        "50",
        "75",
        "100",
    ]


def test_search_by_codes_lists_the_structures(client):
    make_structure("Les Jardins de <Cocagne>", answer_rate=0.9, sites=[at(north_of(LYON, 3))])
    make_structure("Ferme du Mont", answer_rate=0.2, sites=[at(north_of(LYON, 8))])
    make_structure("Trop loin", sites=[at(north_of(LYON, 40))])
    response = client.get(
        SEARCH, {"metier": "Maraîcher / Maraîchère", "appellation": "16384", "commune": "69123"}
    )
    assert response.status_code == 200
    html = response.text
    text = text_of(html)
    assert "2 structures trouvées" in text
    assert "2 structures – Trouver une immersion" in text_of(html.split("</title>")[0])
    assert "Les Jardins de &lt;Cocagne&gt;" in html and "<Cocagne>" not in html
    assert "Lyon · à 3,0 km · Association" in text
    assert "Répond habituellement" in text
    assert text.count("Répond habituellement") == 1
    assert "Maraîcher / Maraîchère" in text
    # The map: markers in a JSON block, tiles from the settings, no inline script.
    markers = json.loads(
        re.search(r'<script id="directory-markers" type="application/json">(.*?)</script>', html)[1]
    )
    assert [marker["name"] for marker in markers] == ["Les Jardins de <Cocagne>", "Ferme du Mont"]
    assert 'data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in html
    assert "vendor/leaflet/leaflet.js" in html and "js/directory.js" in html
    assert not re.search(r"<script(?![^>]*(src=|application/json))", html)


def test_typed_metier_and_commune_work_without_javascript(client):
    make_structure("Les Jardins", sites=[at(north_of(LYON, 3))])
    html = client.get(SEARCH, {"metier": "maraich", "lieu": "lyon", "rayon": "30"}).text
    assert "1 structure trouvée" in text_of(html)
    # What was understood is shown: the commune in its field, the métiers searched for
    # the text typed (kept in the field) listed to choose one (issue 8 item 5).
    assert 'value="maraich"' in html
    assert 'value="Lyon (69)"' in html
    assert "« Maraîcher / Maraîchère »" in text_of(html)


def test_rome_code_typed_searches_the_whole_rome(client):
    make_structure("Horticulture", sites=[at(north_of(LYON, 3), HORTICULTEUR)])
    make_structure("Boulangerie", sites=[at(north_of(LYON, 3), BOULANGER)])
    html = client.get(SEARCH, {"metier": "A1414", "lieu": "Lyon"}).text
    assert "1 structure trouvée" in text_of(html)
    assert "Horticulture" in html and "Boulangerie" not in html


def test_pagination_keeps_the_search(client):
    for n in range(30):
        make_structure(f"Structure {n:02d}", sites=[at(north_of(LYON, 0.2 + n * 0.1))])
    html = client.get(
        SEARCH, {"appellation": "16384", "commune": "69123", "tri": "distance", "par_page": "12"}
    ).text
    text = text_of(html)
    assert "30 structures trouvées – page 1 sur 3" in text
    assert '<nav aria-label="Pages de résultats">' in html
    assert "Page 1 sur 3" in text  # the shared navigation (core/includes/pagination.html)
    assert 'aria-current="page"' in html
    links = re.findall(r'href="\?([^"]*page=2[^"]*)"', html)
    assert (
        links and "appellation=16384" in unescape(links[0]) and "tri=distance" in unescape(links[0])
    )
    page3 = client.get(SEARCH + "?" + unescape(re.findall(r'href="\?([^"]*page=3)"', html)[0]))
    assert "Structure 29" in page3.text and "Structure 00" not in page3.text
    assert 'rel="prev"' in page3.text and 'rel="next"' not in page3.text


def test_errors_are_explained_and_what_was_typed_is_kept(client):
    response = client.get(
        SEARCH, {"metier": "zzqxw", "lieu": "Lyon", "rayon": "500", "mots": "jardin bio"}
    )
    assert response.status_code == 200
    html = response.text
    text = text_of(html)
    assert "La recherche n'a pas pu être faite" in text
    assert "Aucun métier ne correspond à « zzqxw »" in text
    assert "Le rayon doit être compris entre 1 et 100 km." in text
    assert 'value="zzqxw"' in html and 'value="jardin bio"' in html
    assert 'aria-invalid="true"' in html
    assert 'href="#recherche-metier"' in html and 'href="#recherche-rayon"' in html
    assert "Erreur – Trouver une immersion" in text_of(html.split("</title>")[0])
    assert 'id="titre-resultats"' not in html


def test_an_order_or_a_page_size_not_offered_is_explained_in_order(client):
    """The page's own lists go through ``forms.SearchPageForm``: the same French messages,
    after the commune's, linked to their fields; nothing of the list is selected."""
    html = client.get(
        SEARCH, {"metier": "maraîcher", "lieu": "Xyzzyville", "tri": "prix", "par_page": "1000"}
    ).text
    text = text_of(html)
    commune = text.index("Aucune commune ne correspond à « Xyzzyville »")
    order = text.index("Choisissez un ordre dans la liste.")
    size = text.index("Choisissez 12, 24 ou 48 résultats par page.")
    assert commune < order < size
    assert 'href="#recherche-tri"' in html and 'href="#recherche-par-page"' in html
    assert 'value="prix"' not in html
    assert re.search(r'<option value="48"\s+selected', html) is None


def test_the_page_form_keeps_what_was_typed_within_bounds():
    from immersio.directory.forms import SearchPageForm

    values = SearchPageForm(
        {"metier": "  " + "m" * 250, "cause": ["c" * 70] * 50, "tri": "prix", "ess": "1"}
    ).values()
    assert values["metier"] == "m" * 200
    assert values["cause"] == ("c" * 60,) * 40
    assert values["tri"] == "prix"  # refused, kept to be shown again
    assert values["rayon"] == "10" and values["par_page"] == "12" and values["page"] == "1"
    assert values["ess"] is True and values["handicap"] is False


def test_unknown_commune_and_page_beyond_the_last(client):
    html = client.get(SEARCH, {"metier": "maraîcher", "lieu": "Xyzzyville"}).text
    assert "Aucune commune ne correspond à « Xyzzyville »" in text_of(html)
    make_structure("Seule")
    html = client.get(SEARCH, {"appellation": "16384", "commune": "69123", "page": "5"}).text
    assert "Cette page n'existe pas : les résultats tiennent sur une seule page." in text_of(html)


def test_empty_result_suggests_ways_out(client):
    make_structure("À 25 km", description="Maraîchage bio.", sites=[at(north_of(LYON, 25))])
    make_structure("Horticulture bio", description="Fleurs bio.", sites=[at(LYON, HORTICULTEUR)])
    html = client.get(
        SEARCH,
        {"appellation": "16384", "metier": "Maraîcher", "commune": "69123", "mots": "bio"},
    ).text
    text = text_of(html)
    assert "Aucune structure trouvée" in text
    # The smallest wider radius that finds someone (issue 8 item 10).
    assert "Élargir la recherche à 30 km (1 structure)" in text
    assert "Retirer les mots-clés et les filtres" in text
    assert "Chercher tous les métiers proches (fiche ROME A1414" in text
    assert "et maraîchage) (1 structure)" in text
    wider = unescape(re.search(r'href="\?([^"]*rayon=30[^"]*)"', html)[1])
    assert "mots=bio" in wider


def test_search_by_place_only_and_filters(client):
    make_structure("Asso", kind="association", is_ess=True, causes=["eau"])
    make_structure("Entreprise", kind="entreprise")
    html = client.get(
        SEARCH, {"lieu": "Lyon", "cause": "eau", "ess": "1", "type": "association"}
    ).text
    assert "1 structure trouvée" in text_of(html)
    assert 'id="cause-eau"\n                         checked' in html or re.search(
        r'id="cause-eau"\s+checked', html
    )
    assert re.search(r"<details[^>]*open", html)


def test_structure_page(client):
    structure = make_structure(
        "Ferme des Buis",
        brand_name="Les Paniers des Buis",
        description="Légumes <b>bio</b>\n\n<script>alert(1)</script>",
        immersion_description="Récolte le matin, préparation des paniers l'après-midi.",
        website="https://paniers.example",
        answer_rate=0.95,
        is_ess=True,
        ess_status="association",
        welcomes_minors=True,
        causes=["agriculture-paysanne"],
        networks=["fne"],
        sites=[at(LYON, MARAICHER, HORTICULTEUR)],
    )
    response = client.get(structure_url(structure))
    assert response.status_code == 200
    html = response.text
    text = text_of(html)
    assert '<h1 class="mb-1">Les Paniers des Buis</h1>' in html
    assert "Ferme des Buis · Association · Économie sociale et solidaire" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "&lt;b&gt;bio&lt;/b&gt;" in html
    assert "Récolte le matin" in text
    assert "Horticulteur / Horticultrice" in text and "Maraîcher / Maraîchère" in text
    assert "Agriculture paysanne" in text and "France Nature Environnement" in text
    assert "Répond habituellement aux demandes" in text
    assert "Des jeunes de 16 et 17 ans" in text
    assert "Demander une immersion" in text and "prescripteur" in text
    assert "ne reçoit pas de nouvelle demande" not in text
    assert 'id="structure-markers" type="application/json"' in html


@pytest.mark.parametrize(
    "status",
    [HostStructure.Status.PENDING, HostStructure.Status.SUSPENDED, HostStructure.Status.CLOSED],
)
def test_unpublished_structure_is_not_found(client, status):
    structure = make_structure(status=status)
    assert client.get(structure_url(structure)).status_code == 404


def test_unknown_structure_is_not_found(client):
    assert client.get(f"/structure/{uuid.uuid4()}/").status_code == 404


def test_paused_structure_says_until_when_and_suggests_others(client):
    with time_machine.travel(datetime(2026, 6, 1, 10, tzinfo=PARIS), tick=False):
        paused = make_structure("En pause", paused_until=date(2026, 6, 20))
        make_structure("Voisine", sites=[at(north_of(LYON, 4), HORTICULTEUR)])
        text = text_of(client.get(structure_url(paused)).text)
    assert "ne reçoit pas de nouvelle demande jusqu'au 20 juin 2026 inclus" in text
    assert "Structures proches pour le même métier" in text
    assert "Voisine Lyon · à 4,0 km" in text


def test_full_structure_says_when_it_can_be_asked_again(client):
    moment = datetime(2026, 6, 10, 14, 30, tzinfo=PARIS)
    with time_machine.travel(moment, tick=False):
        structure = make_structure("Très demandée", max_requests_per_month=4)
        ReceivedRequest.objects.create(structure=structure, received_at=moment)
        text = text_of(client.get(structure_url(structure)).text)
    assert "reçu toutes les demandes qu'elle peut traiter" in text
    assert "à partir du 17 juin 2026 à 14h30" in text
    assert "Aucune autre structure disponible pour ce métier à moins de 100 km" in text
    with time_machine.travel(moment + timedelta(days=8), tick=False):
        text = text_of(client.get(structure_url(structure)).text)
    assert "reçu toutes les demandes" not in text


def structure_url(structure) -> str:
    return reverse("directory:structure", kwargs={"public_id": structure.public_id})


def test_a_changed_text_wins_over_the_code_of_an_earlier_search(client):
    make_structure("Boulangerie", sites=[at(north_of(LYON, 2), BOULANGER)])
    make_structure("Maraîchers", sites=[at(north_of(LYON, 2), MARAICHER)])
    # Without JavaScript the hidden codes stay: the text typed afterwards decides.
    html = client.get(
        SEARCH,
        {"metier": "boulanger", "appellation": "16384", "lieu": "Lyon", "commune": "29019"},
    ).text
    assert "1 structure trouvée" in text_of(html)
    assert "Boulangerie" in html and "Maraîchers</a>" not in html
    assert 'value="boulanger"' in html and 'value="Lyon (69)"' in html
    assert 'value="16384"' not in html
