"""The production path: django-tasks-db's ``db_worker`` runs the send task."""

import io
import logging
import signal
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from immersio.accounts.notifications import LoginLinkNotification
from immersio.notifications import services
from immersio.notifications.models import OutboundEmail
from immersio.notifications.services import notify
from immersio.notifications.tasks import send_outbound_email
from tests.accounts.factories import UserFactory

DATABASE_TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "emails"],
    }
}


def run_db_worker():
    """``manage.py db_worker --queue-name '*' --batch``: run every ready task, then stop.

    The command installs signal handlers and sets its loggers' levels: both are put back.
    """
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    handlers = {sig: signal.getsignal(sig) for sig in signals}
    loggers = [logging.getLogger("django.tasks"), logging.getLogger("django_tasks_db")]
    levels = [logger.level for logger in loggers]
    try:
        call_command(
            "db_worker",
            queue_name="*",
            batch=True,
            interval=0,
            startup_delay=False,
            reload=False,
            verbosity=0,
            stdout=io.StringIO(),
        )
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def task_outcomes():
    return sorted(
        DBTaskResult.objects.filter(status="SUCCESSFUL").values_list("return_value", flat=True)
    )


@pytest.mark.django_db(transaction=True)
def test_db_worker_retries_during_an_outage_then_delivers_exactly_once(
    settings, smtp_server, time_machine
):
    settings.TASKS = DATABASE_TASKS
    settings.OUTBOX_BACKOFF_BASE = 60  # far longer than a worker run
    settings.OUTBOX_BACKOFF_MAX = 600
    user = UserFactory(email="ada@exemple.fr")
    smtp_server.stop()

    with transaction.atomic():
        [email] = notify(
            LoginLinkNotification(user=user, login_url="http://127.0.0.1:8000/lien/?jeton=x")
        )
        assert not DBTaskResult.objects.exists()  # queued only once committed
    [queued] = DBTaskResult.objects.all()
    assert queued.queue_name == "emails"
    assert queued.task_path == "immersio.notifications.tasks.send_outbound_email"
    send_outbound_email.enqueue(email.pk)  # the same e-mail queued twice

    # The SMTP server is down: the first task records the failure and queues a retry;
    # the duplicate sees a retry is scheduled and does nothing.
    run_db_worker()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.PENDING
    assert email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error
    assert task_outcomes() == ["not_due", "retry_scheduled"]
    # The watchdog queued when the row was claimed (for a worker killed mid-send), then
    # the retry.
    [watchdog, retry] = DBTaskResult.objects.filter(status="READY").order_by("run_after")
    assert retry.run_after == email.next_attempt_at
    assert watchdog.run_after < retry.run_after
    assert smtp_server.messages == []

    # Back up, but the retry is not due yet: the worker leaves it.
    smtp_server.start()
    run_db_worker()
    assert DBTaskResult.objects.filter(status="READY").count() == 2
    assert smtp_server.messages == []

    # Later: the retry runs, with yet another duplicate queued next to it.
    time_machine.move_to(email.next_attempt_at + timedelta(seconds=1))
    send_outbound_email.enqueue(email.pk)
    run_db_worker()

    [message] = smtp_server.wait_for(1)
    assert message.to == ["ada@exemple.fr"]
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 2
    outcomes = task_outcomes()
    assert outcomes.count("sent") == 1
    assert sorted(set(outcomes)) == ["already_sent", "not_due", "retry_scheduled", "sent"]
    # Only the watchdog of the last claim waits, and it will find the e-mail sent.
    [waiting] = DBTaskResult.objects.exclude(status="SUCCESSFUL")
    assert waiting.status == "READY"
    assert email.sent_at < waiting.run_after <= email.sent_at + services.sending_lease()

    # And once more, much later: still one message.
    send_outbound_email.enqueue(email.pk)
    run_db_worker()
    assert len(smtp_server.messages) == 1
