"""Background tasks of agencies (django.tasks, run by ``manage.py db_worker``)."""

from django.tasks import task

from immersio.core.actors import TASK

from . import services


@task()
def send_delegation_reminders() -> int:
    """Daily: the delegation reminders due today. Returns the number of e-mails written."""
    reports = services.send_delegation_reminders(dry_run=False, actor=TASK)
    return sum(report.emails for report in reports)
