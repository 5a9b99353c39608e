"""Issue 8 item 28: « Aller aux résultats » right after « Aller au contenu »; on a phone a
structure's « Demander une immersion » comes before its presentation, not at the end."""

import pytest
from django.urls import reverse

from .factories import LYON, at, make_structure, north_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("referentials")]


def test_skip_link_to_the_results_is_the_second_tab_stop(client):
    make_structure("Les Jardins", sites=[at(north_of(LYON, 3))])
    html = client.get(
        "/trouver-une-immersion/",
        {"metier": "Maraîcher / Maraîchère", "appellation": "16384", "commune": "69123"},
    ).text
    body = html.split("<body", 1)[1]
    content = body.index('href="#contenu"')
    results = body.index('href="#resultats"')
    header = body.index("<header")
    assert content < results < header
    assert "Aller aux résultats</a>" in body
    assert 'id="resultats" tabindex="-1"' in body


def test_no_skip_link_to_results_without_results(client):
    html = client.get("/trouver-une-immersion/").text
    assert 'href="#resultats"' not in html


def test_request_button_comes_before_the_presentation(client):
    structure = make_structure("Les Jardins", description="Des légumes.", sites=[at(LYON)])
    html = client.get(reverse("directory:structure", kwargs={"public_id": structure.public_id}))
    html = html.text
    request = reverse("contacts:new", kwargs={"public_id": structure.public_id})
    first = html.index(f'href="{request}"')
    assert first < html.index('id="titre-presentation"')
    assert html.count(f'href="{request}"') == 2  # and still in the panel, on a computer


def test_unavailable_structure_shortcut_leads_to_the_explanation(client):
    from datetime import timedelta

    from django.utils import timezone

    structure = make_structure(
        "En pause",
        description="Des légumes.",
        paused_until=timezone.localdate() + timedelta(days=5),
        sites=[at(LYON)],
    )
    html = client.get(reverse("directory:structure", kwargs={"public_id": structure.public_id}))
    html = html.text
    assert html.index('href="#titre-demande"') < html.index('id="titre-presentation"')
    assert reverse("contacts:new", kwargs={"public_id": structure.public_id}) not in html
