"""The PDF of a convention: rendered once per version, off the request path, kept with its
SHA-256 (``ConventionDocument``), and the evidence that goes on its last page."""

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from immersio.core.actors import AUTOMATIC, COMMAND, TASK, Actor, require

from . import pdf
from .models import ConventionDocument, ConventionEvent, ConventionVersion, Signature
from .transitions import Action, Role


@dataclass(frozen=True)
class Evidence:
    role: str
    name: str
    what: str
    at: datetime
    method: str
    ip_address: str
    sha256: str
    version: int


def evidence(convention: object) -> list[Evidence]:
    """Every signature given to a version of the content in force (its substance), and
    the prescriber's validation — which is the prescriber's signature (L5135-4, D5135-1)."""
    found = []
    for signature in (
        Signature.objects.filter(
            signatory__convention=convention,
            version_number__gte=convention.substance_version,
        )
        .select_related("signatory")
        .order_by("signed_at", "id")
    ):
        found.append(
            Evidence(
                role=signature.signatory.get_role_display(),
                name=signature.signatory.name,
                what="a signé"
                if signature.method != Signature.Method.PAPER
                else "a signé sur papier",
                at=signature.signed_at,
                method=signature.get_method_display()
                + (f" ({signature.code_sent_to})" if signature.code_sent_to else ""),
                ip_address=signature.ip_address or "",
                sha256=signature.content_sha256,
                version=signature.version_number,
            )
        )
    for event in ConventionEvent.objects.filter(
        convention=convention,
        action__in=(Action.PRE_VALIDATE.value, Action.VALIDATE.value),
        version__gte=convention.substance_version,
    ).order_by("at", "id"):
        found.append(
            Evidence(
                role=Role(event.role).label if event.role else "",
                name=event.by_name,
                what="a validé la convention"
                if event.action == Action.VALIDATE.value
                else "a pré-validé la convention",
                at=event.at,
                method="Compte vérifié du prescripteur",
                ip_address="",
                sha256=event.content_sha256,
                version=event.version,
            )
        )
    return found


def render(version: ConventionVersion) -> bytes:
    convention = version.convention
    lines = [
        pdf.EvidenceLine(
            role=item.role,
            name=item.name,
            action=item.what,
            at=item.at,
            method=item.method,
            ip_address=item.ip_address,
            version_sha256=item.sha256,
        )
        for item in evidence(convention)
    ]
    return pdf.render_convention_pdf(
        convention=convention,
        reference=convention.reference,
        version_number=version.number,
        content_sha256=version.sha256,
        evidence=lines,
    )


def store_document(*, version: ConventionVersion, actor: Actor) -> ConventionDocument:
    """The PDF of ``version``, rendered and stored once (a second call returns the first
    one): a task after validation, or the download page when the task has not run yet."""
    require(actor, lambda user: False, system_allowed={TASK, COMMAND, AUTOMATIC})
    existing = ConventionDocument.objects.filter(version=version).first()
    if existing is not None:
        return existing
    started = time.perf_counter()
    data = render(version)
    elapsed = int((time.perf_counter() - started) * 1000)
    document = ConventionDocument(
        version=version,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        render_ms=elapsed,
    )
    name = f"{version.convention.reference}-v{version.number}.pdf"
    document.file.save(name, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:  # rendered meanwhile by another worker: keep theirs
        document.file.delete(save=False)
        return ConventionDocument.objects.get(version=version)
    return document
