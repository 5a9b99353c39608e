"""The login journey in Chromium, with the link read from the real SMTP server."""

import pytest

from immersio.core.actors import TASK
from immersio.notifications.services import process_due_emails
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_with_a_link_received_by_email(page, smtp_server, site_url, axe):
    UserFactory(email="ada@exemple.fr", first_name="Ada", last_name="Lovelace")

    page.goto("/compte/connexion/")
    axe(page, "page de connexion")
    page.get_by_role("button", name="Recevoir mon lien de connexion").click()
    assert page.locator("#id_email_error").inner_text() == "Saisissez votre adresse e-mail."
    assert page.get_by_label("Adresse e-mail").get_attribute("aria-invalid") == "true"
    axe(page, "page de connexion avec une erreur")

    page.get_by_label("Adresse e-mail").fill("ada@exemple.fr")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Vérifiez votre boîte e-mail").wait_for()
    axe(page, "page « Vérifiez votre boîte e-mail »")

    process_due_emails(actor=TASK)  # what the worker does
    [message] = smtp_server.wait_for(1)
    link = message.first_url()
    assert link.startswith(site_url)

    page.goto(link)
    axe(page, "confirmation de connexion")
    page.get_by_role("button", name="Me connecter").click()
    page.get_by_role("heading", name="Mes demandes d'immersion").wait_for()
    assert page.url == f"{site_url}/demandes/mes-demandes/"
    assert page.get_by_text("Vous êtes connecté.").is_visible()
    page.goto(f"{site_url}/compte/profil/")

    page.get_by_label("Téléphone").fill("0612345678")
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Vos informations ont été enregistrées").is_visible()
    assert page.get_by_label("Téléphone").input_value() == "06 12 34 56 78"
    axe(page, "profil")

    # The same link, a second time: refused.
    page.goto(link)
    assert page.get_by_role("heading", name="Ce lien n'est plus valable").is_visible()
