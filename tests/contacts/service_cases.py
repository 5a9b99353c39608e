"""Immersion-request services refusing an unauthorised actor (run by
tests/core/test_service_actors). Inside a thread a refusal is ``NotAllowed``, which the
pages show as a message, as before."""

from datetime import timedelta

from django.core import signing
from django.utils import timezone

from immersio.contacts import services
from immersio.contacts.models import AutoHide, BoardPost, BoardProposal, Status
from immersio.core.actors import TASK
from tests.accounts.factories import UserFactory
from tests.core.service_case import Case
from tests.fixtures.contacts import ContactRequestFactory, make_host
from tests.structures.factories import lyon, maraicher

NotAllowed = services.NotAllowed


def _candidate_data() -> services.CandidateData:
    return services.CandidateData(
        first_name="Camille",
        last_name="Durand",
        email="camille@exemple.fr",
        phone="0600000000",
        situation="demandeur_ft",
        has_support=False,
        support_name="",
        objective="decouvrir",
        motivations="Découvrir le maraîchage.",
        hopes="Les récoltes.",
        period="En mars.",
        duration="1s",
        transport="En bus.",
    )


def _request_by_a_task():
    # A public form: anyone may write, never the platform on its own.
    host = make_host()
    return {
        "structure": host,
        "appellation": maraicher(),
        "data": _candidate_data(),
        "ip": "203.0.113.7",
    }, TASK


def _account_request_from_another_address():
    # The account path trusts only the address the person logged in with.
    kwargs, _task = _request_by_a_task()
    return kwargs, UserFactory(email="quelqu.un.autre@exemple.fr")


def _resend_by_a_task():
    return {"contact_request": ContactRequestFactory(draft=True), "ip": "203.0.113.7"}, TASK


def _verify_token(draft) -> str:
    return signing.dumps({"r": str(draft.public_id)}, salt=services.VERIFY_SALT)


def _confirmation_by_a_task():
    # The link is the proof: only its holder (AUTOMATIC) uses it.
    return {"token": _verify_token(ContactRequestFactory(draft=True))}, TASK


def _send_elsewhere_by_a_task():
    draft = ContactRequestFactory(draft=True)
    other = make_host()
    return {"token": _verify_token(draft), "structure_public_id": str(other.public_id)}, TASK


def _seen_by_a_stranger():
    return {"contact_request": ContactRequestFactory(status=Status.NEW)}, UserFactory()


def _message_by_a_stranger():
    return {"contact_request": ContactRequestFactory(), "body": "Bonjour."}, UserFactory()


def _accepted_by_the_candidate():
    contact_request = ContactRequestFactory()
    start = timezone.localdate() + timedelta(days=14)
    return {
        "contact_request": contact_request,
        "proposed_start": start,
        "proposed_end": start + timedelta(days=4),
    }, contact_request.candidate


def _declined_by_a_stranger():
    return {"contact_request": ContactRequestFactory(), "reason": "indisponible"}, UserFactory()


def _closed_by_the_structure():
    host = make_host()
    contact_request = ContactRequestFactory(structure=host)
    return {"contact_request": contact_request, "status": Status.WITHDRAWN}, host.admin_user


def _timer_by_a_person():
    sent = timezone.now() - timedelta(days=40)
    ContactRequestFactory(sent_at=sent, verified_at=sent)
    return {}, UserFactory()


def _reopen_token():
    host = make_host()
    auto_hide = AutoHide.objects.create(structure=host, hidden_at=timezone.now())
    return signing.dumps({"h": str(auto_hide.public_id)}, salt=services.REOPEN_SALT)


def _reopen_by_a_task():
    return {"token": _reopen_token()}, TASK


def _post(candidate=None) -> BoardPost:
    now = timezone.now()
    commune = lyon()
    return BoardPost.objects.create(
        candidate=candidate or UserFactory(),
        first_name="Inès",
        last_initial="M",
        appellation=maraicher(),
        commune=commune,
        latitude=commune.latitude or 45.76,
        longitude=commune.longitude or 4.83,
        period="En avril.",
        duration="1s",
        motivations="Découvrir.",
        published_at=now,
        expires_at=now + timedelta(days=60),
    )


def _publication_by_a_task():
    commune = lyon()
    return {
        "first_name": "Inès",
        "last_name": "Martin",
        "appellation": maraicher(),
        "cause": None,
        "commune": commune,
        "period": "En avril.",
        "duration": "1s",
        "motivations": "Découvrir.",
    }, TASK


def _unpublication_by_someone_else():
    return {"post": _post()}, UserFactory()


def _hiding_by_a_person_not_staff():
    return {"post": _post(), "reason": "Hors sujet."}, UserFactory()


def _report_by_a_task():
    return {"post": _post(), "reason": "Hors sujet.", "ip": "203.0.113.7"}, TASK


def _proposal_by_someone_outside_the_team():
    return {
        "post": _post(),
        "structure": make_host(),
        "body": "Venez en avril.",
    }, UserFactory()


def _answer_by_a_stranger():
    host = make_host()
    proposal = BoardProposal.objects.create(
        post=_post(), structure=host, author=host.admin_user, body="Venez en avril."
    )
    return {"proposal": proposal, "body": "Merci !"}, UserFactory()


CASES = [
    Case("immersio.contacts.services.start_request", build=_request_by_a_task, raises=NotAllowed),
    Case(
        "immersio.contacts.services.send_from_account",
        build=_account_request_from_another_address,
        raises=NotAllowed,
    ),
    Case(
        "immersio.contacts.services.resend_verification",
        build=_resend_by_a_task,
        raises=NotAllowed,
    ),
    Case(
        "immersio.contacts.services.confirm_request",
        build=_confirmation_by_a_task,
        raises=NotAllowed,
    ),
    Case(
        "immersio.contacts.services.send_elsewhere",
        build=_send_elsewhere_by_a_task,
        raises=NotAllowed,
    ),
    Case("immersio.contacts.services.mark_seen", build=_seen_by_a_stranger, raises=NotAllowed),
    Case(
        "immersio.contacts.services.post_message", build=_message_by_a_stranger, raises=NotAllowed
    ),
    Case("immersio.contacts.services.accept", build=_accepted_by_the_candidate, raises=NotAllowed),
    Case("immersio.contacts.services.decline", build=_declined_by_a_stranger, raises=NotAllowed),
    Case(
        "immersio.contacts.services.close_by_candidate",
        build=_closed_by_the_structure,
        raises=NotAllowed,
    ),
    Case("immersio.contacts.services.send_reminders", build=_timer_by_a_person),
    Case("immersio.contacts.services.compute_answer_rates", build=_timer_by_a_person),
    Case("immersio.contacts.services.hide_silent_structures", build=_timer_by_a_person),
    Case("immersio.contacts.services.run_daily", build=_timer_by_a_person),
    Case(
        "immersio.contacts.services.reopen_hidden_structure",
        build=_reopen_by_a_task,
        raises=NotAllowed,
    ),
    Case(
        "immersio.contacts.services.publish_post", build=_publication_by_a_task, raises=NotAllowed
    ),
    Case(
        "immersio.contacts.services.unpublish_post",
        build=_unpublication_by_someone_else,
        raises=NotAllowed,
    ),
    Case(
        "immersio.contacts.services.hide_post",
        build=_hiding_by_a_person_not_staff,
        raises=NotAllowed,
    ),
    Case("immersio.contacts.services.report_post", build=_report_by_a_task, raises=NotAllowed),
    Case(
        "immersio.contacts.services.propose",
        build=_proposal_by_someone_outside_the_team,
        raises=NotAllowed,
    ),
    Case(
        "immersio.contacts.services.answer_proposal",
        build=_answer_by_a_stranger,
        raises=NotAllowed,
    ),
]

READ_ONLY = {
    "immersio.contacts.services.offered_appellations": "lists a structure's métiers",
    "immersio.contacts.services.unavailable_reason": "says why a structure cannot receive",
    "immersio.contacts.services.suggestions": "reads the search index",
    "immersio.contacts.services.last_similar_sent_at": "reads the last similar request",
    "immersio.contacts.services.check_similar": "raises if the 7-day rule refuses",
    "immersio.contacts.services.check_open": "raises if a request is already open",
    "immersio.contacts.services.sending_problem": "says why a request cannot leave",
    "immersio.contacts.services.address_problem": "says why an address cannot send",
    "immersio.contacts.services.verify_url": "describes a link built when the e-mail leaves",
    "immersio.contacts.services.read_verify_token": "checks a token, writes nothing",
    "immersio.contacts.services.matching_appellation": "chooses a métier",
    "immersio.contacts.services.alternatives": "reads the search index",
    "immersio.contacts.services.side_of": "says which side a person is on",
    "immersio.contacts.services.proposal_side": "says which side a person is on",
    "immersio.contacts.services.reopen_url": "describes a link built when the e-mail leaves",
    "immersio.contacts.services.read_reopen_token": "checks a token, writes nothing",
}
