"""The wizard's pages: no account, a GET form whose answers make the result's shareable
address; French errors that keep the answers; the nearest agencies of the right kind."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from immersio.referentials.models import Commune
from tests.agencies.factories import AgencyFactory
from tests.structures.factories import lyon

pytestmark = pytest.mark.django_db

RESULT = "/est-ce-pour-moi/resultat/"


def villeurbanne():
    # get_or_create: the referential may already be loaded in this database (the browser
    # tests' fixture, on the same worker).
    return Commune.objects.get_or_create(
        insee_code="69266",
        defaults={
            "name": "Villeurbanne",
            "department": "69",
            "latitude": 45.77077,
            "longitude": 4.88846,
            "postal_codes": "69100",
            "normalized_name": "villeurbanne",
        },
    )[0]


def grenoble():
    return Commune.objects.get_or_create(
        insee_code="38185",
        defaults={
            "name": "Grenoble",
            "department": "38",
            "latitude": 45.1842,
            "longitude": 5.7155,
            "postal_codes": "38000",
            "normalized_name": "grenoble",
        },
    )[0]


def _flat(response) -> str:
    return re.sub(r"\s+", " ", response.text)


def _names(html: str) -> list[str]:
    return re.findall(r'<h4 class="h5 card-title mb-1">\s*<a href="[^"]+">([^<]+)</a>', html)


def test_questions_page_needs_no_account(client):
    response = client.get(reverse("orientation:questions"))
    assert response.status_code == 200
    html = response.text
    assert '<legend class="form-label fs-6 fw-semibold mb-1">' in html
    assert 'action="/est-ce-pour-moi/resultat/"' in html and 'method="get"' in html
    # The one list of « which prescriber for which situation ».
    assert "Je touche le RSA" in html and "le conseil départemental" in html


def test_young_job_seeker_in_lyon_gets_the_nearest_missions_locales(client):
    lyon()
    far = villeurbanne()
    AgencyFactory(kind="mission-locale", name="Mission locale de Villeurbanne", commune=far)
    AgencyFactory(kind="mission-locale", name="Mission locale de Lyon")
    AgencyFactory(kind="france-travail", name="France Travail Lyon")
    AgencyFactory(kind="mission-locale", name="Mission locale fermée", status="fermee")
    query = "situation=jeune_ml&age=24&suivi=mission-locale&lieu=Lyon&commune=69123"
    response = client.get(f"{RESULT}?{query}")
    assert response.status_code == 200
    html = response.text
    assert "Oui, une immersion est possible" in html
    assert _names(html) == ["Mission locale de Lyon", "Mission locale de Villeurbanne"]
    assert 'id="orientation-markers"' in html
    assert "à 0.0 km" in html or "à 0,0 km" in html


def test_the_shareable_address_reproduces_the_result(client):
    lyon()
    AgencyFactory(kind="conseil-departemental", name="Département du Rhône")
    first = client.get(f"{RESULT}?situation=rsa&age=40&suivi=non&lieu=Lyon&commune=69123")
    share = re.search(
        r'id="adresse-partage"\s+type="text"\s+readonly\s+value="([^"]+)"', first.text
    )
    url = share.group(1).replace("&amp;", "&")
    parts = urlsplit(url)
    # Only the answers: situation, age, follow-up, place.
    assert set(parse_qs(parts.query)) == {"situation", "age", "suivi", "lieu", "commune"}
    again = client.get(f"{parts.path}?{parts.query}")
    assert _names(again.text) == _names(first.text) == ["Département du Rhône"]
    assert "Contactez d'abord le conseil départemental" in _flat(again)


def test_the_edit_link_fills_the_questions_again(client):
    lyon()
    response = client.get(f"{RESULT}?situation=siae&age=35&suivi=non&departement=69")
    edit = re.search(r'href="(/est-ce-pour-moi/\?[^"]+)"', response.text).group(1)
    questions = client.get(edit.replace("&amp;", "&"))
    assert 'value="siae"' in questions.text
    assert re.search(r'value="siae"[^>]*checked', questions.text)
    assert 'value="35"' in questions.text


def test_bad_input_gives_french_errors_and_keeps_the_answers(client):
    response = client.get(f"{RESULT}?situation=etudiant&age=abc&suivi=non&departement=6")
    assert response.status_code == 200
    html = _flat(response)
    assert "Indiquez votre âge en chiffres" in html
    assert "Indiquez le numéro du département" in html
    assert re.search(r'value="etudiant"[^>]*checked', html)
    assert 'aria-invalid="true"' in html
    assert 'id="id_age_error"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("situation=demandeur&age=30&suivi=non", "Indiquez votre commune ou votre département."),
        ("age=30&suivi=non&departement=69", "Choisissez la situation qui vous décrit le mieux."),
        ("situation=demandeur&age=0&suivi=non&departement=69", "Indiquez votre âge en années"),
        ("situation=demandeur&age=500&suivi=non&departement=69", "ans au plus"),
        (
            "situation=inconnue&age=30&suivi=non&departement=69",
            "Choisissez une des propositions de la liste.",
        ),
        ("situation=demandeur&age=30&suivi=non&lieu=Xyzzyville", "Aucune commune ne correspond"),
    ],
)
def test_each_bad_answer_is_told(client, query, message):
    lyon()
    response = client.get(f"{RESULT}?{query}")
    assert response.status_code == 200
    assert message in _flat(response)
    assert "Votre réponse" not in response.text


def test_a_contradiction_is_explained_not_a_crash(client):
    response = client.get(f"{RESULT}?situation=salarie&age=15&suivi=non&departement=69")
    assert response.status_code == 200
    assert "Vos réponses se contredisent" in response.text
    assert "Pas par une immersion PMSMP" in _flat(response)


def test_a_department_only_lists_its_agencies_by_name(client):
    lyon()
    AgencyFactory(kind="cap-emploi", name="Cap emploi Rhône B")
    AgencyFactory(kind="cap-emploi", name="Cap emploi Rhône A")
    AgencyFactory(kind="cap-emploi", name="Cap emploi Isère", commune=grenoble())
    response = client.get(f"{RESULT}?situation=rqth&age=40&suivi=non&departement=69")
    assert _names(response.text) == ["Cap emploi Rhône A", "Cap emploi Rhône B"]
    assert "Dans le département 69" in _flat(response)


def test_falls_back_to_the_next_kind(client):
    lyon()
    AgencyFactory(kind="france-travail", name="France Travail Lyon")
    response = client.get(f"{RESULT}?situation=rqth&age=40&suivi=non&lieu=Lyon&commune=69123")
    assert _names(response.text) == ["France Travail Lyon"]
    assert "Aucune structure de ce type" in _flat(response)


def test_a_department_without_agency_says_what_to_do(client):
    grenoble()
    AgencyFactory(kind="france-travail", name="France Travail Lyon")  # in the Rhône
    response = client.get(f"{RESULT}?situation=demandeur_ft&age=40&suivi=non&departement=38")
    assert _names(response.text) == []
    assert "n'est encore inscrite sur Immersio" in _flat(response)
    assert "3949" in response.text
    assert "/prescripteurs/?type=france-travail" in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("situation=rsa&age=40", "le conseil départemental"),
        ("situation=siae&age=35", "votre structure d&#x27;insertion (SIAE)"),
        ("situation=etudiant&age=20", "convention de stage"),
        ("situation=agent_public&age=45", "période d&#x27;immersion professionnelle"),
    ],
)
def test_rsa_siae_student_and_public_agent(client, query, expected):
    response = client.get(f"{RESULT}?{query}&suivi=non&departement=69")
    assert response.status_code == 200
    assert expected in _flat(response)


def test_the_result_shows_the_next_step_and_the_two_lists(client):
    response = client.get(f"{RESULT}?situation=demandeur_ft&age=30&suivi=non&departement=69")
    html = _flat(response)
    assert reverse("directory:search") in html
    assert "Ce qu'une immersion peut vous apporter" in html
    assert "Ce n'est pas une formation." in html
    assert "À préparer avant le rendez-vous" in html


def test_post_is_refused(client):
    assert client.post(RESULT, {"situation": "rsa"}).status_code == 405


def test_the_age_input_carries_the_law_s_bounds(client):
    from datetime import date

    from immersio.core.law import limits_for

    html = client.get(reverse("orientation:questions")).text
    field = re.search(r'<input[^>]*name="age"[^>]*>', html).group(0)
    assert 'min="1"' in field
    assert f'max="{limits_for(date.today()).max_age}"' in field
