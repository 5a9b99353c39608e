"""Background tasks of assessments (django.tasks, run by ``manage.py db_worker``)."""

from django.tasks import task

from immersio.core.actors import TASK

from . import documents, services
from .models import Assessment
from .rules import REMINDER_DAYS


@task()
def render_pdf(assessment_id: int) -> str:
    """The PDF of a signed assessment (after the co-signature or a later correction), off
    the request path; e-mailed as a link when it is a new version."""
    assessment = Assessment.objects.get(pk=assessment_id)
    document = documents.store_document(assessment=assessment, actor=TASK)
    if document is None:
        return "Bilan non signé : pas de PDF."
    return f"{document.file.name} (version {document.number}, {document.size} octets)"


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
