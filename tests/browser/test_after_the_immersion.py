"""Issue 12 from end to end in Chromium: a validated convention reaches its last day (the
clock is moved); the tutor fills the assessment on a phone from the link the test SMTP
server received, an objective not met; the beneficiary co-signs from their own e-mail,
gets the PDF by link, and writes their bilan and an action plan; the agency sees the
immersion in its follow-up, reads the outcome on the convention's page and prepares the
renewal, which the rules accept; once that renewal is sent, a second one is refused.
axe-core on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from immersio.assessments import services, tasks
from immersio.assessments.models import Assessment
from immersio.conventions import lifecycle
from immersio.conventions import services as convention_services
from immersio.conventions.models import Convention
from immersio.conventions.rules import errors
from immersio.conventions.transitions import Status
from immersio.core.actors import TASK
from immersio.journal.models import ActionStep, Reflection
from tests.accounts.factories import UserFactory
from tests.browser.test_assessment import last_day, validated
from tests.browser.test_convention_lifecycle import (
    BENEFICIARY,
    PHONE,
    TUTOR,
    assert_no_sideways_scroll,
    mail_to,
    url_in,
)
from tests.fixtures.browser import DESKTOP, log_in, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_the_last_day_to_a_renewal_and_no_second_one(
    page, axe, smtp_server, site_url, live_server, referentials
):
    sent, convention = validated()
    with last_day(convention):
        assert services.request_due(actor=TASK).count == 1

        # The tutor, on a phone, from the e-mailed link: an objective not met.
        page.set_viewport_size(PHONE)
        page.goto(url_in(mail_to(smtp_server, TUTOR, "à remplir"), "/bilans/tuteur/?jeton="))
        page.get_by_role("heading", name="Bilan de l'immersion").wait_for()
        axe(page, "bilan du tuteur")
        page.get_by_label("Réalisée", exact=True).check()
        for radio in page.get_by_label("Non atteint", exact=True).all():
            radio.check()
        page.get_by_label("Votre appréciation générale").fill(
            "Appliquée ; une semaine, c'est court."
        )
        page.get_by_label("Vos conseils pour la suite de son parcours").fill(
            "Une seconde semaine pour la vente au marché."
        )
        page.get_by_role("button", name="Enregistrer le bilan").click()
        page.get_by_text("Merci : le bilan est enregistré.").wait_for()
        assessment = Assessment.objects.get(convention=convention)
        assert assessment.is_filled

        # The beneficiary co-signs from their own e-mail, then gets the PDF by link.
        cosign = url_in(mail_to(smtp_server, BENEFICIARY, "lisez-le et signez-le"), "?jeton=")
        page.goto(cosign)
        page.get_by_text("Appliquée ; une semaine, c'est court.").wait_for()
        assert_no_sideways_scroll(page, "bilan à cosigner")
        axe(page, "bilan à cosigner, 390 px")
        page.get_by_label("Oui, je suis d'accord").check()
        page.get_by_role("button", name="Signer le bilan").click()
        page.get_by_text("Merci : votre signature du bilan est enregistrée.").wait_for()
        tasks.render_pdf.call(assessment.pk)  # what the worker does after the commit
        document = url_in(mail_to(smtp_server, BENEFICIARY, "le PDF"), "/bilans/pdf/")

        # Their bilan and action plan, from their account (the PDF is theirs to open).
        log_in(page, UserFactory(email=BENEFICIARY), live_server)
        assert page.request.get(document).headers["content-type"] == "application/pdf"
        page.goto(f"/carnet/{convention.public_id}/")
        page.get_by_role("link", name="Mon bilan").click()
        page.get_by_role("group", name="Le métier me correspond-il ?").get_by_label("Oui").check()
        page.get_by_label("Pourquoi ? (le métier)").fill("Le contact avec les clients.")
        page.get_by_label("Ce que j'ai appris").fill("Préparer un étal, rendre la monnaie.")
        page.get_by_role("button", name="Enregistrer mon bilan").click()
        page.get_by_text("Bilan enregistré.").wait_for()
        page.get_by_label("Type d'étape").select_option(label="Me former")
        page.get_by_label("Quoi, concrètement").fill("Demander le programme du CAP primeur")
        page.get_by_label("Pour le").fill((timezone.localdate() + timedelta(days=10)).isoformat())
        page.get_by_role("button", name="Ajouter l'étape").click()
        page.get_by_text("Demander le programme du CAP primeur").wait_for()
        assert_no_sideways_scroll(page, "mon bilan")
        axe(page, "mon bilan et mon plan d'action")
        assert Reflection.objects.get().metier_fit == "oui"
        assert ActionStep.objects.count() == 1

        # The agency: its follow-up lists the immersion, co-signed, and leads to it.
        page.set_viewport_size(DESKTOP)
        log_in(page, sent.counsellor, live_server)
        page.goto(f"/bilans/suivi/{convention.agency.public_id}/")
        ending = page.locator("#fin-semaine")
        ending.get_by_text("Rempli et cosigné").wait_for()
        axe(page, "suivi des immersions")
        save_screenshot(page, "parcours-apres-immersion-suivi")
        ending.get_by_role("link", name=convention.beneficiary_first_name).click()
        page.get_by_role("heading", name="Bilan de l'immersion").wait_for()
        page.get_by_text("Non atteint").first.wait_for()
        axe(page, "convention avec son bilan")

        # It prepares the renewal: the rules accept it.
        page.get_by_role("button", name="Préparer le renouvellement").click()
        page.get_by_text("Le renouvellement est prêt").wait_for()
        renewal = Convention.objects.get(renews=convention)
        start = convention.date_start + timedelta(days=21)
        page.get_by_label("Date de début").fill(start.isoformat())
        page.get_by_label("Date de fin").fill((start + timedelta(days=4)).isoformat())
        page.get_by_role("button", name="Enregistrer et continuer").click()
        page.wait_for_load_state()
        renewal.refresh_from_db()
        assert renewal.date_start == start
        assert renewal.objective_list() == convention.objective_list()
        assert not errors(convention_services.violations(renewal))

        # Sent (the structure certifies, as it would on its step), it goes to signatures.
        Convention.objects.filter(pk=renewal.pk).update(replaces_no_job=True)
        renewal.refresh_from_db()
        lifecycle.submit(convention=renewal, actor=sent.counsellor)
        assert Convention.objects.get(pk=renewal.pk).status == Status.TO_SIGN

        # A second renewal is refused: no button, the page says why, the service refuses.
        page.goto(f"/conventions/prescripteur/{convention.public_id}/")
        page.get_by_text("Cette immersion est renouvelée").wait_for()
        assert page.get_by_role("button", name="Préparer le renouvellement").count() == 0
        with pytest.raises(services.AssessmentError, match="déjà été renouvelée"):
            services.start_renewal(convention=convention, actor=sent.counsellor)
