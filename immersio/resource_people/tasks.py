"""Daily task of resource people (django.tasks, run by ``manage.py db_worker``)."""

from django.tasks import task

from immersio.core.actors import TASK

from . import services


@task()
def resource_people_daily() -> str:
    """Reminders at D+3 and D+7 to resource people who did not answer, expiry."""
    return str(services.send_reminders(actor=TASK))
