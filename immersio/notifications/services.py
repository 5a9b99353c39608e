"""Outbox services: write e-mails in the transaction, send them after it, retry them.

- ``notify(notification)`` renders a notification and writes its rows in the current
  transaction; once the transaction commits, one ``send_outbound_email`` task per row is
  queued on the "emails" queue. If the transaction rolls back, nothing is sent.
- ``deliver_email(email_id=…, actor=TASK)`` (what the task runs) sends one row exactly
  once: it claims the row under a lock, sends it through the default mailer, then marks
  it sent — or schedules a retry with an exponential backoff, or gives up once
  ``settings.OUTBOX_GIVE_UP_AFTER_HOURS`` have passed since its first attempt.
- ``process_due_emails(actor=…)`` (command ``send_pending_emails``) sends every due row: the
  safety net when a task was lost (worker database down at enqueue time, crash).
- ``resend_emails(emails=...)`` puts rows back in the queue (admin action « Renvoyer »).

Who acts (``core.actors``): sending is the worker's (``TASK``), an operator's command
(``COMMAND``) or the Immersio team's; ``notify`` and ``enqueue_delivery`` have no actor of
their own: they write rows for the service calling them, which checked its actor.
"""

import logging
import random
import smtplib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from enum import StrEnum
from functools import partial

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone

from immersio.core.actors import AUTOMATIC, COMMAND, TASK, Actor, anyone, is_staff, require
from immersio.core.validators import normalise_french_mobile

from . import deferred
from .base import Notification, tidy_text
from .links import refresh_links
from .models import (
    LAST_ERROR_MAX_LENGTH,
    REDACTED_BODY,
    REDACTED_SMS_BODY,
    OutboundEmail,
    OutboundSms,
    PendingNotification,
)
from .sms import SmsError, sms_provider

logger = logging.getLogger(__name__)

TASK_PATH = "immersio.notifications.tasks.send_outbound_email"


def sending_lease() -> timedelta:
    """A row "sending" for longer than this was left by a killed worker: it is sent
    again, with the same Message-ID (the only case where a message may be delivered
    twice). Above the SMTP timeout of the default mailer."""
    return timedelta(seconds=settings.OUTBOX_SENDING_LEASE)


def give_up_after() -> timedelta:
    return timedelta(hours=settings.OUTBOX_GIVE_UP_AFTER_HOURS)


class Outcome(StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already_sent"
    RETRY_SCHEDULED = "retry_scheduled"
    GIVEN_UP = "given_up"
    ALREADY_GIVEN_UP = "already_given_up"
    NOT_DUE = "not_due"
    IN_PROGRESS = "in_progress"
    MISSING = "missing"
    # Deferred notifications (``render_pending``).
    RENDERED = "rendered"
    DROPPED = "dropped"


def notify(notification: Notification) -> list[OutboundEmail]:
    """Write the e-mails of ``notification`` in the current transaction.

    One row per distinct recipient address. The send tasks are queued only once the
    transaction commits (``transaction.on_commit``): a rolled-back transaction sends
    nothing. Return the rows.

    A ``deferred`` notification (``notifications.deferred``), when
    ``settings.NOTIFICATIONS_DEFERRED`` is on, is only written down here — one
    ``PendingNotification`` row and its ``render_notification`` task, in this transaction —
    and rendered by the worker: nothing is returned then.
    """
    if renders_later(type(notification)):
        try:
            data = deferred.payload(notification)
        except deferred.NotSerializable as error:
            logger.warning(
                "Notification %s préparée tout de suite (argument %s).", notification.kind, error
            )
        else:
            pending = PendingNotification.objects.create(kind=notification.kind, payload=data)
            enqueue_render(pending.pk)
            return []
    return _write_rows(notification)


def renders_later(cls: type[Notification]) -> bool:
    """Whether ``notify`` only writes notifications of ``cls`` down, for the worker to
    render: a caller need not then read, for the e-mails, what the arguments name."""
    return cls.deferred and not cls.sensitive and settings.NOTIFICATIONS_DEFERRED


def _write_rows(notification: Notification) -> list[OutboundEmail]:
    rows = []
    with transaction.atomic():
        for recipient in notification.distinct_recipients():
            rendered = notification.render(recipient)
            rows.append(
                OutboundEmail(
                    recipient=recipient.email,
                    subject=rendered.subject[:255],
                    text_body=rendered.text_body,
                    html_body=rendered.html_body,
                    reply_to=rendered.reply_to,
                    kind=notification.kind,
                    is_sensitive=notification.sensitive,
                    links=list(rendered.links),
                )
            )
        # One INSERT for every recipient (the rows come back with their keys).
        rows = OutboundEmail.objects.bulk_create(rows)
        if rows:
            ids = [row.pk for row in rows]
            transaction.on_commit(partial(_enqueue_deliveries, ids), robust=True)
    return rows


def enqueue_render(pending_id: int, *, run_after: datetime | None = None) -> object:
    """Queue the render task of one deferred notification (on the "emails" queue)."""
    from .tasks import render_notification  # the task module imports this one

    task = (
        render_notification if run_after is None else render_notification.using(run_after=run_after)
    )
    return task.enqueue(pending_id)


def render_pending(*, pending_id: int, actor: Actor) -> Outcome:
    """Render one deferred notification into outbox rows, at most once.

    Under a row lock: rebuild the notification from its row, write its e-mails and delete
    the row, in one transaction (a second task finds nothing left). If a row it was about
    is gone (a draft deleted meanwhile), the notification is dropped, with a warning. If
    rendering fails, the row records the error and is tried again later (the task queues
    itself with ``run_after``; ``process_due_notifications`` is the safety net), until
    ``OUTBOX_GIVE_UP_AFTER_HOURS`` after it was written. Same actors as ``deliver_email``.
    """
    require(actor, is_staff, system_allowed=SENDERS)
    now = timezone.now()
    try:
        with transaction.atomic():
            pending = PendingNotification.objects.select_for_update().filter(pk=pending_id).first()
            if pending is None:
                return Outcome.MISSING
            if pending.failed_at is not None:
                return Outcome.ALREADY_GIVEN_UP
            if pending.next_attempt_at > now:
                return Outcome.NOT_DUE
            try:
                notification = deferred.rebuild(pending.payload)
            except deferred.Missing as missing:
                logger.warning(
                    "Notification %s abandonnée : %s n'existe plus.", pending.kind, missing
                )
                pending.delete()
                return Outcome.DROPPED
            _write_rows(notification)
            pending.delete()
        return Outcome.RENDERED
    except Exception as error:
        logger.exception("Notification à préparer %s : échec du rendu.", pending_id)
        return _render_failed(pending_id, error, now)


def _render_failed(pending_id: int, error: Exception, now: datetime) -> Outcome:
    with transaction.atomic():
        pending = PendingNotification.objects.select_for_update().filter(pk=pending_id).first()
        if pending is None:
            return Outcome.MISSING
        pending.attempts += 1
        pending.last_error = f"{type(error).__name__}: {error}"[:LAST_ERROR_MAX_LENGTH]
        if now - pending.created_at >= give_up_after():
            pending.failed_at = now
            pending.save(update_fields=["attempts", "last_error", "failed_at"])
            logger.error(
                "Notification %s abandonnée après %s essais.", pending.kind, pending.attempts
            )
            return Outcome.GIVEN_UP
        pending.next_attempt_at = now + timedelta(seconds=backoff_delay(pending.attempts))
        pending.save(update_fields=["attempts", "last_error", "next_attempt_at"])
        transaction.on_commit(
            partial(enqueue_render, pending.pk, run_after=pending.next_attempt_at), robust=True
        )
    return Outcome.RETRY_SCHEDULED


def process_due_notifications(*, actor: Actor, limit: int = 500) -> dict[str, int]:
    """Render every deferred notification that is due (the safety net of the worker, run by
    ``send_pending_emails`` before it sends). Same actors as ``deliver_email``."""
    require(actor, is_staff, system_allowed=SENDERS)
    ids = list(PendingNotification.objects.due().values_list("pk", flat=True)[:limit])
    counts: Counter[str] = Counter()
    for pending_id in ids:
        counts[str(render_pending(pending_id=pending_id, actor=actor))] += 1
    return dict(counts)


def _enqueue_deliveries(email_ids: list[int]) -> None:
    """After the commit: one send task per row, queued in one transaction (one commit of
    the task table, not one per recipient). Should that fail, each row is queued on its
    own, a failure logged (``process_due_emails`` sends what stays unqueued)."""
    if len(email_ids) > 1:
        try:
            with transaction.atomic():
                for email_id in email_ids:
                    enqueue_delivery(email_id)
            return
        except Exception:  # queued one by one below; nothing of this block was kept
            logger.warning("Mise en file groupée impossible : les e-mails, un par un.")
    for email_id in email_ids:
        try:
            enqueue_delivery(email_id)
        except Exception:
            logger.exception("E-mail sortant %s : tâche d'envoi non mise en file.", email_id)


#: The platform sends e-mails through its worker and its operators' commands.
SENDERS = frozenset({TASK, COMMAND})


def enqueue_delivery(email_id: int, *, run_after: datetime | None = None) -> object:
    """Queue the send task for one row (on the "emails" queue)."""
    from .tasks import send_outbound_email  # the task module imports this one

    task = (
        send_outbound_email if run_after is None else send_outbound_email.using(run_after=run_after)
    )
    return task.enqueue(email_id)


def backoff_delay(attempts: int) -> float:
    """Seconds to wait after ``attempts`` failed attempts: base × 2^(n−1), capped.

    A little jitter (up to 10 % less) spreads the retries of many rows failing together.
    """
    exponent = min(max(attempts, 1) - 1, 32)
    delay = min(settings.OUTBOX_BACKOFF_BASE * 2**exponent, settings.OUTBOX_BACKOFF_MAX)
    return delay * random.uniform(0.9, 1.0)


def _message_id_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "immersio.invalid"


def build_message(email: OutboundEmail) -> EmailMultiAlternatives:
    """The message to send for ``email``, its personal links built afresh."""
    text, html = refresh_links(email.text_body, email.html_body, email.links or [])
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.recipient],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers={
            # Stable across retries, so that a receiving server can spot a duplicate.
            "Message-ID": f"<{email.public_id}@{_message_id_domain()}>",
            "Auto-Submitted": "auto-generated",
            "X-Immersio-Notification": email.kind,
        },
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def _describe(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}".strip()
    return text[:LAST_ERROR_MAX_LENGTH]


def _redact(email: OutboundEmail) -> None:
    if email.is_sensitive:
        email.text_body = REDACTED_BODY
        email.html_body = ""


def deliver_email(*, email_id: int, actor: Actor) -> Outcome:
    """Send one outbox row, at most once, whatever the number of tasks asking for it.

    1. Under a row lock, claim the row: only a pending row whose time has come (or a row
       left "sending" by a crashed worker, once its lease is over) is claimed; it becomes
       "sending" and counts one more attempt. Anything else returns without sending.
    2. Send it through the default mailer, outside any transaction (the SMTP server may
       be slow; the database is not kept locked meanwhile).
    3. Under the lock again, mark it sent, or schedule the next attempt (and queue the
       task with ``run_after``), or give up ``OUTBOX_GIVE_UP_AFTER_HOURS`` after the first.

    The worker (``TASK``), a command (``COMMAND``) or the Immersio team sends.
    """
    require(actor, is_staff, system_allowed=SENDERS)
    now = timezone.now()
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            logger.warning("E-mail sortant %s introuvable : rien à envoyer.", email_id)
            return Outcome.MISSING
        if (outcome := _not_claimable(email, now)) is not None:
            return outcome
        if email.status == OutboundEmail.Status.SENDING:
            logger.warning(
                "E-mail sortant %s resté « envoi en cours » (worker interrompu ?) : nouvel "
                "essai, même Message-ID ; il a pu partir une première fois.",
                email.public_id,
            )
            _fail_orphaned_tasks(email.pk, now)
        email.status = OutboundEmail.Status.SENDING
        email.attempts += 1
        if email.first_attempt_at is None:
            email.first_attempt_at = now
        email.next_attempt_at = now + sending_lease()
        email.save(update_fields=["status", "attempts", "first_attempt_at", "next_attempt_at"])
        # Should this worker be killed while sending, this task takes the row up again
        # once the lease is over (it does nothing if the row was sent meanwhile).
        transaction.on_commit(
            partial(enqueue_delivery, email.pk, run_after=email.next_attempt_at), robust=True
        )
        message = build_message(email)

    error = None
    try:
        accepted = mailers.default.send_messages([message])
        if not accepted:
            raise RuntimeError("le serveur d'envoi n'a accepté aucun message")
    except (smtplib.SMTPException, OSError) as exc:  # down, refused, timeout, rejected
        error = exc
    except Exception as exc:  # a bug or a bad message: retried too, but with its traceback
        logger.exception("Erreur inattendue à l'envoi de l'e-mail sortant %s.", email.public_id)
        error = exc
    return _record_attempt(email.pk, error)


def _fail_orphaned_tasks(email_id: int, now: datetime) -> int:
    """Close the task rows a killed worker left "running" for this e-mail.

    django-tasks-db never finishes the row of a task whose worker was killed (SIGKILL,
    out of memory, power cut): once the e-mail's lease is over, such a row is marked
    failed, so that no task stays "running" forever.
    """
    if not apps.is_installed("django_tasks_db"):
        return 0
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    stale = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, task_path=TASK_PATH, started_at__lt=now - sending_lease()
    )
    ids = [
        row.pk
        for row in stale.only("pk", "args_kwargs")
        if (row.args_kwargs or {}).get("args") == [email_id]
    ]
    if ids:
        DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path="immersio.notifications.services.WorkerKilled",
            traceback=(
                "Worker interrompu pendant l'envoi (arrêté sans pouvoir finir) : "
                "l'e-mail a été repris par une autre tâche."
            ),
        )
        logger.warning(
            "%s tâche(s) d'envoi de l'e-mail sortant %s laissée(s) « en cours » par un worker "
            "interrompu : marquée(s) en échec.",
            len(ids),
            email_id,
        )
    return len(ids)


def _record_attempt(email_id: int, error: BaseException | None) -> Outcome:
    now = timezone.now()
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:  # deleted from the admin while it was being sent
            logger.warning("E-mail sortant %s supprimé pendant son envoi.", email_id)
            return Outcome.MISSING
        if error is None:
            email.status = OutboundEmail.Status.SENT
            email.sent_at = now
            email.next_attempt_at = now
            _redact(email)
            email.save()
            logger.info(
                "E-mail sortant %s (%s) envoyé à la tentative %s.",
                email.public_id,
                email.kind,
                email.attempts,
            )
            return Outcome.SENT

        email.last_error = _describe(error)
        if email.first_attempt_at and now - email.first_attempt_at >= give_up_after():
            email.status = OutboundEmail.Status.FAILED
            email.next_attempt_at = now
            _redact(email)
            email.save()
            logger.error(
                "E-mail sortant %s (%s) abandonné après %s tentatives en %s heures : %s",
                email.public_id,
                email.kind,
                email.attempts,
                settings.OUTBOX_GIVE_UP_AFTER_HOURS,
                email.last_error,
            )
            return Outcome.GIVEN_UP

        return _retry_later(email, now=now, what="E-mail sortant", enqueue=enqueue_delivery)


def _not_claimable(row: OutboundEmail | OutboundSms, now: datetime) -> Outcome | None:
    """Why a locked e-mail or SMS of the outbox is not to be sent now, or None: already
    sent, given up, held by another task, or a retry scheduled for later."""
    if row.status == row.Status.SENT:
        return Outcome.ALREADY_SENT
    if row.status == row.Status.FAILED:
        return Outcome.ALREADY_GIVEN_UP
    if row.next_attempt_at > now:
        return Outcome.IN_PROGRESS if row.status == row.Status.SENDING else Outcome.NOT_DUE
    return None


def _retry_later(
    row: OutboundEmail | OutboundSms, *, now: datetime, what: str, enqueue: Callable
) -> Outcome:
    """A failed attempt of an e-mail or an SMS of the outbox: back to pending, queued again
    after the back-off, once the transaction commits."""
    row.status = row.Status.PENDING
    row.next_attempt_at = now + timedelta(seconds=backoff_delay(row.attempts))
    row.save()
    logger.warning(
        "%s %s (%s) non envoyé (tentative %s) : %s. Nouvel essai à %s.",
        what,
        row.public_id,
        row.kind,
        row.attempts,
        row.last_error,
        row.next_attempt_at.isoformat(),
    )
    transaction.on_commit(partial(enqueue, row.pk, run_after=row.next_attempt_at), robust=True)
    return Outcome.RETRY_SCHEDULED


def process_due_emails(*, actor: Actor, limit: int = 500, enqueue: bool = False) -> dict[str, int]:
    """Send (or, with ``enqueue=True``, queue for the worker) every row that is due.

    Due: pending with ``next_attempt_at`` reached, or left "sending" past its lease.
    Safe to run while the worker runs: each row is claimed under a lock. Return the
    number of rows per outcome. Same actors as ``deliver_email``.
    """
    require(actor, is_staff, system_allowed=SENDERS)
    ids = list(
        OutboundEmail.objects.due()
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts: Counter[str] = Counter()
    for email_id in ids:
        if enqueue:
            enqueue_delivery(email_id)
            counts["enqueued"] += 1
        else:
            counts[str(deliver_email(email_id=email_id, actor=actor))] += 1
    return dict(counts)


@dataclass(frozen=True, slots=True)
class ResendResult:
    requeued: int = 0
    copied: int = 0
    skipped: int = 0


def resend_emails(*, emails: Iterable[OutboundEmail], actor: Actor) -> ResendResult:
    """Put e-mails back in the queue, now.

    - pending or given-up rows start a fresh series of attempts;
    - sent rows are copied into a new row (each row is sent at most once);
    - rows whose personal content was erased (sent or given-up login links) and rows
      being sent are skipped: the person asks for a new link instead.

    The Immersio team does it (admin action), never the platform on its own.
    """
    require(actor, is_staff, system_allowed=False)
    requeued = copied = skipped = 0
    now = timezone.now()
    with transaction.atomic():
        ids = [email.pk for email in emails]
        for email in OutboundEmail.objects.select_for_update().filter(pk__in=ids):
            if email.is_redacted or email.status == OutboundEmail.Status.SENDING:
                skipped += 1
                continue
            if email.status == OutboundEmail.Status.SENT:
                email = OutboundEmail.objects.create(
                    recipient=email.recipient,
                    subject=email.subject,
                    text_body=email.text_body,
                    html_body=email.html_body,
                    reply_to=email.reply_to,
                    kind=email.kind,
                    is_sensitive=email.is_sensitive,
                    links=email.links,
                )
                copied += 1
            else:
                email.status = OutboundEmail.Status.PENDING
                email.attempts = 0
                email.first_attempt_at = None
                email.next_attempt_at = now
                email.save(
                    update_fields=["status", "attempts", "first_attempt_at", "next_attempt_at"]
                )
                requeued += 1
            transaction.on_commit(partial(enqueue_delivery, email.pk), robust=True)
    return ResendResult(requeued=requeued, copied=copied, skipped=skipped)


# SMS -----------------------------------------------------------------------------------------
# The same outbox shape as the e-mails, kept simpler: a row per SMS written in the
# transaction (``send_sms``), one ``send_outbound_sms`` task after commit, a lease against a
# killed worker, retries with the e-mails' backoff, given up after ``SMS_MAX_ATTEMPTS``.

#: Who may have the platform send an SMS: a person, the platform on its own, or a person
#: proving control of a link sent to them (a signatory asking for their code). Never a
#: visitor through a public form: an SMS costs money and goes to any number typed.
SMS_REQUESTERS = frozenset({TASK, COMMAND, AUTOMATIC})


class InvalidMobileNumber(ValueError):
    """The number is not a French mobile number (``core.validators.normalise_french_mobile``)."""


def render_sms(body_template: str, context: dict) -> str:
    """The text of an SMS: the template rendered without HTML escaping, its lines tidied."""
    template = get_template(body_template).template
    text = template.render(
        Context({"platform_name": settings.PLATFORM_NAME, **context}, autoescape=False)
    )
    return tidy_text(text).strip()


def send_sms(
    *,
    to: str,
    body_template: str,
    context: dict,
    kind: str,
    sensitive: bool,
    actor: Actor,
) -> OutboundSms:
    """Write one SMS in the current transaction; it is sent once the transaction commits.

    ``to`` is any way of writing a French mobile number (``InvalidMobileNumber`` otherwise);
    the row keeps it in E.164. ``body_template`` is a template name (every sentence lives
    there), rendered with ``context``. ``sensitive``: the text (a one-time code) is masked
    in the back office and erased once sent or given up.
    """
    require(actor, anyone, system_allowed=SMS_REQUESTERS)
    number = normalise_french_mobile(to)
    if number is None:
        raise InvalidMobileNumber(to)
    sms = OutboundSms.objects.create(
        to=number,
        body=render_sms(body_template, context),
        kind=kind,
        is_sensitive=sensitive,
    )
    transaction.on_commit(partial(enqueue_sms_delivery, sms.pk), robust=True)
    return sms


def enqueue_sms_delivery(sms_id: int, *, run_after: datetime | None = None) -> object:
    """Queue the send task for one SMS row (on the "sms" queue)."""
    from .tasks import send_outbound_sms  # the task module imports this one

    task = send_outbound_sms if run_after is None else send_outbound_sms.using(run_after=run_after)
    return task.enqueue(sms_id)


def _redact_sms(sms: OutboundSms) -> None:
    if sms.is_sensitive:
        sms.body = REDACTED_SMS_BODY


def deliver_sms(*, sms_id: int, actor: Actor) -> Outcome:
    """Send one SMS row, at most once, whatever the number of tasks asking for it.

    As ``deliver_email``: claim the row under a lock (pending and due, or left "sending"
    past its lease), send it through ``settings.SMS_PROVIDER`` outside any transaction,
    then record the provider's id — or the error and the next attempt, or give up after
    ``SMS_MAX_ATTEMPTS`` attempts. The worker (``TASK``), a command or the Immersio team.
    """
    require(actor, is_staff, system_allowed=SENDERS)
    now = timezone.now()
    with transaction.atomic():
        sms = OutboundSms.objects.select_for_update().filter(pk=sms_id).first()
        if sms is None:
            logger.warning("SMS sortant %s introuvable : rien à envoyer.", sms_id)
            return Outcome.MISSING
        if (outcome := _not_claimable(sms, now)) is not None:
            return outcome
        if sms.status == OutboundSms.Status.SENDING:
            logger.warning(
                "SMS sortant %s resté « envoi en cours » (worker interrompu ?) : nouvel essai ; "
                "il a pu partir une première fois.",
                sms.public_id,
            )
        sms.status = OutboundSms.Status.SENDING
        sms.attempts += 1
        sms.next_attempt_at = now + sending_lease()
        sms.save(update_fields=["status", "attempts", "next_attempt_at"])
        transaction.on_commit(
            partial(enqueue_sms_delivery, sms.pk, run_after=sms.next_attempt_at), robust=True
        )
        to, body = sms.to, sms.body

    error = None
    provider_id = ""
    try:
        provider_id = str(sms_provider().send(to, body))
    except SmsError as exc:
        error = exc
    except Exception as exc:  # a bug or an unexpected answer: retried too, with its traceback
        logger.exception("Erreur inattendue à l'envoi du SMS sortant %s.", sms.public_id)
        error = exc
    return _record_sms_attempt(sms.pk, error, provider_id)


def _record_sms_attempt(sms_id: int, error: BaseException | None, provider_id: str) -> Outcome:
    now = timezone.now()
    with transaction.atomic():
        sms = OutboundSms.objects.select_for_update().filter(pk=sms_id).first()
        if sms is None:
            logger.warning("SMS sortant %s supprimé pendant son envoi.", sms_id)
            return Outcome.MISSING
        if error is None:
            sms.status = OutboundSms.Status.SENT
            sms.sent_at = now
            sms.next_attempt_at = now
            sms.provider_id = provider_id[:128]
            _redact_sms(sms)
            sms.save()
            logger.info("SMS sortant %s (%s) envoyé.", sms.public_id, sms.kind)
            return Outcome.SENT

        sms.last_error = _describe(error)
        if sms.attempts >= settings.SMS_MAX_ATTEMPTS:
            sms.status = OutboundSms.Status.FAILED
            sms.failed_at = sms.next_attempt_at = now
            _redact_sms(sms)
            sms.save()
            logger.error(
                "SMS sortant %s (%s) abandonné après %s tentatives : %s",
                sms.public_id,
                sms.kind,
                sms.attempts,
                sms.last_error,
            )
            return Outcome.GIVEN_UP

        return _retry_later(sms, now=now, what="SMS sortant", enqueue=enqueue_sms_delivery)


def process_due_sms(*, actor: Actor, limit: int = 500) -> dict[str, int]:
    """Send every SMS that is due (the safety net of the worker, command
    ``send_pending_emails``). Same actors as ``deliver_sms``; the number per outcome."""
    require(actor, is_staff, system_allowed=SENDERS)
    ids = list(
        OutboundSms.objects.due()
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts: Counter[str] = Counter()
    for sms_id in ids:
        counts[str(deliver_sms(sms_id=sms_id, actor=actor))] += 1
    return dict(counts)
