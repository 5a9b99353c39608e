"""The renewal in Chromium (issue 12 item 4): the tutor's assessment says an objective is
not met; the beneficiary asks for a renewal from their assessment's page, the conseiller
référent is e-mailed, and the agency prepares it from the convention's page: the draft
opens on its dates, prefilled, and the rules accept it. axe-core on every page."""

from datetime import timedelta

import pytest

from immersio.assessments import services
from immersio.assessments.rules import Achievement, Answers, ObjectiveResult, Outcome
from immersio.conventions import services as convention_services
from immersio.conventions.models import Convention
from immersio.conventions.rules import errors
from immersio.core.actors import AUTOMATIC, TASK
from tests.accounts.factories import UserFactory
from tests.browser.test_assessment import last_day, validated
from tests.browser.test_convention_lifecycle import BENEFICIARY, mail_to, url_in
from tests.fixtures.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_beneficiary_asks_and_the_agency_prepares_the_renewal(
    page, axe, smtp_server, site_url, live_server, referentials
):
    sent, convention = validated()
    with last_day(convention):
        services.request_due(actor=TASK)
        services.fill(
            convention=convention,
            answers=Answers(
                outcome=Outcome.COMPLETED,
                objectives=tuple(
                    ObjectiveResult(o, Achievement.NOT_MET) for o in convention.objective_list()
                ),
                appreciation="Assidue, mais une semaine n'a pas suffi.",
            ),
            actor=AUTOMATIC,
        )

        # The beneficiary asks from their account.
        log_in(page, UserFactory(email=BENEFICIARY), live_server)
        page.goto(f"/bilans/mon-bilan/{convention.public_id}/")
        page.get_by_role("heading", name="Renouveler l'immersion").wait_for()
        axe(page, "bilan avec la demande de renouvellement")
        page.get_by_label("Votre message à votre conseiller ou conseillère").fill(
            "J'aimerais essayer la vente au marché."
        )
        page.get_by_role("button", name="Demander un renouvellement à mon conseiller").click()
        page.get_by_text("Votre demande de renouvellement est envoyée").wait_for()
        page.get_by_text("Vous avez demandé un renouvellement le").wait_for()
        axe(page, "renouvellement demandé")
        message = mail_to(smtp_server, convention.counsellor_email, "demande de renouvellement")
        assert "J'aimerais essayer la vente au marché." in message.text
        review = url_in(message, f"/conventions/prescripteur/{convention.public_id}/")

        # The agency prepares it from the convention's page.
        log_in(page, sent.counsellor, live_server)
        page.goto(review)
        page.get_by_text("J'aimerais essayer la vente au marché.").wait_for()
        axe(page, "convention avec la demande de renouvellement")
        page.get_by_role("button", name="Préparer le renouvellement").click()
        page.get_by_text("Le renouvellement est prêt").wait_for()
        axe(page, "brouillon du renouvellement, étape des dates")
        renewal = Convention.objects.get(renews=convention)
        assert renewal.objective_list() == convention.objective_list()
        start = convention.date_start + timedelta(days=14)
        page.get_by_label("Date de début").fill(start.isoformat())
        page.get_by_label("Date de fin").fill((start + timedelta(days=4)).isoformat())
        page.get_by_role("button", name="Enregistrer et continuer").click()
        page.wait_for_load_state()
        renewal.refresh_from_db()
        assert renewal.date_start == start
        codes = {v.code for v in errors(convention_services.violations(renewal))}
        assert not {c for c in codes if c.startswith("renewal")}, codes

        # Back on the convention's page: no second renewal to prepare.
        page.goto(review)
        page.get_by_role("link", name="Continuer le renouvellement").wait_for()
        assert page.get_by_role("button", name="Préparer le renouvellement").count() == 0
