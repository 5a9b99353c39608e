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
