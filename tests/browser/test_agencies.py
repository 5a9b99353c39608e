"""Agencies in Chromium: a mission locale registers (the confirmation e-mail read from the
real SMTP server), the Immersio team activates it (through the service), the agency shows
in the directory searched by commune, with its page and its team space. axe-core runs on
every page; screenshots are saved for a human look when IMMERSIO_SCREENSHOTS is set."""

import pytest

from immersio.agencies import services
from immersio.agencies.models import Agency
from immersio.core.actors import TASK
from immersio.demo.agencies import agency_siret
from immersio.notifications.services import process_due_emails
from tests.accounts.factories import UserFactory
from tests.fixtures.browser import log_in, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name):
    save_screenshot(page, f"agencies-{name}")


@pytest.fixture
def site_url(site_url, settings):
    # The map without tiles: no request leaves the machine (the CSP allows only 'self').
    settings.MAP_TILE_URL = ""
    return site_url


def choose(page, label, text, option_text):
    field = page.get_by_role("combobox", name=label, exact=True)
    field.fill("")
    field.focus()
    page.keyboard.type(text, delay=30)
    root = page.locator("[data-combobox]", has=field)
    option = root.get_by_role("option", name=option_text).first
    option.wait_for()
    option.click()


def test_agency_registers_is_activated_and_found(
    page, axe, smtp_server, site_url, live_server, referentials
):
    page.goto("/prescripteurs/inscription/")
    axe(page, "inscription")
    shot(page, "1-inscription")

    page.get_by_role("button", name="Envoyer la demande").click()
    page.get_by_role("heading", name="Le formulaire contient").wait_for()
    axe(page, "inscription avec erreurs")
    shot(page, "2-erreurs")

    # Only the fields of the chosen kind show (all of them without JavaScript).
    assert not page.is_visible("#id_delegating_agency")
    page.select_option("#id_kind", "siae")
    assert page.is_visible("#id_siae_kind")
    page.select_option("#id_kind", "structure-conventionnee")
    assert page.is_visible("#id_delegating_agency")
    assert not page.is_visible("#id_siae_kind")

    page.fill("#id_siret", agency_siret(99))
    page.select_option("#id_kind", "mission-locale")
    page.fill("#id_name", "Mission locale de Villeurbanne")
    page.fill("#id_address", "10 rue Michel-Servet")
    choose(page, "Commune", "Villeurbanne", "Villeurbanne")
    page.fill("#id_contact_email", "contact@ml-villeurbanne.fr")
    page.fill("#id_first_name", "Samia")
    page.fill("#id_last_name", "Haddad")
    page.fill("#id_email", "samia@ml-villeurbanne.fr")
    page.check("#id_consent")
    page.get_by_role("button", name="Envoyer la demande").click()
    page.get_by_role("heading", name="Confirmez votre adresse e-mail").wait_for()
    axe(page, "lien envoyé")
    shot(page, "3-envoye")

    process_due_emails(actor=TASK)
    [message] = smtp_server.wait_for(1)
    assert message.to == ["samia@ml-villeurbanne.fr"]
    page.goto(message.first_url())
    axe(page, "confirmer")
    shot(page, "4-confirmer")
    page.get_by_role("button", name="Confirmer ma demande").click()
    page.get_by_role("heading", name="Demande confirmée").wait_for()
    axe(page, "confirmée")

    agency = Agency.objects.get()
    services.activate_agency(agency=agency, actor=UserFactory(staff=True))

    page.goto("/prescripteurs/")
    axe(page, "annuaire")
    choose(page, "Commune", "Lyon", "Lyon")
    page.select_option("#id_rayon", "10")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("heading", name="1 prescripteur à moins de 10 km de Lyon").wait_for()
    axe(page, "résultats")
    shot(page, "5-resultats")

    page.get_by_role("link", name="Mission locale de Villeurbanne").click()
    page.get_by_role("heading", name="Mission locale de Villeurbanne", level=1).wait_for()
    axe(page, "page du prescripteur")
    shot(page, "6-prescripteur")

    admin = agency.memberships.get().user
    log_in(page, admin, live_server)
    page.goto("/prescripteurs/espace/")
    page.get_by_role("heading", name="Inviter une personne").wait_for()
    page.fill("#id_email", "valideur@ml-villeurbanne.fr")
    page.get_by_label("Valideur").check()
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.get_by_text("Invitation envoyée à valideur@ml-villeurbanne.fr").wait_for()
    axe(page, "espace")
    shot(page, "7-espace")
