"""Error pages as a person sees them: French, styled, accessible, on desktop and phone
(issue 8, item 25)."""

import re

import pytest

from immersio.core.views import HomeView
from tests.accounts.factories import UserFactory
from tests.fixtures.browser import log_in, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "mobile": 390}


def check(page, axe, name, heading):
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        assert page.locator("h1").inner_text() == heading
        # Styled: the site's stylesheet is applied (the primary button is coloured).
        button = page.get_by_role("link", name=re.compile("Revenir à l.accueil"))
        assert button.evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        axe(page, f"sur la page {name} ({label})")
        save_screenshot(page, f"errors-{name}-{label}")


def test_forbidden_staff_area(page, axe, live_server):
    log_in(page, UserFactory(email="camille@exemple.fr"), live_server)
    response = page.goto("/gestion/")
    assert response.status == 403
    check(page, axe, "403", "Accès refusé")


def test_not_found(page, axe):
    response = page.goto("/une-page-qui-n-existe-pas/")
    assert response.status == 404
    check(page, axe, "404", "Page introuvable")


def test_expired_form(page, axe):
    page.goto("/compte/connexion/")
    page.context.clear_cookies()
    page.get_by_label("Adresse e-mail").fill("ada@exemple.fr")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Recevoir mon lien de connexion").click()
    assert navigation.value.status == 403
    check(page, axe, "csrf", "Ce formulaire a expiré")


def test_server_error(page, axe, monkeypatch):
    def broken(self, **kwargs):
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(HomeView, "get_context_data", broken)
    response = page.goto("/")
    assert response.status == 500
    check(page, axe, "500", "Une erreur s'est produite")


def test_bad_request_from_a_control_character_in_the_address(page, axe):
    response = page.goto("/trouver-une-immersion/?q=potager%00")
    assert response.status == 400
    assert page.get_by_text("caractère invisible non autorisé").is_visible()
    check(page, axe, "400", "Requête invalide")
