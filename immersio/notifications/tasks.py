"""Background tasks of the outbox (django.tasks, run by ``manage.py db_worker``)."""

from django.tasks import task

from immersio.core.actors import TASK

from . import services

EMAIL_QUEUE = "emails"


@task(queue_name=EMAIL_QUEUE)
def send_outbound_email(email_id: int) -> str:
    """Send one outbox row. Safe to run twice or late: see ``services.deliver_email``.

    A failed attempt does not raise: the row records the error and the task queues itself
    again with ``run_after`` set to the next attempt.
    """
    return str(services.deliver_email(email_id=email_id, actor=TASK))


@task(queue_name=EMAIL_QUEUE)
def render_notification(pending_id: int) -> str:
    """Render one deferred notification into outbox rows (``services.render_pending``):
    safe to run twice; a failure is recorded on the row and tried again later."""
    return str(services.render_pending(pending_id=pending_id, actor=TASK))


SMS_QUEUE = "sms"


@task(queue_name=SMS_QUEUE)
def send_outbound_sms(sms_id: int) -> str:
    """Send one SMS row. Safe to run twice or late: see ``services.deliver_sms``."""
    return str(services.deliver_sms(sms_id=sms_id, actor=TASK))
