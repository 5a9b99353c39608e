"""The life of a testimony: submitted with consent, reviewed, edited (back to review),
withdrawn, deleted; the structure's report, once."""

import threading

import pytest
from django.db import connection, connections

from immersio.core.actors import COMMAND
from immersio.notifications.models import OutboundEmail
from immersio.testimonies import models, rules, services
from tests.accounts.factories import UserFactory
from tests.structures.factories import HostStructureFactory
from tests.testimonies.helpers import published, story, submitted

pytestmark = pytest.mark.django_db


def test_submitted_with_the_consent_recorded_then_published_with_an_email():
    author = UserFactory(first_name="Camille", last_name="Martin")
    testimony = submitted(author)
    assert testimony.status == models.Status.PENDING
    assert testimony.consent_version == rules.CONSENT_VERSION
    assert testimony.consent_text == rules.CONSENT_TEXT
    assert testimony.consent_given_at is not None and testimony.display_name == "Camille M."
    assert not models.Testimony.objects.published().exists()
    staff = UserFactory(is_staff=True)
    services.review_testimony(testimony=testimony, publish=True, note="Merci !", actor=staff)
    testimony.refresh_from_db()
    assert testimony.is_published and testimony.reviewed_by == staff
    [email] = OutboundEmail.objects.all()
    assert email.recipient == author.email and email.subject == "Votre témoignage est publié"
    assert "Camille" not in email.subject


def test_no_consent_no_testimony():
    with pytest.raises(services.Refused) as refused:
        services.submit_testimony(story=story(), consent=False, actor=UserFactory())
    assert [v.field for v in refused.value.violations] == ["consent"]
    assert not models.Testimony.objects.exists()


def test_declined_with_a_note():
    testimony = submitted()
    services.review_testimony(
        testimony=testimony,
        publish=False,
        note="Retirez le nom de votre tutrice.",
        actor=UserFactory(is_staff=True),
    )
    testimony.refresh_from_db()
    assert testimony.is_rejected and testimony.published_at is None
    [email] = OutboundEmail.objects.all()
    assert "Retirez le nom de votre tutrice." in email.text_body
    with pytest.raises(services.NotPending):
        services.review_testimony(
            testimony=testimony, publish=True, actor=UserFactory(is_staff=True)
        )


def test_an_edit_goes_back_to_review_with_a_new_consent():
    testimony = published()
    first_consent = testimony.consent_given_at
    services.update_testimony(
        testimony=testimony,
        story=story(title="Nouveau titre"),
        consent=True,
        actor=testimony.author,
    )
    testimony.refresh_from_db()
    assert testimony.is_pending and testimony.title == "Nouveau titre"
    assert testimony.published_at is None and testimony.consent_given_at > first_consent


def test_withdrawing_consent_unpublishes_and_deleting_removes():
    testimony = published()
    services.withdraw_consent(testimony=testimony, actor=testimony.author)
    testimony.refresh_from_db()
    assert testimony.is_withdrawn and testimony.consent_withdrawn_at is not None
    assert not models.Testimony.objects.published().exists()
    services.delete_testimony(testimony=testimony, actor=testimony.author)
    assert not models.Testimony.objects.exists()


def test_the_named_structure_reports_once_and_the_team_unpublishes():
    admin = UserFactory()
    structure = HostStructureFactory(admin=admin)
    testimony = published(structure=structure)
    services.report_testimony(
        testimony=testimony, structure=structure, reason="inexact", actor=admin
    )
    with pytest.raises(services.AlreadyReported):
        services.report_testimony(
            testimony=testimony, structure=structure, reason="autre", actor=admin
        )
    assert models.TestimonyReport.objects.count() == 1
    services.unpublish_testimony(
        testimony=testimony, note="À corriger.", actor=UserFactory(is_staff=True)
    )
    testimony.refresh_from_db()
    assert testimony.is_pending and testimony.review_note == "À corriger."
    assert not testimony.reports.filter(handled_at__isnull=True).exists()


def test_erasing_an_account_deletes_its_testimonies():
    mine, other = submitted(), submitted()
    assert services.erase_testimonies(owner=mine.author, actor=COMMAND) == 1
    assert list(models.Testimony.objects.all()) == [other]


@pytest.mark.django_db(transaction=True)
def test_two_members_reporting_at_once_make_one_report():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need a server database (SQLite: one writer)")
    first, second = UserFactory(), UserFactory()
    structure = HostStructureFactory(admin=first)
    structure.memberships.create(user=second, role="admin")
    testimony = published(structure=structure)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def report(person):
        try:
            barrier.wait(timeout=10)
            services.report_testimony(
                testimony=testimony, structure=structure, reason="autre", actor=person
            )
            outcomes.append("made")
        except services.AlreadyReported:
            outcomes.append("already")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=report, args=(p,)) for p in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["already", "made"]
    assert models.TestimonyReport.objects.count() == 1
