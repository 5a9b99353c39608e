"""« Ils et elles ont changé de voie » in Chromium: a candidate finds a resource person by
cause, asks for an entretien-métier (first with a phone number in the text: refused, the
text kept), the person accepts with two slots, the candidate picks one and sees the
confirmed slot with how to join. axe-core runs on every page at 1280 px and 390 px."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.fixtures import browser as shared
from tests.fixtures.browser import log_in
from tests.resource_people.helpers import cause, make_profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def both_widths(page, axe, name):
    shared.both_widths(page, axe, name, prefix="resource-people")


def test_a_candidate_asks_a_resource_person_and_gets_a_confirmed_slot(page, axe, live_server):
    food = cause()
    person = UserFactory(first_name="Hélène", last_name="Roux")
    make_profile(person=person, causes=[food])
    make_profile(after_title="Animateur vélo-école", causes=[])
    candidate = UserFactory(first_name="Samir", last_name="Haddad")

    # The candidate finds her by cause.
    page.goto("/personnes-ressources/")
    page.get_by_role("heading", name="Ils et elles ont changé de voie", level=1).wait_for()
    both_widths(page, axe, "recherche")
    page.get_by_label("Cause").select_option(label=food.label)
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("heading", name="1 personne").wait_for()
    assert "Animateur vélo-école" not in page.content()
    page.get_by_role("link", name="Hélène R. : Comptable → Maraîchère bio").click()
    page.get_by_role("heading", name="Hélène R.", level=1).wait_for()
    both_widths(page, axe, "profil")

    # Asking needs an account.
    log_in(page, candidate, live_server)
    page.reload()
    page.get_by_role("link", name="Demander un entretien-métier").click()
    page.get_by_role("heading", name="Demander un entretien-métier à Hélène R.").wait_for()
    both_widths(page, axe, "demande")
    page.get_by_label("Qui je suis").fill(
        "Commercial depuis dix ans. Appelez-moi au 06 12 34 56 78."
    )
    page.get_by_label("Pourquoi vous").fill("Vous avez quitté un bureau pour la terre.")
    page.get_by_label("Ce que je veux comprendre").fill("Le quotidien des premières saisons.")
    page.get_by_label("En visio").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_text("ni téléphone ni adresse e-mail").first.wait_for()
    assert (
        page.get_by_label("Pourquoi vous").input_value()
        == "Vous avez quitté un bureau pour la terre."
    )
    both_widths(page, axe, "demande-erreur")
    page.get_by_label("Qui je suis").fill("Commercial depuis dix ans, je pense au maraîchage.")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_text("En attente de réponse").first.wait_for()
    url = page.url
    both_widths(page, axe, "entretien-demande")

    # The person accepts with two slots.
    log_in(page, person, live_server)
    page.goto(url)
    page.get_by_role("heading", name="Accepter et proposer des créneaux").wait_for()
    both_widths(page, axe, "entretien-reponse")
    first = timezone.localdate() + timedelta(days=3)
    page.get_by_label("Créneau 1 : jour").fill(first.isoformat())
    page.get_by_label("Créneau 1 : heure").select_option("18:00")
    page.get_by_label("Créneau 2 : jour").fill((first + timedelta(days=2)).isoformat())
    page.get_by_label("Créneau 2 : heure").select_option("12:30")
    page.get_by_label("Comment vous joindre le jour venu").fill("https://visio.exemple.fr/helene")
    page.get_by_role("button", name="Proposer ces créneaux").click()
    page.get_by_role("heading", name="Créneaux proposés").wait_for()

    # The candidate picks the second one and sees it confirmed, with how to join.
    log_in(page, candidate, live_server)
    page.goto(url)
    page.get_by_role("button", name="Confirmer ce créneau").wait_for()
    both_widths(page, axe, "entretien-creneaux")
    page.locator("input[name=slot]").nth(1).check()
    page.get_by_role("button", name="Confirmer ce créneau").click()
    page.get_by_text("Rendez-vous le").wait_for()
    confirmed = page.locator(".alert-success", has_text="Rendez-vous le").inner_text()
    assert "12h30" in confirmed and "https://visio.exemple.fr/helene" in confirmed
    both_widths(page, axe, "entretien-confirme")
    page.get_by_role("link", name="préparer un entretien-métier").click()
    page.get_by_role("heading", name="Préparer un entretien-métier", level=1).wait_for()
    both_widths(page, axe, "guide")
