"""The carnet and the bilan in Chromium, on a phone (390 px): the beneficiary writes two
pages, marks one important, adds a person met and shares one page; the conseiller reads
that page only; the beneficiary writes their bilan and an action plan. axe-core on each
page, and no page scrolls sideways."""

from datetime import timedelta

import pytest
from django.utils import timezone

from immersio.journal.models import ActionStep, JournalEntry, PersonMet, Reflection
from tests.fixtures.browser import PHONE, log_in, save_screenshot
from tests.journal.helpers import immersion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page, name):
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{name} scrolls sideways: {widths}"
    save_screenshot(page, f"journal-{name}")


def test_the_beneficiary_writes_shares_one_page_and_writes_a_bilan(page, axe, live_server):
    found = immersion(start=timezone.localdate() - timedelta(days=1), days=5)
    convention = found.convention
    first, second = convention.date_start, convention.date_start + timedelta(days=1)
    page.set_viewport_size(PHONE)
    log_in(page, found.beneficiary, live_server)

    page.goto("/conventions/")
    page.get_by_role("link", name="Mon carnet d'immersion").click()
    page.wait_for_url(f"**/carnet/{convention.public_id}/")
    axe(page, "carnet vide")
    fits_the_phone(page, "carnet-vide")

    # Today's page, then yesterday's.
    page.get_by_role("link", name="Écrire la page du jour").click()
    axe(page, "écrire une page")
    fits_the_phone(page, "ecrire")
    page.get_by_label("Qu'ai-je observé aujourd'hui ?").fill("La préparation des paniers.")
    page.get_by_label("Qu'ai-je essayé ?").fill("Peser les légumes.")
    page.get_by_role("button", name="Enregistrer la page").click()
    page.get_by_text("Page du", exact=False).first.wait_for()
    page.locator(f"#jour-{first:%Y-%m-%d}").get_by_role("link", name="Écrire cette page").click()
    page.get_by_label("Qu'est-ce qui m'a surpris ?").fill("Le silence des serres le matin.")
    page.get_by_role("button", name="Enregistrer la page").click()
    page.locator(f"#jour-{first:%Y-%m-%d}").get_by_text("Le silence des serres").wait_for()

    # Important (a plain form), a person met, sharing one page.
    day_one = page.locator(f"#jour-{first:%Y-%m-%d}")
    day_one.get_by_role("button", name="☆ Important").click()
    page.locator(f"#jour-{first:%Y-%m-%d}").get_by_role("button", name="★ Important").wait_for()
    day_two = page.locator(f"#jour-{second:%Y-%m-%d}")
    day_two.get_by_text("Ajouter une personne rencontrée").click()
    day_two.get_by_label("Prénom et nom").fill("Aïcha Benali")
    day_two.get_by_label("Son rôle").fill("Cheffe de culture")
    day_two.get_by_label("Cette personne est d'accord").check()
    day_two.get_by_role("textbox", name="Ses coordonnées").fill("aicha@exemple.fr")
    day_two.get_by_label("Je voudrais la recontacter").check()
    day_two.get_by_role("button", name="Ajouter").click()
    page.locator(f"#jour-{second:%Y-%m-%d}").get_by_text("Aïcha Benali").first.wait_for()
    page.locator(f"#jour-{first:%Y-%m-%d}").get_by_role(
        "button", name="Partager avec mon conseiller"
    ).click()
    page.get_by_text("partagée avec votre conseiller").wait_for()
    axe(page, "carnet écrit")
    fits_the_phone(page, "carnet")
    assert JournalEntry.objects.count() == 2
    assert JournalEntry.objects.get(day=first).important
    assert JournalEntry.objects.get(day=first).shared_at is not None
    assert PersonMet.objects.get().contact == "aicha@exemple.fr"

    # The conseiller reads the shared page only.
    log_in(page, found.counsellor, live_server)
    page.goto(f"/conventions/prescripteur/{convention.public_id}/")
    section = page.locator("#carnet-partage").locator("xpath=..")
    section.get_by_text("Le silence des serres").wait_for()
    assert "La préparation des paniers" not in section.inner_text()
    axe(page, "page de la convention, carnet partagé")

    # The bilan and an action plan.
    log_in(page, found.beneficiary, live_server)
    page.goto(f"/carnet/{convention.public_id}/")
    page.get_by_role("link", name="Mon bilan").click()
    axe(page, "bilan vide")
    fits_the_phone(page, "bilan-vide")
    page.get_by_role("group", name="Le métier me correspond-il ?").get_by_label("Oui").check()
    page.get_by_label("Pourquoi ? (le métier)").fill("Le travail dehors, les gens.")
    page.get_by_role("group", name="Les missions me correspondent-elles ?").get_by_label(
        "En partie"
    ).check()
    page.get_by_label("Ce que j'ai appris").fill("Les rotations de cultures.")
    page.get_by_label("Une formation").check()
    page.get_by_role("button", name="Enregistrer mon bilan").click()
    page.get_by_text("Bilan enregistré.").wait_for()
    page.get_by_label("Type d'étape").select_option(label="Me former")
    page.get_by_label("Quoi, concrètement").fill("Appeler le CFPPA pour le BPREA")
    target = timezone.localdate() + timedelta(days=14)
    page.get_by_label("Pour le").fill(target.isoformat())
    page.get_by_role("button", name="Ajouter l'étape").click()
    page.get_by_text("Appeler le CFPPA pour le BPREA").wait_for()
    page.get_by_role("button", name="C'est fait").click()
    page.get_by_text("fait", exact=True).wait_for()
    axe(page, "bilan écrit")
    fits_the_phone(page, "bilan")
    reflection = Reflection.objects.get()
    assert reflection.metier_fit == "oui" and reflection.needs == ["formation"]
    assert ActionStep.objects.get().done
