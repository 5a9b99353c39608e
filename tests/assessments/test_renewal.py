"""Issue 12 item 4: the renewal an assessment allows (D5135-3) — the rules read the
assessment, the agency prepares the renewal from the review page, the beneficiary asks
for it from their assessment's page."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.urls import reverse

from immersio.assessments import selectors, services
from immersio.assessments.models import AssessmentEvent
from immersio.assessments.rules import Achievement, ObjectiveResult, Outcome
from immersio.conventions import hooks, rules
from immersio.conventions import selectors as convention_selectors
from immersio.conventions import services as convention_services
from immersio.conventions.models import Convention
from immersio.conventions.transitions import Status
from immersio.core.actors import AUTOMATIC, TASK
from immersio.notifications.models import OutboundEmail
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.assessments.helpers import completed, ended_convention
from tests.assessments.test_pages import cosign_link, post
from tests.conventions.builders import another_draft
from tests.core.query_counts import assert_flat

pytestmark = pytest.mark.django_db

REQUEST = "assessment_renewal_request"


def not_met(convention, result: str = Achievement.NOT_MET):
    """Answers whose last objective is ``result``, the others met."""
    objectives = convention.objective_list()
    return completed(
        convention,
        objectives=tuple(
            ObjectiveResult(o, result if n == len(objectives) - 1 else Achievement.MET)
            for n, o in enumerate(objectives)
        ),
    )


def assessed(answers=not_met, **changes):
    ended = ended_convention(**changes)
    services.fill(convention=ended.convention, answers=answers(ended.convention), actor=AUTOMATIC)
    return ended


def with_new_dates(renewal: Convention, parent: Convention) -> Convention:
    renewal.date_start = parent.date_start + timedelta(days=14)
    renewal.date_end = parent.date_end + timedelta(days=14)
    renewal.save()
    return renewal


def codes(convention: Convention) -> set[str]:
    return {v.code for v in rules.errors(convention_services.violations(convention))}


def review(convention) -> str:
    return reverse("conventions:review", kwargs={"public_id": convention.public_id})


def renew_url(convention) -> str:
    return reverse("assessments:renew", kwargs={"public_id": convention.public_id})


def mine(convention) -> str:
    return reverse("assessments:mine", kwargs={"public_id": convention.public_id})


# --- what the assessment tells the rules ----------------------------------------------------


def test_the_hook_answers_from_the_filled_assessment_cosigned_or_not():
    ended = ended_convention()
    c = ended.convention
    assert [key for key, _ in hooks.objectives_not_met.items()] == ["assessments"]
    assert convention_selectors.parent_objectives_not_met(c) is None  # not asked
    services.request_assessment(convention=c, actor=TASK)
    assert convention_selectors.parent_objectives_not_met(c) is None  # asked, not filled
    assessment = services.fill(convention=c, answers=not_met(c), actor=AUTOMATIC)
    assert assessment.to_cosign and convention_selectors.parent_objectives_not_met(c) is True
    partly = assessed(lambda c: not_met(c, Achievement.PARTLY)).convention
    assert convention_selectors.parent_objectives_not_met(partly) is True
    assert convention_selectors.parent_objectives_not_met(assessed(completed).convention) is False
    no_show = assessed(
        lambda c: completed(c, outcome=Outcome.NO_SHOW, no_show_reason="Sans nouvelles")
    )
    assert convention_selectors.parent_objectives_not_met(no_show.convention) is False


def test_the_rules_accept_a_renewal_whose_assessment_says_an_objective_is_not_met():
    ended = assessed()
    renewal = services.start_renewal(convention=ended.convention, actor=ended.counsellor)
    with_new_dates(renewal, ended.convention)
    assert convention_services.to_rule_data(renewal).renewal.parent_objectives_not_met is True
    assert codes(renewal) == set()


def test_the_rules_refuse_when_the_objectives_were_met_or_no_assessment_is_filled():
    met = assessed(completed)
    renewal = convention_services.start_renewal(parent=met.convention, actor=AUTOMATIC)
    with_new_dates(renewal, met.convention)
    assert "renewal_objectives_met" in codes(renewal)
    [message] = [
        v.message
        for v in convention_services.violations(renewal)
        if v.code == "renewal_objectives_met"
    ]
    assert "aucun objectif non atteint" in message
    waiting = ended_convention()
    renewal = convention_services.start_renewal(parent=waiting.convention, actor=AUTOMATIC)
    with_new_dates(renewal, waiting.convention)
    assert "renewal_assessment_missing" in codes(renewal)


def test_a_second_renewal_is_refused_of_the_same_parent_and_of_the_renewal():
    ended = assessed()
    renewal = with_new_dates(
        services.start_renewal(convention=ended.convention, actor=ended.counsellor),
        ended.convention,
    )
    Convention.objects.filter(pk=renewal.pk).update(status=Status.VALIDATED)
    with pytest.raises(services.AssessmentError, match="déjà été renouvelée"):
        services.start_renewal(convention=ended.convention, actor=ended.counsellor)
    # The renewal itself, ended and assessed with an objective not met, is not renewed.
    Convention.objects.filter(pk=renewal.pk).update(
        date_start=ended.convention.date_start, date_end=ended.convention.date_end
    )
    renewal.refresh_from_db()
    services.fill(convention=renewal, answers=not_met(renewal), actor=AUTOMATIC)
    with pytest.raises(services.AssessmentError, match="déjà un renouvellement"):
        services.start_renewal(convention=renewal, actor=ended.counsellor)
    # The rules refuse a draft renewing the renewal (the service does not open one).
    again = another_draft(renewal)
    assert {"renewal_of_renewal"} <= codes(with_new_dates(again, renewal))


def test_objectives_met_refuse_a_renewal_in_the_service():
    ended = assessed(completed)
    with pytest.raises(services.AssessmentError, match="aucun objectif non atteint"):
        services.start_renewal(convention=ended.convention, actor=ended.counsellor)
    assert not Convention.objects.filter(renews=ended.convention).exists()


# --- the agency prepares it -----------------------------------------------------------------


def test_the_button_appears_only_while_a_renewal_may_be_prepared(client):
    ended = assessed()
    client.force_login(ended.counsellor)
    page = client.get(review(ended.convention)).text
    assert "Préparer le renouvellement" in page and renew_url(ended.convention) in page
    response = client.post(renew_url(ended.convention))
    renewal = Convention.objects.get(renews=ended.convention)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "conventions:step", kwargs={"token": renewal.share_token, "step": "horaires"}
    )
    assert renewal.is_draft and renewal.created_by == ended.counsellor
    assert renewal.objective_list() == ended.convention.objective_list()
    assert renewal.date_start is None
    page = client.get(review(ended.convention)).text
    assert "Préparer le renouvellement" not in page and "Continuer le renouvellement" in page
    # Pressed again (another tab): the same draft.
    client.post(renew_url(ended.convention))
    assert Convention.objects.filter(renews=ended.convention).count() == 1
    assert ended.assessment().events.filter(action="renouvellement_prepare").count() == 1
    Convention.objects.filter(pk=renewal.pk).update(
        status=Status.TO_SIGN, submitted_at=renewal.created_at
    )
    page = client.get(review(ended.convention)).text
    assert "Préparer le renouvellement" not in page and "Cette immersion est renouvelée" in page


def test_no_button_when_the_objectives_were_met_or_for_others(client):
    met = assessed(completed)
    client.force_login(met.counsellor)
    assert "Préparer le renouvellement" not in client.get(review(met.convention)).text
    response = client.post(renew_url(met.convention))
    assert response.status_code == 302 and not Convention.objects.filter(renews=met.convention)
    ended = assessed()
    other = UserFactory()
    AgencyFactory(counsellor=other)
    for person in (other, ended.beneficiary, UserFactory()):
        client.force_login(person)
        assert client.post(renew_url(ended.convention)).status_code == 404
    assert client.get(renew_url(ended.convention)).status_code == 405
    assert not Convention.objects.filter(renews=ended.convention).exists()


def test_the_agency_member_edits_and_submits_the_renewal_draft(client):
    ended = assessed()
    client.force_login(ended.counsellor)
    client.post(renew_url(ended.convention))
    renewal = Convention.objects.get(renews=ended.convention)
    step = reverse("conventions:step", kwargs={"token": renewal.share_token, "step": "horaires"})
    assert client.get(step).status_code == 200
    with_new_dates(renewal, ended.convention)
    # The structure's certification is given again for each convention (not copied).
    Convention.objects.filter(pk=renewal.pk).update(replaces_no_job=True)
    recap = reverse(
        "conventions:step", kwargs={"token": renewal.share_token, "step": "recapitulatif"}
    )
    response = client.post(recap, {"action": "envoyer"})
    renewal.refresh_from_db()
    assert response.status_code == 302, response.text
    assert not renewal.is_draft and renewal.renews == ended.convention


@pytest.mark.django_db(transaction=True)
def test_two_agency_members_preparing_the_renewal_at_once_open_one_draft():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need a server database (SQLite: one writer)")
    ended = assessed()
    colleague = UserFactory()
    ended.convention.agency.memberships.create(user=colleague, role="conseiller")
    barrier = threading.Barrier(2)
    made: list[int] = []

    def prepare(person):
        try:
            barrier.wait(timeout=10)
            made.append(services.start_renewal(convention=ended.convention, actor=person).pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=prepare, args=(p,)) for p in (ended.counsellor, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(made) == 2 and len(set(made)) == 1
    assert Convention.objects.filter(renews=ended.convention).count() == 1


# --- the beneficiary asks for it ------------------------------------------------------------


def test_the_beneficiary_asks_once_from_their_account_and_the_agency_is_told(client):
    ended = assessed()
    client.force_login(ended.beneficiary)
    page = client.get(mine(ended.convention)).text
    assert "Demander un renouvellement à mon conseiller" in page
    response = client.post(
        mine(ended.convention), {"action": "renouvellement", "message": "Une semaine de plus."}
    )
    assert response.status_code == 302
    event = ended.assessment().events.get(action=AssessmentEvent.Action.RENEWAL_ASKED)
    assert event.reason == "Une semaine de plus." and event.by == ended.beneficiary
    [email] = OutboundEmail.objects.filter(kind=REQUEST)
    assert email.recipient == ended.convention.counsellor_email
    assert "Une semaine de plus." in email.text_body and "Une semaine" not in email.subject
    page = client.get(mine(ended.convention)).text
    assert "Vous avez demandé un renouvellement" in page
    assert "Demander un renouvellement à mon conseiller" not in page
    # Asking again is harmless.
    again = client.post(
        mine(ended.convention), {"action": "renouvellement", "message": ""}, follow=True
    )
    assert "déjà demandé" in again.text
    assert OutboundEmail.objects.filter(kind=REQUEST).count() == 1
    # The agency sees it with the button.
    client.force_login(ended.counsellor)
    page = client.get(review(ended.convention)).text
    assert "a demandé un renouvellement" in page and "Une semaine de plus." in page
    assert "Préparer le renouvellement" in page


def test_the_beneficiary_asks_from_the_link_before_cosigning(client):
    ended = assessed()
    url = cosign_link(ended.assessment())
    page = client.get(url).text
    assert "Signer le bilan" in page and "Demander un renouvellement" in page
    response = post(client, url, {"action": "renouvellement", "message": ""})
    assert response.status_code == 302
    assert ended.assessment().events.filter(action="renouvellement_demande").exists()
    assert "Signer le bilan" in client.get(url).text  # co-signing is still to do


def test_the_request_is_refused_when_met_or_already_renewed(client):
    met = assessed(completed)
    client.force_login(met.beneficiary)
    assert "Demander un renouvellement" not in client.get(mine(met.convention)).text
    response = client.post(mine(met.convention), {"action": "renouvellement", "message": ""})
    assert response.status_code == 400 and "aucun objectif non atteint" in response.text
    ended = assessed()
    renewal = services.start_renewal(convention=ended.convention, actor=ended.counsellor)
    client.force_login(ended.beneficiary)
    page = client.get(mine(ended.convention)).text
    assert "prépare le renouvellement" in page and "Demander un renouvellement" not in page
    Convention.objects.filter(pk=renewal.pk).update(status=Status.TO_SIGN)
    with pytest.raises(services.AssessmentError, match="déjà été renouvelée"):
        services.request_renewal(assessment=ended.assessment(), message="", actor=ended.beneficiary)
    assert not AssessmentEvent.objects.filter(action="renouvellement_demande").exists()
    assert not OutboundEmail.objects.filter(kind=REQUEST).exists()


def test_another_person_cannot_ask(client):
    ended = assessed()
    client.force_login(UserFactory())
    assert client.post(mine(ended.convention), {"action": "renouvellement"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.request_renewal(assessment=ended.assessment(), message="", actor=ended.counsellor)
    assert selectors.renewal_of(ended.convention, ended.assessment()).request is None


def test_mes_conventions_offers_the_request_while_it_may_be_asked(client):
    ended = assessed(created_by=None)
    Convention.objects.filter(pk=ended.convention.pk).update(created_by=ended.beneficiary)
    client.force_login(ended.beneficiary)
    link = mine(ended.convention) + "#renouvellement"
    assert link in client.get(reverse("conventions:mine")).text
    services.request_renewal(assessment=ended.assessment(), message="", actor=AUTOMATIC)
    assert link not in client.get(reverse("conventions:mine")).text


def test_mes_conventions_stays_flat_with_renewals_to_ask(client):
    beneficiary = UserFactory(email="renouvelle@exemple.fr")

    def add_rows(count: int) -> None:
        for n in range(count):
            ended = assessed(
                beneficiary_email="renouvelle@exemple.fr",
                created_by=beneficiary,
                with_account=False,
            )
            if n % 2:
                services.request_renewal(assessment=ended.assessment(), message="", actor=AUTOMATIC)

    client.force_login(beneficiary)
    assert_flat(client, reverse("conventions:mine"), add_rows, marker="Signer le bilan de l")


def test_an_amendment_of_a_renewal_is_still_that_renewal_under_the_renewal_rules():
    from immersio.conventions import lifecycle

    ended = assessed()
    renewal = with_new_dates(
        services.start_renewal(convention=ended.convention, actor=ended.counsellor),
        ended.convention,
    )
    Convention.objects.filter(pk=renewal.pk).update(status=Status.VALIDATED)
    renewal.refresh_from_db()

    amendment = lifecycle.start_amendment(
        convention=renewal, reason="Le tuteur change.", actor=ended.counsellor
    )
    assert amendment.renews_id == ended.convention.pk and amendment.is_renewal
    assert amendment.renewal_root_id == ended.convention.pk
    # Not « already renewed » by the renewal it amends: the rules accept it as it is…
    assert codes(amendment) == set()
    # …and hold it to the renewal's object and objectives.
    amendment.objectives = "Découvrir un tout autre métier"
    amendment.save()
    assert "renewal_objectives_changed" in codes(amendment)
    # Sent, it shares its original with the renewal without breaking « once ».
    Convention.objects.filter(pk=amendment.pk).update(status=Status.TO_SIGN)
    with pytest.raises(services.AssessmentError, match="déjà été renouvelée"):
        services.start_renewal(convention=ended.convention, actor=ended.counsellor)


def test_the_beneficiary_is_told_once_when_the_agency_starts_preparing_it():
    """Asked or not, the beneficiary learns a renewal is coming; pressing « Préparer » again
    (the same open draft) tells no one twice."""
    ended = assessed()
    services.request_renewal(assessment=ended.assessment(), message="", actor=ended.beneficiary)
    services.start_renewal(convention=ended.convention, actor=ended.counsellor)
    services.start_renewal(convention=ended.convention, actor=ended.counsellor)
    [email] = OutboundEmail.objects.filter(kind="assessment_renewal_started")
    assert email.recipient == ended.convention.beneficiary_email
    assert "Vous avez demandé à renouveler" in email.text_body
    assert ended.convention.beneficiary_last_name not in email.subject

    unasked = assessed()
    services.start_renewal(convention=unasked.convention, actor=unasked.counsellor)
    email = OutboundEmail.objects.get(
        kind="assessment_renewal_started", recipient=unasked.convention.beneficiary_email
    )
    assert "au moins un objectif n'a pas encore été atteint" in email.text_body


def test_the_agency_answers_that_a_renewal_is_not_possible_and_the_beneficiary_is_told(client):
    ended = assessed()
    services.request_renewal(
        assessment=ended.assessment(), message="Une semaine de plus.", actor=ended.beneficiary
    )
    client.force_login(ended.counsellor)
    page = client.get(review(ended.convention)).text
    assert "Répondre que le renouvellement n'est pas possible" in page
    url = reverse("assessments:decline_renewal", kwargs={"public_id": ended.convention.public_id})
    # A reason is required: nothing recorded, a French message.
    response = client.post(url, {"reason": "  "}, follow=True)
    assert "Dites en quelques mots pourquoi" in response.text
    assert not AssessmentEvent.objects.filter(action="renouvellement_refuse").exists()

    client.post(url, {"reason": "Le maraîchage ferme en janvier."})
    [email] = OutboundEmail.objects.filter(kind="assessment_renewal_declined")
    assert email.recipient == ended.convention.beneficiary_email
    assert "Le maraîchage ferme en janvier." in email.text_body
    assert "maraîchage" not in email.subject
    page = client.get(review(ended.convention)).text
    assert "que le renouvellement n'est pas possible" in page
    assert "Répondre que le renouvellement n'est pas possible" not in page
    # Answering twice sends nothing more; the agency may still prepare it later.
    client.post(url, {"reason": "Encore."})
    assert OutboundEmail.objects.filter(kind="assessment_renewal_declined").count() == 1
    assert "Préparer le renouvellement" in page
    # The beneficiary reads the answer on their page, and cannot ask again.
    client.force_login(ended.beneficiary)
    page = client.get(mine(ended.convention)).text
    assert "Le maraîchage ferme en janvier." in page
    assert "Demander un renouvellement à mon conseiller" not in page


def test_only_the_agency_answers_and_only_a_request(client):
    ended = assessed()
    with pytest.raises(services.AssessmentError, match="n'a pas demandé"):
        services.decline_renewal(
            assessment=ended.assessment(), reason="Non.", actor=ended.counsellor
        )
    services.request_renewal(assessment=ended.assessment(), message="", actor=ended.beneficiary)
    with pytest.raises(PermissionDenied):
        services.decline_renewal(
            assessment=ended.assessment(), reason="Non.", actor=ended.beneficiary
        )
    client.force_login(UserFactory())
    url = reverse("assessments:decline_renewal", kwargs={"public_id": ended.convention.public_id})
    assert client.post(url, {"reason": "Non."}).status_code == 404
    services.start_renewal(convention=ended.convention, actor=ended.counsellor)
    with pytest.raises(services.AssessmentError, match="déjà en préparation"):
        services.decline_renewal(
            assessment=ended.assessment(), reason="Non.", actor=ended.counsellor
        )
    assert not AssessmentEvent.objects.filter(action="renouvellement_refuse").exists()
