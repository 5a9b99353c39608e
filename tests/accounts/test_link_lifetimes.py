"""No link that opens a session works for that more than 24 hours (issue 8, item 24)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import signing
from django.utils import timezone

from immersio.accounts import services
from immersio.accounts.email_proof import SESSION_LINK_MAX_AGE, token_signed_at
from immersio.contacts.models import ContactRequest, Status
from immersio.structures.models import StructureMembership
from tests.accounts.conftest import path_of, token_of
from tests.accounts.factories import UserFactory
from tests.fixtures.contacts import VALID_FORM, make_host
from tests.structures.factories import MARAICHER

pytestmark = pytest.mark.django_db

DAY = timedelta(hours=24)


def test_login_and_signup_links_live_at_most_24_hours():
    assert SESSION_LINK_MAX_AGE <= DAY
    assert timedelta(seconds=settings.SESAME_MAX_AGE) <= DAY
    assert timedelta(seconds=services.SIGNUP_MAX_AGE) <= DAY


def test_token_signed_at_reads_the_timestamp_of_a_signed_token(time_machine):
    time_machine.move_to("2026-03-02 10:00:00+00:00", tick=False)
    token = signing.dumps({"r": "x"}, salt="tests")
    assert token_signed_at(token) == timezone.now()
    assert token_signed_at("") is None
    assert token_signed_at("pas-un-jeton") is None
    assert token_signed_at("a:!!:b") is None


@pytest.mark.parametrize(("age", "logged_in"), [(timedelta(hours=23), True), (DAY * 2, False)])
def test_a_request_verification_link_opens_a_session_only_within_24_hours(
    client, mailbox, time_machine, age, logged_in
):
    """The link lives 48 hours to send the request; only its first 24 open a session."""
    host = make_host()
    UserFactory(email=VALID_FORM["email"])
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    data = VALID_FORM | {"appellation": str(MARAICHER), "action": "envoyer"}
    client.post(f"/demandes/nouvelle/{host.public_id}/", data)
    link = path_of(mailbox.deliver(1)[0].first_url())

    time_machine.move_to(start + age - timedelta(minutes=1), tick=False)
    response = client.post("/demandes/verifier/", {"jeton": token_of(link)})
    contact_request = ContactRequest.objects.get()
    assert contact_request.status == Status.NEW  # the link did its job either way
    assert ("_auth_user_id" in client.session) is logged_in
    if not logged_in:
        thread = f"/demandes/{contact_request.public_id}/"
        assert response["Location"] == f"/compte/connexion/?next={thread}"


@pytest.mark.parametrize(("age", "logged_in"), [(timedelta(hours=2), True), (DAY * 3, False)])
def test_an_invitation_link_opens_a_session_only_within_24_hours(
    client, mailbox, time_machine, age, logged_in
):
    """The invitation lives 14 days; after 24 hours it still makes the person a member,
    who then logs in with a login link."""
    host = make_host()
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    client.force_login(host.admin_user)
    client.post(
        f"/structures/espace/{host.public_id}/equipe/",
        {"email": "bob@exemple.fr", "role": "contact"},
    )
    client.logout()
    link = mailbox.deliver(1)[0].first_url()

    time_machine.move_to(start + age, tick=False)
    response = client.post("/structures/invitation/", {"jeton": token_of(link)})
    bob = StructureMembership.objects.get(structure=host, user__email="bob@exemple.fr")
    assert bob.is_active
    assert ("_auth_user_id" in client.session) is logged_in
    if not logged_in:
        assert response["Location"].startswith("/compte/connexion/?next=")
