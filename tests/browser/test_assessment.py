"""The tutor's assessment in Chromium (issue 12 item 2): a validated convention reaches its
end (the clock is moved), the daily job e-mails the tutor, who fills the assessment on a
phone from the link read in the e-mail the test SMTP server received; the beneficiary
reads it from their own e-mail and co-signs (disagreeing needs a comment); the agency is
told. The no-show shortcut is one screen and tells the agency. axe-core on every page."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from immersio.assessments import services
from immersio.assessments.models import Assessment
from immersio.assessments.rules import ASSESSMENT_LINK_DAYS
from immersio.conventions import lifecycle
from immersio.conventions.transitions import Action, Status
from immersio.core.actors import TASK
from tests.accounts.factories import UserFactory
from tests.browser.test_convention_lifecycle import (
    BENEFICIARY,
    PHONE,
    TUTOR,
    assert_no_sideways_scroll,
    mail_to,
    url_in,
)
from tests.conventions.lifecycle_helpers import sent_convention, sign_all
from tests.fixtures.browser import log_in, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def validated():
    sent = sent_convention()
    sign_all(sent)
    lifecycle.decide(convention=sent.convention, action=Action.PRE_VALIDATE, actor=sent.counsellor)
    lifecycle.decide(convention=sent.convention, action=Action.VALIDATE, actor=sent.validator)
    convention = sent.refresh()
    assert convention.status == Status.VALIDATED
    return sent, convention


def last_day(convention):
    """The clock at 6 p.m. on the convention's last day (ticking: the pages need it)."""
    moment = timezone.make_aware(datetime.combine(convention.date_end, time(18)))
    return time_machine.travel(moment, tick=True)


def test_the_tutor_fills_from_the_email_and_the_beneficiary_cosigns(
    page, axe, smtp_server, site_url, live_server, referentials
):
    sent, convention = validated()
    with last_day(convention):
        assert services.request_due(actor=TASK).count == 1
        mail_to(smtp_server, BENEFICIARY, "le bilan arrive")

        # The tutor, on a phone, from the e-mailed link.
        page.set_viewport_size(PHONE)
        page.goto(url_in(mail_to(smtp_server, TUTOR, "à remplir"), "/bilans/tuteur/?jeton="))
        page.get_by_role("heading", name="Bilan de l'immersion").wait_for()
        assert_no_sideways_scroll(page, "formulaire du bilan")
        save_screenshot(page, "bilan-tuteur-390")
        axe(page, "bilan du tuteur, 390 px")
        page.get_by_label("Réalisée", exact=True).check()
        page.get_by_label("Atteint", exact=True).check()
        page.get_by_label("Autre compétence observée (1)").fill("Travail en équipe")
        # An error keeps what was typed: the appreciation is missing.
        page.get_by_label("Vos conseils pour la suite de son parcours").fill("Se former.")
        page.get_by_role("button", name="Enregistrer le bilan").click()
        page.locator("#erreurs").wait_for()
        axe(page, "bilan du tuteur avec erreurs")
        assert page.get_by_label("Vos conseils pour la suite de son parcours").input_value() == (
            "Se former."
        )
        assert page.get_by_label("Autre compétence observée (1)").input_value() == (
            "Travail en équipe"
        )
        page.get_by_label("Niveau").first.select_option("progression")
        page.get_by_label("Votre appréciation générale").fill("Ponctuelle et curieuse.")
        page.get_by_role("button", name="Enregistrer le bilan").click()
        page.get_by_text("Merci : le bilan est enregistré.").wait_for()
        axe(page, "bilan enregistré")
        assessment = Assessment.objects.get(convention=convention)
        assert assessment.is_filled and assessment.skills == [
            {"skill": "Travail en équipe", "level": "progression", "free": True}
        ]

        # The beneficiary reads it from their own e-mail and co-signs.
        page.set_viewport_size({"width": 1280, "height": 900})
        message = mail_to(smtp_server, BENEFICIARY, "lisez-le et signez-le")
        page.goto(url_in(message, "/bilans/signer/?jeton="))
        page.get_by_text("Ponctuelle et curieuse.").wait_for()
        axe(page, "bilan à cosigner")
        page.get_by_label("Non, je ne suis pas d'accord").check()
        page.get_by_role("button", name="Signer le bilan").click()
        page.locator("#erreurs").wait_for()
        page.get_by_label("Votre commentaire").fill("J'ai aussi préparé les paniers.")
        page.get_by_role("button", name="Signer le bilan").click()
        page.get_by_text("Merci : votre signature du bilan est enregistrée.").wait_for()
        axe(page, "bilan cosigné")
        assessment.refresh_from_db()
        assert assessment.cosigned_at and assessment.beneficiary_agrees is False
        mail_to(smtp_server, sent.counsellor.email, "signé par le bénéficiaire")
        mail_to(smtp_server, TUTOR, "signé par le bénéficiaire")


def test_the_no_show_shortcut_is_one_screen_and_tells_the_agency(
    page, axe, smtp_server, site_url, live_server, referentials
):
    sent, convention = validated()
    with last_day(convention):
        services.request_due(actor=TASK)
        page.goto(url_in(mail_to(smtp_server, TUTOR, "à remplir"), "/bilans/tuteur/?jeton="))
        page.get_by_role("link", name="La personne ne s'est pas présentée ?").click()
        page.get_by_role("button", name="Enregistrer : pas présenté·e").click()
        page.locator("#erreurs").wait_for()
        axe(page, "raccourci « pas présenté·e » avec erreur")
        page.get_by_label("Pourquoi la personne ne s'est-elle pas présentée ?").fill(
            "Sans nouvelles"
        )
        page.get_by_role("button", name="Enregistrer : pas présenté·e").click()
        page.get_by_text("Merci : le bilan est enregistré.").wait_for()
        assert Assessment.objects.get(convention=convention).is_no_show
        mail_to(smtp_server, sent.counsellor.email, "ne s'est pas présentée")


def test_the_agency_fills_in_place_of_the_tutor_corrects_and_the_beneficiary_signs_in_space(
    page, axe, smtp_server, site_url, live_server, referentials
):
    sent, convention = validated()
    with last_day(convention):
        services.request_due(actor=TASK)
        tutor_link = url_in(mail_to(smtp_server, TUTOR, "à remplir"), "/bilans/tuteur/?jeton=")
        log_in(page, sent.counsellor, live_server)
        page.goto(f"/conventions/prescripteur/{convention.public_id}/")
        page.get_by_role("heading", name="Bilan de l'immersion").wait_for()
        axe(page, "convention avec son bilan en attente")
        page.get_by_role("link", name="Remplir à la place du tuteur").click()
        axe(page, "bilan rempli par le prescripteur")
        page.get_by_label("Réalisée", exact=True).check()
        page.get_by_label("Non atteint", exact=True).check()
        page.get_by_label("Votre appréciation générale").fill("Assidue.")
        page.get_by_role("button", name="Enregistrer le bilan").click()
        page.get_by_text("Le bilan est enregistré à la place du tuteur.").wait_for()
        page.get_by_role("link", name="Corriger le bilan").click()
        axe(page, "correction du bilan")
        page.get_by_label("Vos conseils pour la suite de son parcours").fill("Refaire une semaine.")
        page.get_by_label("Motif de la correction").fill("Conseil oublié.")
        page.get_by_role("button", name="Enregistrer la correction").click()
        page.get_by_text("Corrigé par le prescripteur").wait_for()

        # The beneficiary signs from their account.
        log_in(page, UserFactory(email=BENEFICIARY), live_server)
        page.goto(f"/bilans/mon-bilan/{convention.public_id}/")
        page.get_by_text("Refaire une semaine.").wait_for()
        axe(page, "bilan dans l'espace du bénéficiaire")
        page.get_by_label("Oui, je suis d'accord").check()
        page.get_by_role("button", name="Signer le bilan").click()
        page.get_by_text("Merci : votre signature du bilan est enregistrée.").wait_for()

    # A month later, the tutor's link has expired: the page offers a new one.
    page.context.clear_cookies()
    with time_machine.travel(timezone.now() + timedelta(days=ASSESSMENT_LINK_DAYS + 20)):
        page.goto(tutor_link)
        page.get_by_role("heading", name="Ce lien a expiré").wait_for()
        axe(page, "lien de bilan expiré")
