import logging
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from immersio.accounts.notifications import LoginLinkNotification
from immersio.accounts.services import login_url
from immersio.core.actors import TASK
from immersio.notifications import services
from immersio.notifications.base import Recipient
from immersio.notifications.models import REDACTED_BODY, OutboundEmail
from immersio.notifications.services import Outcome, notify, process_due_emails
from immersio.notifications.tasks import send_outbound_email
from tests.accounts.factories import UserFactory
from tests.fixtures.smtp import first_url
from tests.notifications.examples import NewsNotification

pytestmark = pytest.mark.django_db


def test_notify_writes_the_row_and_queues_the_task_after_commit(
    login_notification, queued_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        [email] = notify(login_notification)
        assert OutboundEmail.objects.get() == email
        assert queued_tasks == []  # nothing before the commit

    assert email.status == OutboundEmail.Status.PENDING
    assert email.recipient == "ada@exemple.fr"
    assert email.kind == "login_link"
    assert email.is_sensitive
    assert email.subject == "Votre lien de connexion à Immersio"
    assert len(callbacks) == 1

    callbacks[0]()  # the commit
    [result] = queued_tasks
    assert result.task.func is send_outbound_email.func
    assert result.task.queue_name == "emails"
    assert result.args == [email.pk]


def test_a_rolled_back_transaction_writes_and_sends_nothing(
    login_notification, queued_tasks, smtp_server, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(login_notification)
        raise RuntimeError("la transaction échoue")

    assert callbacks == []
    assert queued_tasks == []
    assert not OutboundEmail.objects.exists()
    assert process_due_emails(actor=TASK) == {}
    assert smtp_server.messages == []


def test_one_row_per_distinct_recipient_and_an_unsubscribe_footer():
    rows = notify(NewsNotification())

    assert [row.recipient for row in rows] == ["Ada@Exemple.fr", "b@exemple.fr"]
    text = rows[0].text_body
    assert "Pour ne plus recevoir ce type d'e-mail, modifiez vos préférences" in text
    assert "http://127.0.0.1:8000/compte/profil/" in text
    assert "Ce message vous est envoyé une seule fois" not in text
    assert "modifiez vos préférences</a>" in rows[0].html_body


class _SharedAddresses(NewsNotification):
    """One person holding two roles (case and spaces differ) and a recipient without
    an address."""

    def get_recipients(self):
        return [
            Recipient(" Ada@Exemple.fr "),
            Recipient(""),
            Recipient("ada@exemple.fr"),
            Recipient("b@exemple.fr"),
        ]


def test_the_outbox_and_the_preview_page_write_to_the_same_people(monkeypatch):
    from immersio.notifications import previews

    notification = _SharedAddresses()
    assert [r.email for r in notification.distinct_recipients()] == [
        "Ada@Exemple.fr",
        "b@exemple.fr",
    ]
    rows = notify(notification)
    assert [row.recipient for row in rows] == ["Ada@Exemple.fr", "b@exemple.fr"]

    monkeypatch.setattr(previews, "build", lambda cls: [cls()])
    shown = previews.render(_SharedAddresses)
    assert [preview.recipient for preview in shown] == [row.recipient for row in rows]


def test_sent_through_real_smtp_with_text_and_html_parts_in_french(login_notification, smtp_server):
    [email] = notify(login_notification)

    assert send_outbound_email.call(email.pk) == "sent"

    [message] = smtp_server.wait_for(1)
    assert message.to == ["ada@exemple.fr"]
    assert message.rcpt_tos == ["ada@exemple.fr"]
    assert message.subject == "Votre lien de connexion à Immersio"
    assert message.header("Message-ID") == f"<{email.public_id}@immersio.fr>"
    assert message.header("Auto-Submitted") == "auto-generated"
    assert "ne-pas-repondre@immersio.fr" in message.header("From")

    text = message.text
    assert text.startswith("Bonjour Ada Lovelace,\n")
    assert "http://127.0.0.1:8000/compte/connexion/lien/?jeton=abc123" in text
    assert "valable 15 minutes et ne fonctionne qu'une seule fois" in text
    assert "Vous n'avez rien demandé ? Ignorez simplement cet e-mail" in text
    # Footer: the platform, why, one-off transactional message, help address.
    assert "Immersio, la plateforme des immersions professionnelles" in text
    assert "parce qu'un lien de connexion à Immersio a été demandé" in text
    assert "Ce message vous est envoyé une seule fois" in text
    assert "Écrivez-nous à aide@immersio.fr" in text
    assert "\n\n\n" not in text

    html = message.html
    assert '<html lang="fr">' in html
    assert "<title>Votre lien de connexion à Immersio</title>" in html
    assert 'href="http://127.0.0.1:8000/compte/connexion/lien/?jeton=abc123"' in html
    assert "Me connecter à Immersio" in html
    assert 'href="mailto:aide@immersio.fr"' in html
    assert "Ce message vous est envoyé une seule fois" in html

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 1
    assert email.sent_at is not None
    # The login link does not stay in the database once sent.
    assert email.text_body == REDACTED_BODY
    assert email.html_body == ""


def test_smtp_outage_retries_with_backoff_and_delivers_exactly_once(
    login_notification,
    smtp_server,
    queued_tasks,
    time_machine,
    django_capture_on_commit_callbacks,
):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    [email] = notify(login_notification)
    smtp_server.stop()

    with django_capture_on_commit_callbacks(execute=True):
        assert send_outbound_email.call(email.pk) == "retry_scheduled"

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.PENDING
    assert email.attempts == 1
    assert email.last_error.startswith("ConnectionRefusedError")
    # Base 1 s in the test settings, minus up to 10 % of jitter.
    assert start + timedelta(seconds=0.9) <= email.next_attempt_at <= start + timedelta(seconds=1)
    # The watchdog queued when the row was claimed (it takes the row up again should the
    # worker be killed while sending), then the retry.
    [watchdog, retry] = queued_tasks
    assert watchdog.task.run_after == start + services.sending_lease()
    assert retry.task.run_after == email.next_attempt_at
    assert retry.task.queue_name == "emails"
    assert retry.args == [email.pk]

    # A duplicate task running before the retry is due does nothing.
    assert send_outbound_email.call(email.pk) == "not_due"

    smtp_server.start()
    time_machine.move_to(email.next_attempt_at, tick=False)
    assert send_outbound_email.call(email.pk) == "sent"
    assert send_outbound_email.call(email.pk) == "already_sent"  # the duplicate, later

    assert len(smtp_server.wait_for(1)) == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 2


def test_the_second_attempt_waits_twice_as_long(login_notification, smtp_server, time_machine):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    [email] = notify(login_notification)
    smtp_server.stop()

    services.deliver_email(email_id=email.pk, actor=TASK)
    email.refresh_from_db()
    time_machine.move_to(email.next_attempt_at, tick=False)
    retry_start = email.next_attempt_at
    assert services.deliver_email(email_id=email.pk, actor=TASK) == Outcome.RETRY_SCHEDULED

    email.refresh_from_db()
    assert email.attempts == 2
    delay = (email.next_attempt_at - retry_start).total_seconds()
    assert 1.8 <= delay <= 2  # base × 2, and the cap (2 s) in the test settings


@pytest.mark.parametrize(
    ("attempts", "low", "high"),
    [(1, 27, 30), (2, 54, 60), (3, 108, 120), (7, 1728, 1920), (8, 3240, 3600), (40, 3240, 3600)],
)
def test_backoff_is_exponential_and_capped(settings, attempts, low, high):
    settings.OUTBOX_BACKOFF_BASE = 30
    settings.OUTBOX_BACKOFF_MAX = 3600
    for _ in range(20):
        assert low <= services.backoff_delay(attempts) <= high


def test_gives_up_only_once_the_give_up_delay_is_over(
    settings, login_notification, smtp_server, time_machine, caplog
):
    settings.OUTBOX_GIVE_UP_AFTER_HOURS = 0.001  # 3.6 seconds
    time_machine.move_to(timezone.now(), tick=False)
    [email] = notify(login_notification)
    smtp_server.stop()

    outcomes = []
    for _ in range(3):
        with caplog.at_level(logging.WARNING, logger="immersio.notifications"):
            outcomes.append(send_outbound_email.call(email.pk))
        email.refresh_from_db()
        time_machine.move_to(email.next_attempt_at + timedelta(seconds=1), tick=False)

    assert outcomes == ["retry_scheduled", "retry_scheduled", "given_up"]
    assert email.status == OutboundEmail.Status.FAILED
    assert email.attempts == 3
    assert email.text_body == REDACTED_BODY
    assert any(
        record.levelno == logging.ERROR and "abandonné après 3 tentatives" in record.getMessage()
        for record in caplog.records
    )

    smtp_server.start()
    assert send_outbound_email.call(email.pk) == "already_given_up"
    assert process_due_emails(actor=TASK) == {}
    assert smtp_server.messages == []


def test_process_due_emails_sends_rows_whose_task_was_lost(login_notification, smtp_server):
    notify(login_notification)  # the on_commit callback never runs: the task is "lost"

    assert process_due_emails(actor=TASK) == {"sent": 1}
    assert process_due_emails(actor=TASK) == {}
    assert len(smtp_server.wait_for(1)) == 1


def test_process_due_emails_can_hand_rows_to_the_worker(login_notification, queued_tasks):
    [email] = notify(login_notification)

    assert process_due_emails(actor=TASK, enqueue=True) == {"enqueued": 1}
    [result] = queued_tasks
    assert result.args == [email.pk]


def test_a_row_left_sending_by_a_crashed_worker_is_sent_after_its_lease(
    login_notification, smtp_server, time_machine, caplog
):
    time_machine.move_to(timezone.now(), tick=False)
    [email] = notify(login_notification)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.SENDING,
        attempts=1,
        next_attempt_at=timezone.now() + services.sending_lease(),
    )

    assert process_due_emails(actor=TASK) == {}  # still within the lease: another worker may send
    assert send_outbound_email.call(email.pk) == "in_progress"

    time_machine.shift(services.sending_lease() + timedelta(seconds=1))
    with caplog.at_level(logging.WARNING, logger="immersio.notifications"):
        assert process_due_emails(actor=TASK) == {"sent": 1}
    assert "resté « envoi en cours »" in caplog.text
    assert len(smtp_server.wait_for(1)) == 1


def test_send_pending_emails_command(login_notification, smtp_server, capsys):
    notify(login_notification)
    call_command("send_pending_emails")
    assert capsys.readouterr().out == "1 e-mail(s) envoyé(s)\n"

    call_command("send_pending_emails")
    assert capsys.readouterr().out == "Aucun e-mail en attente.\n"
    assert len(smtp_server.messages) == 1


def test_an_unknown_row_is_reported_not_sent(caplog):
    with caplog.at_level(logging.WARNING, logger="immersio.notifications"):
        assert send_outbound_email.call(123456) == "missing"
    assert "introuvable" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_three_day_outage_loses_nothing_and_the_link_is_built_when_sent(
    settings, client, smtp_server, time_machine
):
    """Production timings: retries every hour at most, for days; the login link (valid
    15 minutes) is made again at each attempt, so it works once the e-mail arrives."""
    settings.OUTBOX_BACKOFF_BASE = 30
    settings.OUTBOX_BACKOFF_MAX = 3600
    settings.OUTBOX_GIVE_UP_AFTER_HOURS = 96
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    user = UserFactory(email="ada@exemple.fr")
    [email] = notify(LoginLinkNotification(user=user, login_url=login_url(user, "/compte/profil/")))
    link_at_first = first_url(email.text_body)
    smtp_server.stop()

    attempts = 0
    while timezone.now() < start + timedelta(days=3):
        assert send_outbound_email.call(email.pk) == "retry_scheduled"
        attempts += 1
        email.refresh_from_db()
        assert email.status == OutboundEmail.Status.PENDING
        assert email.next_attempt_at - timezone.now() <= timedelta(hours=1)
        time_machine.move_to(email.next_attempt_at + timedelta(seconds=1), tick=False)
    assert attempts > 12

    smtp_server.start()
    assert send_outbound_email.call(email.pk) == "sent"
    [message] = smtp_server.wait_for(1)
    assert message.header("Message-ID") == f"<{email.public_id}@immersio.fr>"
    link = message.first_url()
    assert link != link_at_first
    assert first_url(unescape(message.html)) == link

    path = link.removeprefix(settings.SITE_URL)
    stale = client.get(link_at_first.removeprefix(settings.SITE_URL))
    assert stale.status_code == 410  # the link made three days ago is dead
    assert client.get(path).status_code == 200
    query = dict(parse_qsl(urlsplit(link).query))
    response = client.post(urlsplit(link).path, query)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_killed_send_is_taken_up_within_a_minute():
    """The lease: over twice the SMTP timeout (10 s), under a minute."""
    assert timedelta(seconds=20) < services.sending_lease() < timedelta(minutes=1)


def test_the_rows_of_one_notification_are_queued_after_commit_in_one_transaction(
    queued_tasks, django_capture_on_commit_callbacks, monkeypatch
):
    original, depths = services.enqueue_delivery, []

    def spy(email_id, **kwargs):
        depths.append(len(connection.savepoint_ids))
        return original(email_id, **kwargs)

    monkeypatch.setattr(services, "enqueue_delivery", spy)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        emails = notify(NewsNotification())
    assert len(emails) == 2 and len(callbacks) == 1

    outside = len(connection.savepoint_ids)
    callbacks[0]()  # the commit

    assert [result.args for result in queued_tasks] == [[email.pk] for email in emails]
    # Both in one transaction of their own (a savepoint here, inside the test's).
    assert depths == [outside + 1, outside + 1]


def test_when_the_grouped_enqueue_fails_each_row_is_queued_on_its_own(
    queued_tasks, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    original, calls = services.enqueue_delivery, []

    def flaky(email_id, **kwargs):
        calls.append(email_id)
        if len(calls) == 2:  # the second row of the grouped attempt
            raise RuntimeError("file d'attente indisponible")
        return original(email_id, **kwargs)

    monkeypatch.setattr(services, "enqueue_delivery", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        emails = notify(NewsNotification())

    ids = [email.pk for email in emails]
    assert calls == [*ids, *ids]
    # The first row was queued twice on the dummy backend (it keeps no transaction); on a
    # database backend the grouped attempt is rolled back. Every row is queued at last.
    assert {result.args[0] for result in queued_tasks} == set(ids)
    assert "un par un" in caplog.text
