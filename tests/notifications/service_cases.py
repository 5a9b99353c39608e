"""Outbox services refusing an unauthorised actor (run by tests/core/test_service_actors)."""

from immersio.core.actors import TASK, VISITOR
from immersio.notifications.models import OutboundEmail, OutboundSms
from tests.accounts.factories import UserFactory
from tests.core.service_case import Case


def _row() -> OutboundEmail:
    return OutboundEmail.objects.create(
        recipient="camille@exemple.fr", subject="Bonjour", text_body="Bonjour.", kind="test"
    )


def _delivery_by_a_person():
    return {"email_id": _row().pk}, UserFactory()


def _processing_by_a_person():
    _row()
    return {}, UserFactory()


def _resend_by_a_task():
    return {"emails": [_row()]}, TASK


def _sms() -> OutboundSms:
    return OutboundSms.objects.create(to="+33612345678", body="123456", kind="test")


def _sms_by_a_visitor():
    return {
        "to": "06 12 34 56 78",
        "body_template": "notifications/sms/one_time_code.txt",
        "context": {"code": "123456", "minutes": 10},
        "kind": "test",
        "sensitive": True,
    }, VISITOR


def _sms_delivery_by_a_person():
    return {"sms_id": _sms().pk}, UserFactory()


def _sms_processing_by_a_person():
    _sms()
    return {}, UserFactory()


CASES = [
    Case("immersio.notifications.services.deliver_email", build=_delivery_by_a_person),
    Case("immersio.notifications.services.process_due_emails", build=_processing_by_a_person),
    Case("immersio.notifications.services.resend_emails", build=_resend_by_a_task),
    Case("immersio.notifications.services.send_sms", build=_sms_by_a_visitor),
    Case("immersio.notifications.services.deliver_sms", build=_sms_delivery_by_a_person),
    Case("immersio.notifications.services.process_due_sms", build=_sms_processing_by_a_person),
]

READ_ONLY = {
    "immersio.notifications.services.sending_lease": "reads a setting",
    "immersio.notifications.services.give_up_after": "reads a setting",
    "immersio.notifications.services.backoff_delay": "computes a delay",
    "immersio.notifications.services.build_message": "builds the message of a row, unsent",
    "immersio.notifications.services.render_sms": "renders the text of an SMS, unsent",
    "immersio.notifications.services.renders_later": "reads a class and a setting",
}

# Building blocks that write for the service calling them, which checked its actor.
CALLER_CHECKS = {
    "immersio.notifications.services.notify": (
        "writes the outbox rows of the calling service, in its transaction"
    ),
    "immersio.notifications.services.enqueue_delivery": (
        "queues the send task of a row the calling service wrote"
    ),
    "immersio.notifications.services.enqueue_sms_delivery": (
        "queues the send task of an SMS row the calling service wrote"
    ),
}


def _pending():
    from immersio.notifications.models import PendingNotification

    return PendingNotification.objects.create(
        kind="test", payload={"class": "x.Y", "args": [], "kwargs": {}}
    )


def _rendering_by_a_person():
    return {"pending_id": _pending().pk}, UserFactory()


def _pending_processing_by_a_person():
    _pending()
    return {}, UserFactory()


CASES += [
    Case("immersio.notifications.services.render_pending", build=_rendering_by_a_person),
    Case(
        "immersio.notifications.services.process_due_notifications",
        build=_pending_processing_by_a_person,
    ),
]
CALLER_CHECKS["immersio.notifications.services.enqueue_render"] = (
    "queues the render task of a deferred notification the calling service wrote"
)
