"""The home page as a person sees it: content, navigation by keyboard, accessibility."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_explains_the_immersion_and_offers_three_entries(page, axe):
    page.goto("/")
    assert page.locator("h1").inner_text().startswith("Passer un jour ou un mois")
    for entry in (
        "Je cherche une immersion",
        "J'accueille en immersion",
        "J'accompagne des personnes",
    ):
        assert page.get_by_role("heading", name=entry).count() == 1
    assert page.get_by_text("Ce n'est pas une formation.").is_visible()
    assert page.get_by_text("Une condition : être accompagné").is_visible()
    axe(page, "sur l'accueil")


def test_skip_link_and_keyboard_navigation(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    # The first entry is reachable from the keyboard and leads to its page.
    page.get_by_role("link", name="Comment se lancer").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/je-cherche-une-immersion/")
    assert page.locator("h1").inner_text() == "Je cherche une immersion"


@pytest.mark.parametrize(
    "path",
    [
        "/je-cherche-une-immersion/",
        "/j-accueille-en-immersion/",
        "/j-accompagne-des-personnes/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/accessibilite/",
        "/plan-du-site/",
        "/une-page-qui-n-existe-pas/",
    ],
)
def test_public_pages_are_accessible(page, axe, path):
    response = page.goto(path)
    assert response.status in (200, 404)
    assert page.locator("html").get_attribute("lang") == "fr"
    axe(page, f"sur {path}")
