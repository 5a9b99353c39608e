"""Testimonies in Chromium: a beneficiary turns « Mon bilan » into a testimony (drafted
from what they wrote), forgets the consent (a French error, the text kept), sends it; the
Immersio team publishes it from its queue; it shows on the testimonies page and on the
host structure's directory page. axe-core at 1280 px and 390 px."""

from datetime import timedelta

import pytest
from django.utils import timezone

from immersio.journal.models import Reflection
from immersio.testimonies import models
from tests.accounts.factories import UserFactory
from tests.fixtures import browser as shared
from tests.fixtures.browser import log_in
from tests.journal.helpers import immersion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def both_widths(page, axe, name):
    shared.both_widths(page, axe, name, prefix="temoignages")


def test_a_bilan_becomes_a_testimony_published_on_the_structure_page(page, axe, live_server):
    found = immersion(start=timezone.localdate() - timedelta(days=10), days=5)
    convention = found.convention
    Reflection.objects.create(
        owner=found.beneficiary,
        convention=convention,
        learned="Le travail en équipe, la préparation des paniers et la vente directe.",
        unexpected="Le temps passé à planifier les cultures, bien avant de semer.",
        written=True,
    )
    structure = convention.structure
    log_in(page, found.beneficiary, live_server)
    page.goto(f"/carnet/{convention.public_id}/bilan/")
    page.get_by_role("link", name="En faire un témoignage").click()
    page.get_by_role("heading", name="Écrire un témoignage", level=1).wait_for()
    text = page.get_by_label("Votre témoignage")
    assert "Ce que j'ai appris : Le travail en équipe" in text.input_value()
    both_widths(page, axe, "formulaire")

    text.fill(
        text.input_value()
        + "\n\nJe cherchais du concret après dix ans de bureau : cette semaine m'a donné "
        "envie de me former au maraîchage."
    )
    page.get_by_role("button", name="Envoyer à la relecture").click()
    page.get_by_text("cochez la case d'accord").first.wait_for()
    assert "dix ans de bureau" in page.get_by_label("Votre témoignage").input_value()
    both_widths(page, axe, "erreur")
    page.get_by_label("J'accepte que ce témoignage soit publié", exact=False).check()
    page.get_by_role("button", name="Envoyer à la relecture").click()
    page.get_by_role("heading", name="Mes témoignages").wait_for()
    page.get_by_text("En attente de relecture").wait_for()
    testimony = models.Testimony.objects.get()
    assert testimony.structure == structure

    log_in(page, UserFactory(is_staff=True), live_server)
    page.goto("/temoignages/relecture/")
    both_widths(page, axe, "relecture")
    page.get_by_role("button", name="Publier", exact=True).click()
    page.get_by_text("Témoignage publié.").wait_for()

    page.context.clear_cookies()
    page.goto("/temoignages/")
    page.get_by_role("link", name=testimony.title).wait_for()
    both_widths(page, axe, "liste")
    page.goto(f"/structure/{structure.public_id}/")
    page.get_by_role("heading", name="Ils et elles y ont fait une immersion").wait_for()
    page.get_by_role("link", name=testimony.title).click()
    page.get_by_role("heading", name=testimony.title, level=1).wait_for()
    both_widths(page, axe, "temoignage")
