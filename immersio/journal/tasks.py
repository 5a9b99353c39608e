"""Background tasks of the journal (django.tasks, run by ``manage.py db_worker``)."""

from django.tasks import task

from immersio.core.actors import TASK

from . import rules, services


@task()
def journal_daily() -> str:
    """Every night: remind the beneficiaries whose bilan is still empty, 2 and 7 days after
    the end of their immersion (once each)."""
    return daily_report(len(services.send_reflection_reminders(actor=TASK)))


def daily_report(reminders: int) -> str:
    """The French summary of the nightly job, for the task's result and the command."""
    days = " et ".join(f"J+{d}" for d in rules.REMINDER_DAYS)
    return f"{reminders} relance(s) du bilan envoyée(s) ({days} après la fin, bilan vide)."
