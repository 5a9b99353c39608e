"""« Mes données »: what is found about a person (and only them), the export link and its
ZIP, the page."""

import io
import json
import logging
import zipfile
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from immersio.assessments.models import Assessment, AssessmentDocument
from immersio.conventions.models import SensitiveAccess
from immersio.notifications.models import OutboundEmail, OutboundSms
from immersio.privacy import selectors, services
from immersio.privacy.models import DataExport
from immersio.structures.models import Invitation, Registration
from tests.accounts.factories import UserFactory
from tests.privacy.helpers import PDF, board_post, person, validated_convention
from tests.structures.factories import HostStructureFactory

pytestmark = pytest.mark.django_db

MY_DATA = "/mes-donnees/"
DOWNLOAD = "/mes-donnees/telechargement/"


def _export_token(user) -> str:
    email = OutboundEmail.objects.filter(recipient=user.email, kind="privacy_export_link").latest(
        "pk"
    )
    link = next(word for word in email.text_body.split() if DOWNLOAD in word)
    return parse_qs(urlsplit(link).query)["jeton"][0]


def _ask_export(client, user) -> str:
    response = client.post("/mes-donnees/telecharger/")
    assert response.status_code == 302
    return _export_token(user)


def _zip(response) -> zipfile.ZipFile:
    # Reading the stream to its end closes the response (the test client's wrapper); a
    # second close() would send request_finished again, which on PostgreSQL closes the
    # test's connection.
    content = b"".join(response.streaming_content)
    return zipfile.ZipFile(io.BytesIO(content))


# --- what is found ----------------------------------------------------------------------------


def test_person_data_holds_their_rows_and_never_someone_elses():
    camille = person()
    other = person("sacha@exemple.fr")
    post = board_post(camille.user)
    HostStructureFactory(admin=camille.user, name="Les Jardins de Camille")
    SensitiveAccess.objects.create(
        convention=camille.convention, by_name="Claire Conseil", role="conseiller", reason="Suivi"
    )
    SensitiveAccess.objects.create(
        convention=other.convention, by_name="X", role="conseiller", reason="Autre"
    )
    OutboundEmail.objects.create(
        recipient="Camille.Durand@exemple.fr", subject="Pour Camille", text_body="Bonjour", kind="k"
    )
    OutboundEmail.objects.create(
        recipient=other.user.email, subject="Pour Sacha", text_body="Salut", kind="k"
    )

    data = selectors.person_data(camille.user).categories

    assert data["compte"][0]["adresse_email"] == camille.user.email
    assert [r["reference"] for r in data["demandes"]] == [str(camille.request.public_id)]
    assert data["demandes"][0]["messages"][0]["message"] == "Bonjour !"
    assert [p["reference"] for p in data["annonces"]] == [str(post.public_id)]
    # Found by the address on the convention, whatever its case.
    assert [c["reference"] for c in data["conventions"]] == [camille.convention.reference]
    assert "bénéficiaire" in data["conventions"][0]["vos_roles"]
    assert [a["motif"] for a in data["consultations"]] == ["Suivi"]
    assert [m["organisation"] for m in data["equipes"]] == ["Les Jardins de Camille"]
    assert [e["objet"] for e in data["emails"]] == ["Pour Camille"]
    everything = json.dumps(data, ensure_ascii=False)
    assert "sacha" not in everything.lower() and "Autre" not in everything
    assert other.convention.reference not in everything


def test_sensitive_and_purged_email_bodies_are_not_exported():
    camille = person()
    OutboundEmail.objects.create(
        recipient=camille.user.email,
        subject="Lien",
        text_body="secret",
        kind="login_link",
        is_sensitive=True,
    )
    [row] = selectors.person_data(camille.user).categories["emails"]
    assert row["texte"] == "" and row["texte_efface"] is True


def test_someone_who_drafted_a_convention_for_another_does_not_get_their_details():
    counsellor = UserFactory()
    convention = validated_convention("beneficiaire@exemple.fr", created_by=counsellor)
    SensitiveAccess.objects.create(convention=convention, by_name="X", role="r", reason="Motif")
    data = selectors.person_data(counsellor).categories
    [row] = data["conventions"]
    assert row["reference"] == convention.reference and row["vos_roles"] == ["rédacteur"]
    assert row["beneficiaire"] is None and row["representant_legal"] is None
    assert data["consultations"] == []
    assert selectors.convention_documents(counsellor) == []


def test_sms_to_their_phone_are_found_and_deleted_with_the_account():
    camille = person()
    camille.user.phone = "06 12 34 56 78"
    camille.user.save()
    OutboundSms.objects.create(to="+33612345678", body="Votre immersion", kind="k", status="sent")
    OutboundSms.objects.create(to="+33700000000", body="Quelqu'un d'autre", kind="k", status="sent")
    [row] = selectors.person_data(camille.user).categories["sms"]
    assert row["texte"] == "Votre immersion"
    services.delete_account(user=camille.user, actor=camille.user)
    assert list(OutboundSms.objects.values_list("to", flat=True)) == ["+33700000000"]


def test_registrations_and_invitations_are_exported_then_erased_with_the_account():
    camille = person()
    structure = HostStructureFactory(name="Les Jardins")
    other_structure = HostStructureFactory(name="Ailleurs")
    Registration.objects.create(
        structure=structure,
        email="CAMILLE.durand@exemple.fr",
        first_name="Camille",
        last_name="Durand",
        consented_at=timezone.now(),
    )
    Invitation.objects.create(structure=other_structure, email=camille.user.email, role="contact")
    Invitation.objects.create(structure=other_structure, email="sacha@exemple.fr", role="contact")
    rows = selectors.person_data(camille.user).categories["inscriptions"]
    assert [(r["quoi"], r.get("organisation") or r.get("pour")) for r in rows] == [
        ("inscription", "Les Jardins"),
        ("invitation", "Ailleurs"),
    ]
    services.delete_account(user=camille.user, actor=camille.user)
    registration = Registration.objects.get(structure=structure)
    assert (registration.email, registration.last_name) == ("", "")
    assert list(Invitation.objects.values_list("email", flat=True)) == ["sacha@exemple.fr"]


# --- the page -------------------------------------------------------------------------------------


def test_the_page_says_what_is_kept_how_to_correct_and_shows_the_access_log(client):
    camille = person()
    SensitiveAccess.objects.create(
        convention=camille.convention, by_name="Claire Conseil", role="conseiller", reason="Suivi"
    )
    client.force_login(camille.user)
    page = client.get(MY_DATA).content.decode()
    assert "Télécharger mes données" in page
    assert reverse("accounts:profile") in page
    assert reverse("contacts:thread", args=[camille.request.public_id]) in page
    assert camille.convention.agency.contact_email in page
    assert camille.convention.reference in page
    assert "Claire Conseil" in page and "Suivi" in page
    assert "article 6-1 e du RGPD" in page
    assert "5 ans" in page


def test_the_page_needs_a_login(client):
    assert client.get(MY_DATA).status_code == 302


def test_the_account_page_and_the_menu_link_to_it(client):
    client.force_login(UserFactory())
    page = client.get(reverse("accounts:profile")).content.decode()
    assert page.count(f'href="{MY_DATA}"') == 2


# --- the export ---------------------------------------------------------------------------------


def test_asking_for_an_export_emails_a_single_use_link_and_keeps_only_its_hash(client, caplog):
    camille = person()
    client.force_login(camille.user)
    with caplog.at_level(logging.DEBUG):
        token = _ask_export(client, camille.user)
    export = DataExport.objects.get(user=camille.user)
    assert export.token_hash == selectors.token_hash(token) != token
    assert export.expires_at == export.created_at + services.EXPORT_LIFETIME
    assert token not in caplog.text
    email = OutboundEmail.objects.get(kind="privacy_export_link")
    assert email.is_sensitive and token not in email.subject


ASSESSMENT_PDF = b"%PDF-1.7\n% bilan de test\n"


def signed_assessment_pdf(convention) -> None:
    """The PDF of ``convention``'s signed assessment, as ``assessments.documents`` stores it."""
    assessment = Assessment.objects.create(
        convention=convention, filled_at=timezone.now(), cosigned_at=timezone.now()
    )
    document = AssessmentDocument(
        assessment=assessment,
        number=1,
        content_sha256="2" * 64,
        sha256="3" * 64,
        size=len(ASSESSMENT_PDF),
    )
    document.file.save("bilan.pdf", ContentFile(ASSESSMENT_PDF), save=False)
    document.save()


def test_the_link_downloads_a_zip_of_their_data_once(client):
    camille = person()
    other = person("dominique@exemple.fr")
    signed_assessment_pdf(camille.convention)
    signed_assessment_pdf(other.convention)
    client.force_login(camille.user)
    token = _ask_export(client, camille.user)

    page = client.get(DOWNLOAD, {"jeton": token})
    assert page.status_code == 200 and "Télécharger mes données (ZIP)" in page.content.decode()
    assert DataExport.objects.get().used_at is None  # opening the link uses nothing

    response = client.post(DOWNLOAD, {"jeton": token})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = _zip(response)
    names = set(archive.namelist())
    assert {"README.txt", "demandes.json", "conventions.json", "compte.json"} <= names
    requests = json.loads(archive.read("demandes.json"))
    assert [r["reference"] for r in requests] == [str(camille.request.public_id)]
    assert requests[0]["motivations"] == "Mes motivations."
    conventions = json.loads(archive.read("conventions.json"))
    assert [c["reference"] for c in conventions] == [camille.convention.reference]
    assert conventions[0]["debut"] == camille.convention.date_start.isoformat()
    assert archive.read(f"conventions/{camille.convention.reference}-v1.pdf") == PDF
    assert f"conventions/{other.convention.reference}-v1.pdf" not in names
    assert archive.read(f"bilans/{camille.convention.reference}-v1.pdf") == ASSESSMENT_PDF
    assert f"bilans/{other.convention.reference}-v1.pdf" not in names
    readme = archive.read("README.txt").decode("utf-8")
    assert "demandes.json" in readme and "conventions/" in readme and "bilans/" in readme
    assert DataExport.objects.get().used_at is not None

    again = client.post(DOWNLOAD, {"jeton": token})
    assert again.status_code == 410
    assert "Demander un nouveau lien" in again.content.decode()


def test_the_link_expires_after_24_hours(client):
    camille = person()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(camille.user)
        token = _ask_export(client, camille.user)
        traveller.shift(services.EXPORT_LIFETIME - timedelta(minutes=1))
        client.force_login(camille.user)  # a fresh login, a day later
        assert client.get(DOWNLOAD, {"jeton": token}).status_code == 200
        traveller.shift(timedelta(minutes=1))
        client.force_login(camille.user)
        expired = client.post(DOWNLOAD, {"jeton": token})
    assert expired.status_code == 410
    assert "Demander un nouveau lien" in expired.content.decode()
    assert DataExport.objects.get().used_at is None


def test_an_old_login_must_log_in_again_first(client):
    camille = person()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(camille.user)
        token = _ask_export(client, camille.user)
        traveller.shift(services.FRESH_LOGIN + timedelta(seconds=1))
        page = client.get(DOWNLOAD, {"jeton": token})
        assert page.status_code == 200
        assert "Reconnectez-vous" in page.content.decode()
        refused = client.post(DOWNLOAD, {"jeton": token})
        assert "Reconnectez-vous" in refused.content.decode()
        assert DataExport.objects.get().used_at is None
        # Logging in again (the token waited in the session) opens it.
        client.force_login(camille.user)
        response = client.post(DOWNLOAD)
    assert response["Content-Type"] == "application/zip"
    assert "README.txt" in _zip(response).namelist()


def test_logging_in_again_by_the_usual_link_comes_back_to_the_download(client):
    camille = person()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(camille.user)
        _ask_export(client, camille.user)
        token = _export_token(camille.user)
        traveller.shift(services.FRESH_LOGIN + timedelta(minutes=5))
        page = client.get(DOWNLOAD, {"jeton": token}).content.decode()
        assert 'name="next" value="/mes-donnees/telechargement/"' in page
        client.post("/compte/connexion/", {"email": camille.user.email, "next": DOWNLOAD})
        email = OutboundEmail.objects.filter(kind="login_link").latest("pk")
        link = next(word for word in email.text_body.split() if "/compte/connexion/lien/" in word)
        assert token not in email.text_body
        params = {key: values[0] for key, values in parse_qs(urlsplit(link).query).items()}
        back = client.post("/compte/connexion/lien/", params)
        assert back["Location"] == DOWNLOAD
        assert "Télécharger mes données (ZIP)" in client.get(DOWNLOAD).content.decode()
        response = client.post(DOWNLOAD)
    assert "README.txt" in _zip(response).namelist()


def test_someone_elses_link_is_not_found(client):
    camille = person()
    client.force_login(camille.user)
    token = _ask_export(client, camille.user)
    client.force_login(UserFactory())
    assert client.get(DOWNLOAD, {"jeton": token}).status_code == 404
    assert client.post(DOWNLOAD, {"jeton": token}).status_code == 404
    assert client.get(DOWNLOAD, {"jeton": "inventé"}).status_code == 404
    assert DataExport.objects.get().used_at is None


def test_a_visitor_is_sent_to_log_in_without_the_token_in_the_address(client):
    camille = person()
    client.force_login(camille.user)
    token = _ask_export(client, camille.user)
    client.logout()
    response = client.get(DOWNLOAD, {"jeton": token})
    assert response.status_code == 302
    assert token not in response["Location"]
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_export_only_holds_the_persons_pdfs():
    camille = person()
    validated_convention("someone@exemple.fr")
    documents = selectors.convention_documents(camille.user)
    assert [d.version.convention for d in documents] == [camille.convention]


def test_the_log_of_sensitive_openings_is_found_by_the_person_s_address_in_any_case():
    from immersio.conventions import services as convention_services
    from tests.conventions.builders import valid_convention
    from tests.conventions.lifecycle_helpers import sent_convention

    convention = sent_convention().refresh()  # the beneficiary is camille@exemple.fr
    convention_services.record_sensitive_access(
        convention=convention, actor=UserFactory(staff=True), role="staff", reason="Contrôle"
    )
    other = valid_convention(beneficiary_email="autre@exemple.fr")
    SensitiveAccess.objects.create(convention=other, by_name="X", role="r", reason="Autre")

    camille = UserFactory(email="Camille@Exemple.fr")
    assert [a.convention for a in selectors.sensitive_accesses(camille)] == [convention]
    assert not selectors.sensitive_accesses(UserFactory(email="personne@exemple.fr")).exists()
