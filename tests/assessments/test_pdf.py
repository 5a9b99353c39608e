"""The PDF of a signed assessment: what it prints and leaves out, when it is made (both
signatures, once per content, a new version after a correction), who receives its link
and who may download it."""

import io
from datetime import timedelta

import pytest
from django.tasks import default_task_backend
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from immersio.assessments import documents, services, tasks
from immersio.assessments.models import AssessmentDocument
from immersio.assessments.rules import ContractType, Level, Outcome, SkillLevel
from immersio.core.actors import AUTOMATIC, TASK
from immersio.notifications.models import OutboundEmail
from immersio.privacy.retention import anonymise_convention
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.assessments.helpers import completed, ended_convention
from tests.structures.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    """Every page's text, spaces normalised (the PDF has non-breaking ones)."""
    pages = PdfReader(io.BytesIO(data)).pages
    raw = " ".join(page.extract_text() for page in pages)
    raw = raw.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2019", "'")
    return " ".join(raw.split())


def bytes_of(document) -> bytes:
    with document.file.open("rb") as stored:
        return stored.read()


def signed(ended, *, agrees=True, comment="", **answers):
    c = ended.convention
    assessment = services.fill(convention=c, answers=completed(c, **answers), actor=AUTOMATIC)
    return services.cosign(assessment=assessment, agrees=agrees, comment=comment, actor=AUTOMATIC)


def status(client, path: str) -> int:
    """GET ``path``; a file's response is read to its end (which closes the file)."""
    response = client.get(path)
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


def download(client, document) -> bytes:
    response = client.get(reverse("assessments:document", kwargs={"public_id": document.public_id}))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def test_the_pdf_prints_the_assessment_and_the_cosignature_and_nothing_sensitive():
    ended = ended_convention(beneficiary_rsa=True, beneficiary_rqth=True)
    c = ended.convention
    last_day = c.date_end - timedelta(days=1)
    assessment = signed(
        ended,
        agrees=False,
        comment="Le mardi, j'étais sur l'autre site.",
        outcome=Outcome.PARTIAL,
        last_day=last_day,
        missed_minutes=90,
        skills=(SkillLevel(skill="Travail en équipe", level=Level.PROGRESSING, free=True),),
        advice="Une formation courte en maraîchage.",
        hired=True,
        contract_type=ContractType.APPRENTICESHIP,
        contract_start=c.date_end + timedelta(days=10),
    )
    services.correct(
        assessment=assessment,
        answers=completed(
            c,
            outcome=Outcome.PARTIAL,
            last_day=last_day,
            missed_minutes=60,
            skills=(SkillLevel(skill="Travail en équipe", level=Level.PROGRESSING, free=True),),
            advice="Une formation courte en maraîchage.",
            hired=True,
            contract_type=ContractType.APPRENTICESHIP,
            contract_start=c.date_end + timedelta(days=10),
        ),
        reason="Le tuteur avait compté une heure de trop.",
        actor=ended.counsellor,
    )
    document = documents.store_document(assessment=assessment, actor=TASK)
    text = text_of(bytes_of(document))
    for expected in (
        c.reference,
        "Camille Durand",
        c.host_name,
        "Sam Petit",
        "Partiellement réalisée",
        f"{last_day.day}",
        "1 h",  # the missed time, corrected
        "Découvrir les gestes du maraîchage Atteint",
        "Évaluer mon goût pour le travail dehors Atteint",
        "Travail en équipe (ajoutée par le tuteur) En progression",
        "Ponctuelle et curieuse.",
        "Une formation courte en maraîchage.",
        "Oui : Alternance, à partir du",
        "Sam Petit (le tuteur ou la tutrice)",
        "pas d'accord avec ce bilan",
        "« Le mardi, j'étais sur l'autre site. »",
        "Le tuteur avait compté une heure de trop.",
        "Claire Conseil",
        "Temps manqué",
    ):
        assert expected in text, expected
    assert "1 h 30" not in text  # the value before the correction
    for absent in ("14 juin 1995", "1995", "RSA", "RQTH", "handicap", "0611111111", "Dominique"):
        assert absent not in text, absent
    reader = PdfReader(io.BytesIO(bytes_of(document)))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr" and "/StructTreeRoot" in root
    assert all(
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) == (595, 842)
        for p in reader.pages
    )


def test_no_pdf_before_both_signatures_then_one_after_commit(django_capture_on_commit_callbacks):
    ended = ended_convention()
    c = ended.convention
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assessment = services.fill(convention=c, answers=completed(c), actor=AUTOMATIC)
    assert documents.store_document(assessment=assessment, actor=TASK) is None
    assert not [r for r in default_task_backend.results if r.task.name == "render_pdf"]
    with django_capture_on_commit_callbacks(execute=True):
        services.cosign(assessment=assessment, agrees=True, comment="", actor=AUTOMATIC)
    queued = [r for r in default_task_backend.results if r.task.name == "render_pdf"]
    assert len(queued) == 1 and not AssessmentDocument.objects.exists()
    assert "version 1" in tasks.render_pdf.call(assessment.pk)
    assert AssessmentDocument.objects.get().assessment == assessment


def test_a_no_show_has_no_pdf():
    ended = ended_convention()
    c = ended.convention
    assessment = services.fill(
        convention=c,
        answers=completed(c, outcome=Outcome.NO_SHOW, no_show_reason="Sans nouvelles."),
        actor=AUTOMATIC,
    )
    assert documents.store_document(assessment=assessment, actor=TASK) is None
    assert tasks.render_pdf.call(assessment.pk) == "Bilan non signé : pas de PDF."


def test_rendering_twice_keeps_one_document_and_one_e_mail_each():
    ended = ended_convention()
    assessment = signed(ended)
    first = documents.store_document(assessment=assessment, actor=TASK)
    again = documents.store_document(assessment=assessment, actor=AUTOMATIC)
    assert again == first and AssessmentDocument.objects.count() == 1
    assert first.number == 1 and len(first.sha256) == 64 and first.size > 1000
    assert OutboundEmail.objects.filter(kind="assessment_document").count() == len(
        {e.recipient for e in OutboundEmail.objects.filter(kind="assessment_document")}
    )


def test_the_link_goes_to_the_agency_the_structure_and_the_beneficiary_and_works(client):
    ended = ended_convention()
    c = ended.convention
    document = documents.store_document(assessment=signed(ended), actor=TASK)
    emails = OutboundEmail.objects.filter(kind="assessment_document")
    recipients = {e.recipient for e in emails}
    assert recipients == {
        ended.counsellor.email,
        c.counsellor_email,
        c.tutor_email,
        c.host_rep_email,
        c.beneficiary_email,
    }
    path = reverse("assessments:document", kwargs={"public_id": document.public_id})
    for email in emails:
        assert path in email.text_body and path in email.html_body
        assert "Camille" not in email.subject and c.reference in email.subject
    anonymous = client.get(path)
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]
    client.force_login(ended.beneficiary)
    assert b"".join(client.get(path).streaming_content) == bytes_of(document)


def test_a_correction_makes_version_2_and_the_first_link_keeps_version_1(
    client, django_capture_on_commit_callbacks
):
    ended = ended_convention()
    c = ended.convention
    assessment = signed(ended)
    first = documents.store_document(assessment=assessment, actor=TASK)
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.correct(
            assessment=assessment,
            answers=completed(c, advice="Passer le CAPa maraîchage."),
            reason="Conseil oublié.",
            actor=ended.counsellor,
        )
    assert [r.args for r in default_task_backend.results if r.task.name == "render_pdf"] == [
        [assessment.pk]
    ]
    second = documents.store_document(assessment=assessment, actor=TASK)
    assert second.number == 2 and second.public_id != first.public_id
    client.force_login(ended.counsellor)
    assert "Passer le CAPa maraîchage." not in text_of(download(client, first))
    assert "Passer le CAPa maraîchage." in text_of(download(client, second))
    latest = reverse("assessments:pdf", kwargs={"public_id": c.public_id})
    assert b"".join(client.get(latest).streaming_content) == bytes_of(second)
    subjects = set(
        OutboundEmail.objects.filter(kind="assessment_document").values_list("subject", flat=True)
    )
    assert subjects == {
        f"Bilan signé de l'immersion {c.reference} : le PDF",
        f"Bilan corrigé de l'immersion {c.reference} : le PDF",
    }


def test_who_may_download(client):
    ended = ended_convention()
    c = ended.convention
    document = documents.store_document(assessment=signed(ended), actor=TASK)
    path = reverse("assessments:document", kwargs={"public_id": document.public_id})
    latest = reverse("assessments:pdf", kwargs={"public_id": c.public_id})
    member = MembershipFactory(structure=c.structure).user
    other_agency = UserFactory()
    AgencyFactory(counsellor=other_agency)
    other_structure = MembershipFactory().user
    allowed = {
        "beneficiary": ended.beneficiary,
        "counsellor": ended.counsellor,
        "tutor": UserFactory(email=c.tutor_email),
        "representative": UserFactory(email=c.host_rep_email),
        "structure member": member,
    }
    refused = {
        "stranger": UserFactory(),
        "another agency": other_agency,
        "another structure": other_structure,
        "staff": UserFactory(is_staff=True),
    }
    for who, user in allowed.items():
        client.force_login(user)
        assert status(client, path) == 200, who
        assert status(client, latest) == 200, who
    for who, user in refused.items():
        client.force_login(user)
        assert status(client, path) == 404, who
        assert status(client, latest) == 404, who


def test_the_pages_link_the_pdf_once_signed_and_render_it_if_the_task_has_not_run(client):
    ended = ended_convention()
    c = ended.convention
    assessment = services.fill(convention=c, answers=completed(c), actor=AUTOMATIC)
    latest = reverse("assessments:pdf", kwargs={"public_id": c.public_id})
    review = reverse("conventions:review", kwargs={"public_id": c.public_id})
    mine = reverse("assessments:mine", kwargs={"public_id": c.public_id})
    client.force_login(ended.beneficiary)
    assert latest not in client.get(mine).text
    assert status(client, latest) == 404  # not signed yet
    services.cosign(assessment=assessment, agrees=True, comment="", actor=AUTOMATIC)
    assert latest in client.get(mine).text
    client.force_login(ended.counsellor)
    assert latest in client.get(review).text
    assert not AssessmentDocument.objects.exists()
    response = client.get(latest)
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response.status_code == 200 and response["Cache-Control"].startswith("private")
    assert AssessmentDocument.objects.count() == 1
    assert OutboundEmail.objects.filter(kind="assessment_document").exists()


def test_the_convention_s_anonymisation_deletes_the_pdfs(django_capture_on_commit_callbacks):
    ended = ended_convention()
    document = documents.store_document(assessment=signed(ended), actor=TASK)
    storage, name = document.file.storage, document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        anonymise_convention(ended.convention, now=timezone.now())
    assert not AssessmentDocument.objects.exists()
    assert not storage.exists(name)
