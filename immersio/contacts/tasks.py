"""Daily tasks of the contact requests (django.tasks, run by ``manage.py db_worker``)."""

from django.tasks import task

from immersio.core.actors import TASK

from . import services


@task()
def send_contact_reminders() -> str:
    """Reminders at D+3 and D+7, expiry at D+30, hiding of structures that never answer."""
    report = services.send_reminders(actor=TASK)
    report.hidden = services.hide_silent_structures(actor=TASK)
    return str(report)


@task()
def compute_answer_rates() -> int:
    return services.compute_answer_rates(actor=TASK)
