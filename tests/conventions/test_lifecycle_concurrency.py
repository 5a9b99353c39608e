"""The lifecycle under parallel requests (issue 10, item 7).

Each test sends requests at once through the real views, from threads that each have their
own client and database connection (as separate server processes would), released together
by a barrier: two signatories signing at the same second both count, a signature posted ten
times is recorded once, a validation and a reopening of the same convention at the same
time leave one of them done and the other told to reload.

The in-memory SQLite test database refuses concurrent writers outright: these tests run on
PostgreSQL (CI), or on a SQLite file with immediate transactions.
"""

import html
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from immersio.conventions.links import token_for
from immersio.conventions.models import ConventionEvent, SensitiveAccess, Signature
from immersio.conventions.transitions import Action, Role, Status
from tests.conventions.lifecycle_helpers import last_code_for, sent_convention, sign_all

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite" and ":memory:" in str(connection.settings_dict["NAME"]),
        reason="the SQLite test database lives in memory with a shared cache, whose table "
        "locks refuse concurrent writers outright; CI runs this on PostgreSQL",
    ),
]

RELOAD = "rechargez la page"


def in_parallel(requests: list, users: list | None = None) -> list:
    """Runs each ``request(client)`` at once, each in a thread with its own client (logged
    in as the matching ``users`` item, before the start) and database connection, released
    together by a barrier."""
    barrier = threading.Barrier(len(requests))
    users = users or [None] * len(requests)

    def run(pair):
        request, user = pair
        client = Client()
        try:
            if user is not None:
                client.force_login(user)
            barrier.wait(timeout=30)
            return request(client)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(run, zip(requests, users, strict=True)))


def link(signatory) -> str:
    version = signatory.convention.version
    return reverse("conventions:sign") + f"?jeton={token_for(str(signatory.public_id), version)}"


def code_for(signatory) -> str:
    response = Client().post(link(signatory), {"action": "code-email"})
    assert response.status_code == 302
    return last_code_for(signatory)


def events(convention, action: Action) -> int:
    return ConventionEvent.objects.filter(convention=convention, action=action.value).count()


def test_two_signatories_signing_at_the_same_second_both_count():
    sent = sent_convention()
    beneficiary = sent.signatory(Role.BENEFICIARY)
    host = sent.signatory(Role.HOST_REPRESENTATIVE)
    codes = {beneficiary.pk: code_for(beneficiary), host.pk: code_for(host)}

    def signing(signatory):
        return lambda client: (
            client.post(
                link(signatory),
                {"action": "signer", "code": codes[signatory.pk], "confirm": "on"},
            ).status_code
        )

    statuses = in_parallel([signing(beneficiary), signing(host)])

    assert statuses == [302, 302]
    convention = sent.refresh()
    assert Signature.objects.filter(signatory__convention=convention).count() == 2
    assert convention.status == Status.IN_REVIEW
    assert events(convention, Action.SIGN) == 2
    assert events(convention, Action.COMPLETE_SIGNATURES) == 1


def test_ten_posts_of_the_same_signature_record_it_once():
    """A double click, a browser sending the form again, a proxy retrying."""
    sent = sent_convention()
    host = sent.signatory(Role.HOST_REPRESENTATIVE)
    code = code_for(host)
    data = {"action": "signer", "code": code, "confirm": "on"}

    statuses = in_parallel([lambda client: client.post(link(host), data).status_code] * 10)

    assert all(status < 500 for status in statuses), statuses
    assert 302 in statuses
    assert Signature.objects.filter(signatory=host).count() == 1
    assert events(sent.convention, Action.SIGN) == 1
    assert sent.refresh().status == Status.PARTIALLY_SIGNED
    # The signatory reading the page afterwards sees one signature, theirs.
    page = Client().get(link(host)).text
    assert page.count("Signée le") == 1


@pytest.mark.parametrize("round_", range(3), ids=["first", "second", "third"])
def test_validation_and_reopening_at_the_same_time_one_wins_the_other_is_told(round_):
    sent = sent_convention()
    convention = sign_all(sent)
    seen = {"version": convention.version, "status": convention.status}
    url = reverse("conventions:review_act", kwargs={"public_id": convention.public_id})

    def deciding(action, reason=""):
        def request(client):
            response = client.post(
                url,
                {
                    "action": action,
                    f"{action}-version": seen["version"],
                    f"{action}-status": seen["status"],
                    f"{action}-reason": reason,
                },
                follow=True,
            )
            return response.status_code, html.unescape(response.text)

        return request

    (validate_status, validate_page), (reopen_status, reopen_page) = in_parallel(
        [
            deciding("valider"),
            deciding("rouvrir", "La structure ferme la première semaine."),
        ],
        users=[sent.validator, sent.counsellor],
    )

    assert (validate_status, reopen_status) == (200, 200)
    convention = sent.refresh()
    validated, reopened = events(convention, Action.VALIDATE), events(convention, Action.REOPEN)
    assert validated + reopened == 1, (validated, reopened)
    if validated:
        assert convention.status == Status.VALIDATED
        assert convention.validated_at is not None
        assert "Convention validée" in validate_page
        assert RELOAD in reopen_page
    else:
        assert convention.status == Status.DRAFT
        assert convention.validated_at is None
        assert convention.validator_name == ""
        assert "Convention rouverte" in reopen_page
        assert RELOAD in validate_page


def test_an_agency_member_opening_a_convention_six_times_at_once_is_logged_once():
    # The sensitive-access log holds one row per agency member, convention and day: six
    # pages opened at the same second (tabs restored, a double click) write one.
    sent = sent_convention()
    url = reverse("conventions:review", args=[sent.convention.public_id])
    statuses = in_parallel([lambda c: c.get(url).status_code] * 6, [sent.counsellor] * 6)
    assert statuses == [200] * 6
    assert SensitiveAccess.objects.filter(convention=sent.convention).count() == 1
