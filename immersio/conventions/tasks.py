"""Background tasks of conventions (django.tasks, run by ``manage.py db_worker``)."""

from django.tasks import task

from immersio.core.actors import TASK

from . import documents
from .models import ConventionVersion


@task()
def render_pdf(version_id: int) -> str:
    """The PDF of a validated version, off the request path."""
    version = ConventionVersion.objects.select_related("convention").get(pk=version_id)
    document = documents.store_document(version=version, actor=TASK)
    return f"{document.file.name} ({document.size} octets, {document.render_ms} ms)"


@task()
def conventions_daily() -> str:
    """Every night: conventions still not validated a month after their start become
    obsolete, then those who have not signed are reminded (3 and 1 working days before)."""
    from . import lifecycle  # lifecycle queues ``render_pdf``: imported here, not above

    obsolete = lifecycle.make_obsolete_overdue(actor=TASK)
    reminders = lifecycle.send_signature_reminders(actor=TASK)
    return daily_report(obsolete=obsolete.count, reminders=reminders.count)


def daily_report(*, obsolete: int, reminders: int) -> str:
    """The French summary of the nightly job, for the task's result and the command."""
    return (
        f"{obsolete} convention(s) devenue(s) obsolète(s) (non validées un mois après leur "
        f"début), {reminders} relance(s) de signature envoyée(s)."
    )
