"""« Trouver une immersion » as a person uses it: by keyboard, with the map, accessible.

Set ``IMMERSIO_SCREENSHOTS=/tmp/shots`` to save screenshots of the pages.
"""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from immersio.referentials import search as referentials_search
from immersio.structures.models import Cause, HostStructure, Network
from immersio.structures.vocabulary import CAUSES, NETWORKS
from tests.directory.factories import (
    BOULANGER,
    HORTICULTEUR,
    LYON,
    MARAICHER,
    at,
    east_of,
    make_structure,
    north_of,
)
from tests.fixtures.browser import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name):
    save_screenshot(page, f"directory-{name}")


@pytest.fixture
def directory(settings):
    # The map without tiles: no request leaves the machine (the CSP allows only 'self').
    settings.MAP_TILE_URL = ""
    call_command("import_referentials", verbosity=0)  # emptied by transactional tests
    referentials_search.invalidate()
    # Built now rather than during the first request (seconds on a busy machine).
    referentials_search.appellation_index.get()
    referentials_search.commune_index.get()
    for position, (slug, label) in enumerate(CAUSES):  # seeded by a migration, flushed too
        Cause.objects.update_or_create(slug=slug, defaults={"label": label, "bit": position})
    for position, (slug, name, _) in enumerate(NETWORKS):
        Network.objects.update_or_create(slug=slug, defaults={"name": name, "bit": position})
    make_structure(
        "Les Jardins de Cocagne",
        answer_rate=0.95,
        description="Maraîchage biologique et paniers solidaires.",
        causes=["alimentation", "agriculture-paysanne"],
        networks=["cress"],
        sites=[at(north_of(LYON, 12), MARAICHER, HORTICULTEUR)],
    )
    make_structure(
        "Ferme urbaine de la Duchère",
        answer_rate=0.4,
        kind="entreprise",
        sites=[at(east_of(LYON, 4), MARAICHER)],
    )
    make_structure("Potager des Monts d'Or", sites=[at(north_of(LYON, 24), MARAICHER)])
    make_structure("Trop loin", sites=[at(north_of(LYON, 45), MARAICHER)])
    make_structure("Boulangerie du Centre", sites=[at(north_of(LYON, 1), BOULANGER)])
    make_structure(
        "Maraîchers en pause",
        paused_until=timezone.localdate() + timedelta(days=10),
        sites=[at(north_of(LYON, 2), MARAICHER)],
    )


def choose(page, field_id, text):
    """Type in a combobox, go down to the first suggestion, choose it with Enter."""
    field = page.locator(f"#{field_id}")
    field.focus()
    page.keyboard.type(text, delay=40)
    page.locator(f"#{field_id}-listbox [role=option]").first.wait_for()
    assert field.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert field.get_attribute("aria-activedescendant") == f"{field_id}-option-1"
    page.keyboard.press("Enter")
    assert field.get_attribute("aria-expanded") == "false"


def test_search_by_keyboard_finds_market_gardeners_around_lyon(page, axe, directory):
    page.goto("/trouver-une-immersion/")
    axe(page, "sur la page de recherche vide")
    choose(page, "recherche-metier", "maraich")
    assert page.locator("#recherche-metier").input_value() == "Maraîcher / Maraîchère"
    assert page.locator("#recherche-metier-code").input_value() == str(MARAICHER)
    choose(page, "recherche-lieu", "Lyon")
    assert page.locator("#recherche-lieu").input_value() == "Lyon (69)"
    assert page.locator("#recherche-lieu-code").input_value() == "69123"
    page.locator("#recherche-rayon").select_option("30")
    page.locator("#recherche-tri").select_option("distance")
    page.locator("#recherche-mots").focus()
    page.keyboard.press("Enter")  # submits the form
    page.wait_for_url("**/trouver-une-immersion/?*")
    heading = page.locator("#titre-resultats")
    assert " ".join(heading.inner_text().split()) == "3 structures trouvées"
    names = page.locator(".result-card h3").all_inner_texts()
    assert names == [
        "Ferme urbaine de la Duchère",
        "Les Jardins de Cocagne",
        "Potager des Monts d'Or",
    ]
    first = page.locator(".result-card").first.inner_text()
    assert "à 4,0 km" in first and "Maraîcher / Maraîchère" in first
    assert "Répond habituellement" in page.locator(".result-card").nth(1).inner_text()
    # The map: shown by the script, one marker per structure and the searched place.
    page.locator("[data-directory-map]").wait_for(state="visible")
    assert page.locator(".leaflet-container").count() == 1
    assert page.locator(".leaflet-interactive").count() == 3
    shot(page, "recherche-resultats")
    page.locator("[data-directory-map]").scroll_into_view_if_needed()
    shot(page, "recherche-carte")
    axe(page, "sur les résultats avec la carte")
    # The same search in the relevance order keeps the same three structures.
    page.locator("#recherche-tri").select_option("pertinence")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**tri=pertinence**")
    assert sorted(page.locator(".result-card h3").all_inner_texts()) == sorted(names)
    # A structure's page, from its link.
    page.get_by_role("link", name="Les Jardins de Cocagne").click()
    page.wait_for_url("**/structure/*/")
    assert page.locator("h1").inner_text() == "Les Jardins de Cocagne"
    assert page.get_by_role("heading", name="Demander une immersion").is_visible()
    page.locator("[data-directory-map]").wait_for(state="visible")
    shot(page, "structure")
    axe(page, "sur la page d'une structure")


def test_empty_result_error_and_paused_structure(page, axe, directory):
    page.goto("/trouver-une-immersion/?metier=maraicher&lieu=Brest&rayon=10")
    assert page.locator("#titre-resultats").inner_text().strip() == "Aucune structure trouvée"
    # Nothing within 100 km: the nearest structures at any distance (issue 8 item 10),
    # north of Lyon the nearest to Brest.
    nearest = page.locator(".nearest-list a").all_inner_texts()
    assert nearest[0] == "Trop loin" and len(nearest) == 3
    shot(page, "recherche-vide")
    axe(page, "sur un résultat vide")
    page.goto("/trouver-une-immersion/?metier=zzqxw&lieu=Lyon&rayon=500&mots=bio")
    alert = page.get_by_role("alert")
    assert "La recherche n'a pas pu être faite" in alert.inner_text()
    assert page.locator("#recherche-metier").input_value() == "zzqxw"
    assert page.locator("#recherche-mots").input_value() == "bio"
    shot(page, "recherche-erreur")
    axe(page, "sur une recherche en erreur")
    # An error links to its field.
    alert.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "recherche-metier"
    # A paused structure's page says until when and suggests others.
    paused = HostStructure.objects.get(name="Maraîchers en pause")
    page.goto(f"/structure/{paused.public_id}/")
    until = date.today() + timedelta(days=10)
    assert "ne reçoit pas de nouvelle demande" in page.locator(".request-panel").inner_text()
    assert str(until.year) in page.locator(".request-panel").inner_text()
    assert page.get_by_role("link", name="Ferme urbaine de la Duchère").is_visible()
    shot(page, "structure-en-pause")
    axe(page, "sur la page d'une structure en pause")


def test_search_works_without_javascript(browser, live_server, directory):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/trouver-une-immersion/")
    page.locator("#recherche-metier").fill("maraîcher")
    page.locator("#recherche-lieu").fill("Lyon")
    page.locator("#recherche-rayon").select_option("30")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**/trouver-une-immersion/?*")
    assert page.locator(".result-card").count() == 3
    assert page.locator("[data-directory-map]").is_hidden()  # the list is the content
    context.close()
