"""« Est-ce pour moi ? » in Chromium: a newcomer, 24, a job seeker followed by a mission
locale in Lyon, answers the questions (first with a mistake), gets the answer and the
nearest missions locales in order, with the map; the page prints without navigation;
the agency's page is one click away. axe-core runs on every page at 1280 px and 390 px;
screenshots are saved for a human look when IMMERSIO_SCREENSHOTS is set."""

import re

import pytest

from immersio.demo import agencies as demo_agencies
from tests.fixtures import browser as shared
from tests.fixtures.browser import DESKTOP, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def both_widths(page, axe, name):
    shared.both_widths(page, axe, name, prefix="orientation")


def choose_commune(page, text):
    shared.choose_commune(page, text, label="Votre commune")


@pytest.fixture
def site_url(site_url, settings):
    # The map without tiles: no request leaves the machine (the CSP allows only 'self').
    settings.MAP_TILE_URL = ""
    return site_url


def test_young_job_seeker_in_lyon_is_sent_to_the_nearest_missions_locales(
    page, axe, site_url, live_server, referentials
):
    demo_agencies.load()
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    page.get_by_role("link", name="Est-ce pour moi ?").first.click()
    page.get_by_role("heading", name="Est-ce pour moi ?", level=1).wait_for()
    both_widths(page, axe, "questions")

    # A first try without the age nor the place: French errors, the answers kept.
    page.get_by_label("J'ai moins de 26 ans et une mission locale me suit", exact=True).check()
    page.get_by_role("button", name="Voir la réponse").click()
    page.get_by_role("heading", name="Le formulaire contient 2 erreurs").wait_for()
    assert page.get_by_label(
        "J'ai moins de 26 ans et une mission locale me suit", exact=True
    ).is_checked()
    page.get_by_text("Indiquez votre commune ou votre département.").first.wait_for()
    both_widths(page, axe, "erreurs")

    page.get_by_label("Votre âge").fill("24")
    page.get_by_label("Une mission locale", exact=True).check()
    choose_commune(page, "Lyon")
    page.get_by_role("button", name="Voir la réponse").click()
    page.get_by_role("heading", name="Oui, une immersion est possible").wait_for()
    assert "situation=jeune_ml" in page.url and "age=24" in page.url
    page.get_by_role("heading", name=re.compile("Contactez d'abord la mission locale")).wait_for()
    names = page.locator("ol h4 a").all_inner_texts()
    assert names == [
        "Mission locale de Lyon",
        "Mission locale de Villeurbanne",
        "Mission locale de Vénissieux",
    ]
    page.locator("[data-directory-map]").wait_for(state="visible")
    both_widths(page, axe, "reponse")

    # The same address in a new tab gives the same answer (shareable).
    shared = page.locator("#adresse-partage").input_value()
    other = page.context.new_page()
    other.goto(shared)
    assert other.locator("ol h4 a").all_inner_texts() == names
    other.close()

    # Printed: the answer and the agencies, no navigation, no map, no form.
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("[data-directory-map]").is_visible()
    assert page.get_by_role("heading", name="Oui, une immersion est possible").is_visible()
    save_screenshot(page, "orientation-impression")
    page.emulate_media(media="screen")

    page.get_by_role("link", name="Mission locale de Lyon").click()
    page.get_by_role("heading", name="Mission locale de Lyon", level=1).wait_for()
    axe(page, "page de la mission locale")
