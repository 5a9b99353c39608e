"""SMS: rows written in the transaction, sent after it through ``settings.SMS_PROVIDER``."""

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from immersio.core.actors import AUTOMATIC, TASK, VISITOR
from immersio.notifications import services, sms
from immersio.notifications.models import REDACTED_SMS_BODY, OutboundSms
from immersio.notifications.services import (
    InvalidMobileNumber,
    Outcome,
    deliver_sms,
    process_due_sms,
    send_sms,
)
from immersio.notifications.sms import ConsoleSmsProvider, MemorySmsProvider, SmsProvider
from immersio.notifications.tasks import send_outbound_sms
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

CODE_TEMPLATE = "notifications/sms/one_time_code.txt"


def _code_sms(*, to="06 12 34 56 78", code="482913", sensitive=True, actor=AUTOMATIC):
    return send_sms(
        to=to,
        body_template=CODE_TEMPLATE,
        context={"code": code, "minutes": 10},
        kind="signature_code",
        sensitive=sensitive,
        actor=actor,
    )


class FailingProvider:
    calls = 0

    def send(self, to: str, body: str) -> str:
        FailingProvider.calls += 1
        raise sms.SmsError("opérateur injoignable")


def test_the_providers_follow_the_protocol():
    assert isinstance(ConsoleSmsProvider(), SmsProvider)
    assert isinstance(MemorySmsProvider(), SmsProvider)


def test_send_sms_writes_the_row_and_queues_the_task_after_commit(
    queued_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        row = _code_sms()
        assert queued_tasks == []

    assert row.to == "+33612345678"
    assert row.body.startswith("482913 est votre code Immersio. Il est valable 10 minutes.")
    assert "&#x27;" not in row.body and "l'équipe" in row.body  # not HTML-escaped
    assert (row.kind, row.is_sensitive, row.status) == (
        "signature_code",
        True,
        OutboundSms.Status.PENDING,
    )
    assert sms.outbox == []  # nothing leaves before the commit

    callbacks[0]()
    [result] = queued_tasks
    assert result.task.func is send_outbound_sms.func
    assert result.task.queue_name == "sms"
    assert result.args == [row.pk]


def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                _code_sms()
                raise RuntimeError("the calling service failed")
        except RuntimeError:
            pass
    assert not OutboundSms.objects.exists()
    assert process_due_sms(actor=TASK) == {}
    assert sms.outbox == []


def test_the_task_sends_once_and_erases_a_code():
    row = _code_sms()

    assert send_outbound_sms.call(row.pk) == "sent"
    assert send_outbound_sms.call(row.pk) == "already_sent"

    [sent] = sms.outbox
    assert sent.to == "+33612345678"
    assert sent.body.startswith("482913 est votre code")
    row.refresh_from_db()
    assert row.status == OutboundSms.Status.SENT
    assert row.sent_at is not None and row.failed_at is None
    assert row.provider_id == sent.provider_id
    assert row.body == REDACTED_SMS_BODY
    assert row.attempts == 1


def test_an_ordinary_sms_keeps_its_text():
    row = _code_sms(sensitive=False)
    deliver_sms(sms_id=row.pk, actor=TASK)
    row.refresh_from_db()
    assert row.body.startswith("482913 est votre code")


def test_a_failure_is_retried_later_then_given_up(
    settings, time_machine, caplog, queued_tasks, django_capture_on_commit_callbacks
):
    settings.SMS_PROVIDER = f"{__name__}.FailingProvider"
    settings.SMS_MAX_ATTEMPTS = 3
    FailingProvider.calls = 0
    time_machine.move_to(timezone.now(), tick=False)
    row = _code_sms()

    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_sms(sms_id=row.pk, actor=TASK) == Outcome.RETRY_SCHEDULED
    row.refresh_from_db()
    assert row.status == OutboundSms.Status.PENDING
    assert "opérateur injoignable" in row.last_error
    assert row.next_attempt_at > row.created_at
    assert queued_tasks[-1].task.queue_name == "sms"
    assert deliver_sms(sms_id=row.pk, actor=TASK) == Outcome.NOT_DUE

    time_machine.shift(timedelta(seconds=10))
    assert deliver_sms(sms_id=row.pk, actor=TASK) == Outcome.RETRY_SCHEDULED
    time_machine.shift(timedelta(seconds=10))
    with caplog.at_level(logging.ERROR, logger="immersio.notifications"):
        assert deliver_sms(sms_id=row.pk, actor=TASK) == Outcome.GIVEN_UP
    assert "abandonné après 3 tentatives" in caplog.text

    row.refresh_from_db()
    assert (row.status, row.attempts, FailingProvider.calls) == (OutboundSms.Status.FAILED, 3, 3)
    assert row.failed_at is not None and row.sent_at is None
    assert row.body == REDACTED_SMS_BODY
    time_machine.shift(timedelta(seconds=10))
    assert deliver_sms(sms_id=row.pk, actor=TASK) == Outcome.ALREADY_GIVEN_UP


def test_a_row_left_sending_by_a_killed_worker_is_taken_up_after_its_lease(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    row = _code_sms()
    OutboundSms.objects.filter(pk=row.pk).update(
        status=OutboundSms.Status.SENDING,
        attempts=1,
        next_attempt_at=row.created_at + services.sending_lease(),
    )
    assert deliver_sms(sms_id=row.pk, actor=TASK) == Outcome.IN_PROGRESS
    assert sms.outbox == []

    time_machine.shift(services.sending_lease() + timedelta(seconds=1))
    assert process_due_sms(actor=TASK) == {"sent": 1}
    assert len(sms.outbox) == 1


@pytest.mark.parametrize(
    "to", ["01 23 45 67 89", "", "+44 7700 900123", "n'importe quoi"], ids=repr
)
def test_only_a_french_mobile_receives_an_sms(to):
    with pytest.raises(InvalidMobileNumber):
        _code_sms(to=to)
    assert not OutboundSms.objects.exists()


def test_a_visitor_cannot_have_an_sms_sent():
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _code_sms(actor=VISITOR)
    assert not OutboundSms.objects.exists()


def test_the_console_provider_logs_the_sms(settings, caplog):
    settings.SMS_PROVIDER = "immersio.notifications.sms.ConsoleSmsProvider"
    row = _code_sms()
    with caplog.at_level(logging.INFO, logger="immersio.notifications.sms"):
        assert deliver_sms(sms_id=row.pk, actor=TASK) == Outcome.SENT
    assert "+33612345678" not in caplog.text  # no personal data in logs (issue 11)
    assert "06 •• •• •• 78" in caplog.text
    assert "482913 est votre code" in caplog.text
    row.refresh_from_db()
    assert row.provider_id.startswith("console-")
    assert sms.outbox == []


def test_the_command_sends_the_due_sms(capsys):
    _code_sms()
    call_command("send_pending_emails")
    assert capsys.readouterr().out == "1 SMS envoyé(s)\nAucun e-mail en attente.\n"
    assert len(sms.outbox) == 1


def test_the_back_office_masks_the_code(client):
    code = _code_sms(code="731540")
    _code_sms(sensitive=False, code="111222", to="07 81 23 45 67")
    client.force_login(UserFactory(superuser=True))

    changelist = client.get(reverse("admin:notifications_outboundsms_changelist"))
    assert changelist.status_code == 200
    assert "731540" not in changelist.text
    assert "Texte masqué" in changelist.text
    assert "111222" in changelist.text  # an ordinary SMS is shown
    assert "+33781234567" not in changelist.text  # masked in the list (issue 11)
    assert "07 •• •• •• 67" in changelist.text

    detail = client.get(reverse("admin:notifications_outboundsms_change", args=[code.pk]))
    assert detail.status_code == 200
    assert "731540" not in detail.text


def test_the_memory_outbox_starts_empty_in_every_test():
    # The autouse fixture of tests/conftest.py: the previous tests sent SMS.
    assert sms.outbox == []
