"""« Préparer ma demande » in Chromium: a candidate finds it on « Je cherche une
immersion », submits too quickly (French errors, answers kept), then gets the e-mail, the
letter and the post, copies the e-mail with the button, and publishes the same answers on
the board in one click, without typing them again. axe-core at 1280 px and 390 px."""

import pytest

from immersio.contacts.models import BoardPost
from tests.accounts.factories import UserFactory
from tests.fixtures import browser as shared
from tests.fixtures.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose(page, label, text):
    field = page.get_by_role("combobox", name=label)
    field.focus()
    page.keyboard.type(text, delay=30)
    option = page.locator("[data-combobox]", has=field).get_by_role("option", name=text).first
    option.wait_for()
    option.click()


def both_widths(page, axe, name):
    shared.both_widths(page, axe, name, prefix="preparer")


def test_candidate_prepares_a_request_copies_it_and_publishes_it(
    page, axe, site_url, live_server, referentials
):
    candidate = UserFactory(first_name="Camille", last_name="Durand")
    log_in(page, candidate, live_server)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/je-cherche-une-immersion/")
    page.get_by_role("link", name="Préparer ma demande").click()
    page.get_by_role("heading", name="Préparer ma demande d'immersion", level=1).wait_for()
    both_widths(page, axe, "questions")

    page.get_by_label("Votre intention et vos motivations").fill("Motivé.")
    page.get_by_label("Pourquoi maintenant ?").fill("Mon contrat se termine en juin.")
    page.get_by_role("button", name="Écrire mes textes").click()
    page.get_by_role("heading", name="Le formulaire contient").wait_for()
    page.get_by_text("Dites-en un peu plus").first.wait_for()
    assert page.get_by_label("Pourquoi maintenant ?").input_value() == (
        "Mon contrat se termine en juin."
    )
    both_widths(page, axe, "erreurs")

    page.get_by_label("Découvrir un métier ou un secteur d'activité").check()
    page.get_by_label("Votre intention et vos motivations").fill(
        "J'ai travaillé dix ans en logistique et je veux me reconvertir dans le maraîchage."
    )
    page.get_by_label("Ce que vous espérez voir ou essayer").fill("Participer aux récoltes.")
    choose(page, "Métier", "Maraîcher / Maraîchère")
    page.get_by_label("Le type de structure").select_option("association")
    page.get_by_label("Quand êtes-vous disponible ?").fill("En avril, en semaine.")
    page.get_by_label("Durée souhaitée").select_option("1s")
    choose(page, "Où ?", "Lyon")
    page.get_by_role("button", name="Écrire mes textes").click()

    page.get_by_role("heading", name="Votre demande, prête à envoyer").wait_for()
    for title in ("Un e-mail", "Une lettre", "Une publication sur un réseau professionnel"):
        page.get_by_role("heading", name=title).wait_for()
    email_text = page.locator("#texte-email").input_value()
    assert "Mon contrat se termine en juin." in email_text
    both_widths(page, axe, "textes")
    page.get_by_role("button", name="Copier le texte").first.click()
    page.get_by_role("button", name="Copié !").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == email_text

    page.get_by_role("link", name="Publier sur le tableau").click()
    page.get_by_role("heading", name="Publier ma demande d'immersion").wait_for()
    assert page.get_by_role("combobox", name="Métier").input_value() == "Maraîcher / Maraîchère"
    assert "Mon contrat se termine en juin." in page.get_by_label("Vos motivations").input_value()
    page.get_by_role("button", name="Publier ma demande").click()
    page.get_by_text("Votre demande est publiée").wait_for()
    post = BoardPost.objects.get()
    assert post.candidate == candidate and post.commune.name == "Lyon"
