"""Deferred notifications (issue 10): written down in the request, rendered by the worker.

The test settings render every notification at once (``NOTIFICATIONS_DEFERRED = False``);
these tests turn deferral on and run the worker's side themselves."""

import json
import logging

import pytest
from django.core.management import call_command
from django.tasks import default_task_backend
from django.utils import timezone

from immersio.core.actors import COMMAND, TASK
from immersio.notifications import deferred, previews, services
from immersio.notifications.base import Notification, Recipient
from immersio.notifications.models import OutboundEmail, PendingNotification
from immersio.notifications.services import Outcome

pytestmark = pytest.mark.django_db

DEFERRED = [cls for cls in previews.notification_classes() if cls.deferred and not cls.sensitive]


def _rendered(notification: Notification) -> list[tuple]:
    return [
        (email.recipient, email.subject, email.text_body, email.html_body, email.links)
        for email in map(notification.render, notification.get_recipients())
    ]


def test_the_conventions_notifications_are_deferred():
    kinds = {cls.kind for cls in DEFERRED}
    assert {"convention_validated", "convention_all_signed", "convention_refused"} <= kinds


@pytest.mark.parametrize("cls", DEFERRED, ids=lambda cls: cls.kind)
def test_every_example_is_rendered_the_same_by_the_worker(cls, time_machine):
    """Written down as JSON, built again and rendered: the same e-mails, word for word."""
    time_machine.move_to(timezone.now(), tick=False)  # the links' signatures hold still
    with previews.rolled_back():
        for notification in previews.build(cls):
            data = json.loads(json.dumps(deferred.payload(notification)))
            again = deferred.rebuild(data)
            assert type(again) is cls
            assert _rendered(again) == _rendered(notification)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("texte", "texte"),
        (3, 3),
        (None, None),
        (timezone.datetime(2026, 11, 30, 9, 15, tzinfo=timezone.UTC), None),
        (timezone.datetime(2026, 11, 30).date(), None),
        ([1, ("a", 2)], None),
        ({"avant": "x", "après": ["y"]}, None),
    ],
)
def test_plain_values_keep_their_type(value, expected):
    assert deferred.decode(json.loads(json.dumps(deferred.encode(value)))) == value


def test_enums_come_back_as_enums():
    from immersio.conventions.transitions import Action

    assert deferred.decode(deferred.encode(Action.VALIDATE)) is Action.VALIDATE


def test_an_unsaved_row_a_safe_string_or_an_object_cannot_wait():
    from django.utils.safestring import mark_safe

    from immersio.accounts.models import User

    with pytest.raises(deferred.NotSerializable):
        deferred.encode(mark_safe("<b>x</b>"))

    with pytest.raises(deferred.NotSerializable):
        deferred.encode(User(email="x@exemple.fr"))
    with pytest.raises(deferred.NotSerializable):
        deferred.encode(object())


def test_a_class_that_is_not_a_notification_is_refused():
    with pytest.raises(ValueError, match="n'est pas une notification"):
        deferred.rebuild({"class": "immersio.accounts.models.User", "args": [], "kwargs": {}})


# The worker's side -----------------------------------------------------------------------


@pytest.fixture
def later(settings):
    settings.NOTIFICATIONS_DEFERRED = True
    default_task_backend.clear()
    return settings


def _validated_example():
    from immersio.conventions.notifications import ConventionValidatedNotification

    return previews.build(ConventionValidatedNotification)[0]


def _queued_renders() -> list[int]:
    return [
        result.args[0]
        for result in default_task_backend.results
        if result.task.name == "render_notification"
    ]


def test_notify_writes_it_down_and_queues_its_task_in_the_transaction(later, time_machine):
    time_machine.move_to(timezone.now(), tick=False)  # the links' signatures hold still
    notification = _validated_example()
    expected = _rendered(notification)

    assert services.notify(notification) == []

    assert not OutboundEmail.objects.exists()
    pending = PendingNotification.objects.get()
    assert pending.kind == "convention_validated"
    assert _queued_renders() == [pending.pk]
    # No address is written down: the recipients are read when it is rendered.
    assert "@" not in json.dumps(pending.payload)

    assert services.render_pending(pending_id=pending.pk, actor=TASK) == Outcome.RENDERED
    assert not PendingNotification.objects.exists()
    rows = OutboundEmail.objects.order_by("pk")
    assert [(row.recipient, row.subject, row.text_body) for row in rows] == [
        (recipient, subject, text) for recipient, subject, text, _html, _links in expected
    ]
    # Rendering twice writes nothing twice.
    assert services.render_pending(pending_id=pending.pk, actor=TASK) == Outcome.MISSING
    assert OutboundEmail.objects.count() == len(expected)


def test_off_every_notification_is_rendered_at_once(settings):
    settings.NOTIFICATIONS_DEFERRED = False
    rows = services.notify(_validated_example())
    assert rows and not PendingNotification.objects.exists()


class _Secret(Notification):
    kind = "test_secret"
    subject = "Votre code"
    reason = "Test."
    deferred = True
    sensitive = True

    def get_recipients(self):
        return [Recipient(email="camille@exemple.fr")]

    def render(self, recipient):
        from immersio.notifications.base import RenderedEmail

        return RenderedEmail(recipient.email, self.subject, "123456\n", "")


class _Unsaved(_Secret):
    kind = "test_unsaved"
    sensitive = False

    def __init__(self, *, user):
        self.user = user


def test_a_sensitive_notification_is_never_written_down(later):
    assert len(services.notify(_Secret())) == 1
    assert not PendingNotification.objects.exists()


def test_an_argument_that_cannot_wait_is_rendered_at_once(later, caplog):
    from immersio.accounts.models import User

    with caplog.at_level(logging.WARNING, logger="immersio.notifications.services"):
        rows = services.notify(_Unsaved(user=User(email="x@exemple.fr")))
    assert len(rows) == 1 and not PendingNotification.objects.exists()
    assert "préparée tout de suite" in caplog.text


def test_a_row_gone_meanwhile_drops_the_notification(later, caplog):
    notification = _validated_example()
    services.notify(notification)
    pending = PendingNotification.objects.get()
    notification.convention.delete()

    with caplog.at_level(logging.WARNING, logger="immersio.notifications.services"):
        outcome = services.render_pending(pending_id=pending.pk, actor=TASK)

    assert outcome == Outcome.DROPPED
    assert not PendingNotification.objects.exists() and not OutboundEmail.objects.exists()
    assert "n'existe plus" in caplog.text


def test_a_failed_rendering_is_tried_again_then_given_up(later, monkeypatch, time_machine):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    services.notify(_validated_example())
    pending = PendingNotification.objects.get()
    default_task_backend.clear()

    def broken(self, recipient):
        raise RuntimeError("gabarit cassé")

    monkeypatch.setattr(Notification, "render", broken)
    assert services.render_pending(pending_id=pending.pk, actor=TASK) == Outcome.RETRY_SCHEDULED
    pending.refresh_from_db()
    assert pending.attempts == 1 and "gabarit cassé" in pending.last_error
    assert pending.next_attempt_at > start
    assert not OutboundEmail.objects.exists()
    # Not due yet: the safety net leaves it.
    assert services.process_due_notifications(actor=COMMAND) == {}

    time_machine.move_to(start + services.give_up_after(), tick=False)
    assert services.render_pending(pending_id=pending.pk, actor=TASK) == Outcome.GIVEN_UP
    pending.refresh_from_db()
    assert pending.failed_at is not None
    assert services.render_pending(pending_id=pending.pk, actor=TASK) == Outcome.ALREADY_GIVEN_UP


def test_the_safety_net_renders_what_the_worker_lost(later, capsys):
    services.notify(_validated_example())
    default_task_backend.clear()  # the task was lost

    call_command("send_pending_emails", "--enqueue")

    assert "1 notification(s) préparée(s)" in capsys.readouterr().out
    assert not PendingNotification.objects.exists()
    assert OutboundEmail.objects.exists()


def test_validating_a_convention_writes_its_e_mails_through_the_worker(later):
    """The whole path: the decision writes the notification down, the task renders it."""
    from immersio.conventions import lifecycle
    from immersio.conventions.transitions import Action
    from tests.conventions.lifecycle_helpers import sent_convention, sign_all

    sent = sent_convention()
    sign_all(sent)
    default_task_backend.clear()

    lifecycle.decide(convention=sent.convention, action=Action.VALIDATE, actor=sent.validator)

    validated = OutboundEmail.objects.filter(kind="convention_validated")
    assert not validated.exists()
    (pending_id,) = _queued_renders()
    assert services.render_pending(pending_id=pending_id, actor=TASK) == Outcome.RENDERED
    recipients = set(validated.values_list("recipient", flat=True))
    assert {"camille@exemple.fr", "direction@exemple.com", "tuteur@exemple.com"} <= recipients


def _completing_signature_reads(settings, deferred: bool) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from immersio.conventions import selectors
    from tests.conventions.lifecycle_helpers import sent_convention, sign

    settings.NOTIFICATIONS_DEFERRED = deferred
    sent = sent_convention()
    *first, last = selectors.required_signatories(sent.refresh())
    for signatory in first:
        sign(signatory)
    with CaptureQueriesContext(connection) as queries:
        sign(last)
    return sum('FROM "conventions_convention"' in q["sql"] for q in queries.captured_queries)


def test_the_completing_signature_reads_the_convention_once_less_when_e_mails_wait(settings):
    """The e-mails name the whole convention: read again for them only when rendered now."""
    at_once = _completing_signature_reads(settings, deferred=False)
    later = _completing_signature_reads(settings, deferred=True)
    assert later == at_once - 1
