"""The demo conventions: every status of the lifecycle at the demo agency, built through
the services, dates relative to today, idempotent; load_demo prints a link to sign."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from immersio.accounts.models import User
from immersio.conventions import selectors
from immersio.conventions.models import (
    Convention,
    ConventionDocument,
    ConventionEvent,
    Signature,
    SignatureReminder,
)
from immersio.conventions.transitions import Status
from immersio.core.dates import add_working_days
from immersio.demo import conventions as conventions_demo
from immersio.demo import followup as followup_demo
from immersio.demo import journal as journal_demo

pytestmark = pytest.mark.django_db

SOPHIE = "sophie.lefevre@immersio.example"


def demo_conventions():
    """The conventions of the stories (not the past ones the journal's and the
    follow-up's demos add)."""
    return (
        Convention.objects.exclude(status=Status.DRAFT)
        .exclude(beneficiary_email=journal_demo.CONVENTION_EMAIL)
        .exclude(beneficiary_email__startswith=followup_demo.PREFIX)
    )


def load(**kwargs) -> str:
    out = StringIO()
    call_command("load_demo", "--wet-run", stdout=out, **kwargs)
    return out.getvalue()


def test_every_status_at_the_demo_agency_through_the_services(referentials, client):
    load()
    today = timezone.localdate()
    conventions = demo_conventions()
    statuses = set(conventions.values_list("status", flat=True))
    assert statuses == {
        Status.TO_SIGN,
        Status.PARTIALLY_SIGNED,
        Status.IN_REVIEW,
        Status.PRE_VALIDATED,
        Status.VALIDATED,
        Status.REFUSED,
        Status.CANCELLED,
        Status.OBSOLETE,
    }
    assert {c.agency.siret for c in conventions} == {conventions.first().agency.siret}
    # Nobody signed the « à signer » one; every signature went through a code by e-mail.
    to_sign = conventions.get(status=Status.TO_SIGN)
    assert not Signature.objects.filter(signatory__convention=to_sign).exists()
    assert set(Signature.objects.values_list("method", flat=True)) == {"code_email"}
    # Each step is an event with its reason; the validated one has its PDF.
    assert conventions.get(status=Status.REFUSED).status_reason
    assert conventions.get(status=Status.CANCELLED).status_reason
    validated = conventions.get(status=Status.VALIDATED, beneficiary_email=SOPHIE)
    assert ConventionDocument.objects.get(version__convention=validated).size > 0
    assert ConventionEvent.objects.filter(convention=validated, action="valider").exists()
    obsolete = conventions.get(status=Status.OBSOLETE)
    assert obsolete.date_start < today - timedelta(days=28)
    # One starts within 2 working days, not validated: the agency's list highlights it.
    soon = selectors.starting_soon(conventions, today=today, until=add_working_days(today, 2))
    assert soon.exclude(status__in=[Status.VALIDATED, Status.OBSOLETE]).exists()
    assert SignatureReminder.objects.exists()  # the nightly reminder of that one
    # The valideur sees them in the prescriber's space.
    client.force_login(User.objects.get(email=conventions_demo.VALIDATOR))
    page = client.get("/conventions/prescripteur/").content.decode()
    assert "Roux" in page and "Garcia" in page
    # Camille finds hers in « Mes conventions » (prepared from her accepted request).
    camille = User.objects.get(email="camille.martin@immersio.example")
    client.force_login(camille)
    theirs = conventions.get(beneficiary_email=camille.email)
    assert theirs.contact_request.candidate == camille
    assert theirs.reference in client.get("/conventions/").content.decode()
    # A newcomer is given a link to try « Je signe ».
    link = conventions_demo.waiting_link()
    assert "/conventions/signer/?jeton=" in link
    welcome = StringIO()
    call_command("demo_welcome", stdout=welcome)
    assert link.rsplit(":", 2)[0] in welcome.getvalue()  # same signatory and version
    assert "valideur.1@immersio.example" in welcome.getvalue()

    # Twice: nothing built again.
    again = load()
    stories = len(conventions_demo.STORIES)
    assert f"0 convention(s) créée(s), {stories} déjà à jour" in again
    assert demo_conventions().count() == conventions.count()

    # Weeks later, the stories that went stale are built again with today's dates.
    with time_machine.travel(timezone.now() + timedelta(days=21)):
        later = load()
        assert "déjà à jour" in later and " : 0 convention(s) créée(s)" not in later
        statuses = set(demo_conventions().values_list("status", flat=True))
        assert Status.TO_SIGN in statuses and Status.OBSOLETE in statuses
        assert demo_conventions().count() == stories
