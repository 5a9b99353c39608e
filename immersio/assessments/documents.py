"""The PDF of a signed assessment: rendered off the request path once the beneficiary has
co-signed (``tasks.render_pdf``, queued after commit by ``services.cosign`` and
``services.correct``), kept with its SHA-256 (``AssessmentDocument``), then sent as a
link to the agency, the structure and the beneficiary.

One document per content: rendering again the same content returns the stored document
(no second file, no second e-mail); a correction after the signature changes the content,
so it makes version 2, and the link to version 1 keeps serving version 1."""

import hashlib
import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from immersio.core.actors import AUTOMATIC, COMMAND, TASK, Actor, nobody, require
from immersio.notifications.services import notify

from . import notifications, pdf, selectors
from .models import Assessment, AssessmentDocument, AssessmentEvent


def store_document(*, assessment: Assessment, actor: Actor) -> AssessmentDocument | None:
    """The PDF of what ``assessment`` says now: the stored one when this content was
    already rendered, else a new version, rendered, stored and e-mailed (as a link) to
    the agency's team, the tutor and the host's representative, and the beneficiary.
    None when the assessment is not signed (or its convention anonymised)."""
    require(actor, nobody, system_allowed={TASK, COMMAND, AUTOMATIC})
    with transaction.atomic():
        locked = (
            Assessment.objects.select_for_update(of=("self",))
            .select_related("convention", "convention__agency", "convention__appellation")
            .get(pk=assessment.pk)
        )
        if not selectors.is_signed(locked) or locked.convention.anonymised_at is not None:
            return None
        corrections = list(
            locked.events.filter(action=AssessmentEvent.Action.CORRECTED).order_by("at", "pk")
        )
        content = pdf.printed(locked, corrections)
        digest = pdf.content_digest(content)
        existing = locked.documents.filter(content_sha256=digest).first()
        if existing is not None:
            return existing
        number = (locked.documents.aggregate(last=Max("number"))["last"] or 0) + 1
        started = time.perf_counter()
        data = pdf.render(content, number=number)
        document = AssessmentDocument(
            assessment=locked,
            number=number,
            content_sha256=digest,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            render_ms=int((time.perf_counter() - started) * 1000),
        )
        name = f"bilan-{locked.convention.reference}-v{number}.pdf"
        document.file.save(name, ContentFile(data), save=False)
        try:
            document.save()
        except Exception:
            document.file.delete(save=False)
            raise
        notify(notifications.DocumentNotification(assessment=locked, document=document))
        return document
