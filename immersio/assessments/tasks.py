"""Background tasks of assessments (django.tasks, run by ``manage.py db_worker``)."""

from django.tasks import task

from immersio.core.actors import TASK

from . import services
from .rules import REMINDER_DAYS


@task()
def assessments_daily() -> str:
    """Every morning, after ``conventions_daily``: ask the tutors of the conventions ending
    today for their assessment, then remind those who have not filled it."""
    requested = services.request_due(actor=TASK)
    reminders = services.send_reminders(actor=TASK)
    return daily_report(requested=requested.count, reminders=reminders.count)


def daily_report(*, requested: int, reminders: int) -> str:
    """The French summary of the daily job, for the task's result and the command."""
    days = " et ".join(f"J+{d}" for d in REMINDER_DAYS)
    return (
        f"{requested} bilan(s) demandé(s) aux tuteurs, {reminders} relance(s) envoyée(s) ({days})."
    )
