"""The sensitive fields of a convention (RQTH, RSA, help needed, emergency contact) are
shown to its parties and its agency only; every opening by the agency (once a day) or the
Immersio team (after giving a reason) is logged (issue 11, item 5)."""

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from immersio.conventions import links, selectors, services
from immersio.conventions.models import SensitiveAccess
from immersio.conventions.transitions import Role
from immersio.conventions.views import review
from immersio.core.actors import TASK
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.conventions.builders import valid_convention
from tests.conventions.lifecycle_helpers import sent_convention
from tests.structures.factories import MembershipFactory

pytestmark = pytest.mark.django_db

EMERGENCY = "Dominique Durand"  # builders.valid_convention
HIDDEN = "Information réservée aux signataires et à la structure d'accompagnement"


def detail(convention) -> str:
    return reverse("conventions:review", kwargs={"public_id": convention.public_id})


def sensitive_url(convention) -> str:
    return reverse("conventions:review_sensitive", kwargs={"public_id": convention.public_id})


def sensitive_block(page: str) -> str:
    match = re.search(r'id="donnees-sensibles">(.*?)</span>', page, re.S)
    assert match is not None, "pas de bloc des données sensibles"
    return match.group(1)


# --- who may see them -------------------------------------------------------------------------


def test_the_one_rule_names_each_viewer():
    sent = sent_convention(
        legal_rep_first_name="Maud",
        legal_rep_last_name="Durand",
        legal_rep_email="maud@exemple.fr",
    )
    convention = sent.refresh()
    structure_member = UserFactory()
    MembershipFactory(structure=convention.structure, user=structure_member)
    other_agency = UserFactory()
    AgencyFactory(validator=other_agency)

    def access(viewer):
        return selectors.sensitive_access(viewer, convention)

    assert access(UserFactory(email="camille@exemple.fr")) == "person"
    assert access(UserFactory(email="Maud@Exemple.fr")) == "person"
    assert access(UserFactory(email="direction@exemple.com")) == "party"
    assert access(UserFactory(email="tuteur@exemple.com")) == "party"
    assert access(sent.counsellor) == "agency"
    assert access(sent.validator) == "agency"
    assert access(UserFactory(staff=True)) == "staff"
    assert access(structure_member) is None  # in the host team, not a party
    assert access(other_agency) is None
    assert access(UserFactory()) is None
    assert access(None) is None
    assert access(sent.signatory(Role.BENEFICIARY)) == "person"
    assert access(sent.signatory(Role.HOST_REPRESENTATIVE)) == "party"
    # A signatory of another convention is nobody here.
    assert access(sent_convention().signatory(Role.BENEFICIARY)) is None


def test_every_signatory_s_link_shows_them_without_a_log_line(client):
    sent = sent_convention(
        beneficiary_birth_date=timezone.localdate() - timedelta(days=16 * 365 + 30),
        legal_rep_first_name="Jo",
        legal_rep_last_name="Durand",
        legal_rep_email="parent@exemple.fr",
        is_employee=True,
        employer_name="Boulangerie Dupain",
        employer_siret="73282932000074",
        employer_rep_name="Michel Dupain",
        employer_rep_email="employeur@exemple.fr",
        help_needed="Un fauteuil adapté",
    )
    signatories = list(sent.convention.signatories.all())
    assert {s.role for s in signatories} == {
        Role.BENEFICIARY,
        Role.LEGAL_REPRESENTATIVE,
        Role.CURRENT_EMPLOYER,
        Role.HOST_REPRESENTATIVE,
    }

    for signatory in signatories:
        token = links.token_for(str(signatory.public_id), sent.convention.version)
        page = client.get(reverse("conventions:sign") + f"?jeton={token}").text
        block = sensitive_block(page)
        assert EMERGENCY in block, signatory.role
        assert "fauteuil" in block, signatory.role

    assert not SensitiveAccess.objects.exists()


def test_a_structure_member_who_is_not_a_party_reads_the_draft_without_them(client):
    convention = valid_convention(
        help_needed="Un fauteuil adapté", beneficiary_rqth=True, created_by=UserFactory()
    )
    member = UserFactory()
    MembershipFactory(structure=convention.structure, user=member)
    client.force_login(member)
    url = reverse(
        "conventions:step", kwargs={"token": convention.share_token, "step": "recapitulatif"}
    )

    page = client.get(url).text

    assert HIDDEN in page
    assert EMERGENCY not in page
    assert "fauteuil" not in page
    # The beneficiary's own account (invited to the draft) sees them on the same page.
    beneficiary = UserFactory(email="camille@exemple.fr")
    convention.participants.add(beneficiary)
    client.force_login(beneficiary)
    block = sensitive_block(client.get(url).text)
    assert EMERGENCY in block
    assert "fauteuil" in block
    assert "RQTH) : oui" in block
    assert not SensitiveAccess.objects.exists()


def test_a_structure_member_who_is_not_a_party_fills_the_draft_without_them(client):
    convention = valid_convention(help_needed="Un fauteuil adapté", created_by=UserFactory())
    member = UserFactory()
    MembershipFactory(structure=convention.structure, user=member)
    client.force_login(member)
    url = reverse(
        "conventions:step", kwargs={"token": convention.share_token, "step": "beneficiaire"}
    )

    page = client.get(url).text
    posted = client.post(
        url,
        {
            "action": "enregistrer",
            "beneficiary_first_name": "Camille",
            "beneficiary_last_name": "Durand-Petit",
            "beneficiary_email": "camille@exemple.fr",
            "beneficiary_phone": "0600000000",
            "emergency_contact_name": "Quelqu'un d'autre",
        },
    )

    assert EMERGENCY not in page
    assert "fauteuil" not in page
    assert "1995-06-14" not in page
    assert 'name="emergency_contact_name"' not in page
    assert HIDDEN in page
    assert posted.status_code == 302
    convention.refresh_from_db()
    assert convention.beneficiary_last_name == "Durand-Petit"  # what they may change is saved
    assert convention.emergency_contact_name == EMERGENCY  # the rest is kept as it was
    assert convention.help_needed == "Un fauteuil adapté"
    assert convention.beneficiary_birth_date.isoformat() == "1995-06-14"


# --- the agency ---------------------------------------------------------------------------


def test_the_agency_sees_them_and_its_openings_are_logged_once_a_day(client):
    sent = sent_convention(help_needed="Un fauteuil adapté")
    convention = sent.refresh()
    client.force_login(sent.counsellor)
    morning = timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))

    with time_machine.travel(morning + timedelta(hours=9), tick=False):
        first = client.get(detail(convention)).text
        client.get(detail(convention))
    with time_machine.travel(morning + timedelta(hours=23, minutes=59), tick=False):
        client.get(detail(convention))
    with time_machine.travel(morning + timedelta(days=1, hours=8), tick=False):
        client.get(detail(convention))

    assert EMERGENCY in sensitive_block(first)
    assert "fauteuil" in sensitive_block(first)
    rows = list(selectors.access_log_for(convention).order_by("at"))
    assert [row.at for row in rows] == [
        morning + timedelta(hours=9),
        morning + timedelta(days=1, hours=8),
    ]
    assert {(r.by, r.by_name, r.role, r.reason) for r in rows} == {
        (
            sent.counsellor,
            "Claire Conseil",
            "Structure d'accompagnement",
            "Suivi de la convention par la structure d'accompagnement",
        )
    }
    # Another counsellor's opening is their own line.
    client.force_login(sent.validator)
    client.get(detail(convention))
    assert selectors.access_log_for(convention).filter(by=sent.validator).count() == 1


def test_the_agency_s_pdf_download_is_logged_too(client, monkeypatch):
    sent = sent_convention()
    convention = sent.refresh()
    convention.status = "validee"
    convention.save(update_fields=["status"])
    served = []
    # The PDF itself is tested in test_pdf: here, who gets it and what is logged.
    monkeypatch.setattr(review, "pdf_response", lambda c: served.append(c) or HttpResponse("PDF"))
    client.force_login(sent.validator)

    response = client.get(
        reverse("conventions:review_pdf", kwargs={"public_id": convention.public_id})
    )

    assert response.text == "PDF"
    assert served == [convention]
    assert selectors.access_log_for(convention).get().by == sent.validator


# --- the Immersio team --------------------------------------------------------------------


def test_the_team_gives_a_reason_first_then_sees_them_once_and_each_opening_is_logged(client):
    sent = sent_convention()
    convention = sent.refresh()
    staff = UserFactory(staff=True, first_name="Sacha", last_name="Support")
    client.force_login(staff)

    page = client.get(detail(convention)).text
    assert HIDDEN in page
    assert EMERGENCY not in page
    assert "Pourquoi consultez-vous ces informations ?" in page
    assert not SensitiveAccess.objects.exists()

    empty = client.post(sensitive_url(convention), {"motif-reason": "   "})
    assert empty.status_code == 400
    assert EMERGENCY not in empty.text
    assert "Indiquez pourquoi vous consultez ces informations." in empty.text
    assert not SensitiveAccess.objects.exists()

    shown = client.post(sensitive_url(convention), {"motif-reason": "Ticket 4521 du conseiller"})
    assert shown.status_code == 200
    assert EMERGENCY in sensitive_block(shown.text)
    [row] = selectors.access_log_for(convention)
    assert (row.by, row.by_name, row.role, row.reason) == (
        staff,
        "Sacha Support",
        "Équipe Immersio",
        "Ticket 4521 du conseiller",
    )
    # For that page view only: the next one asks again, and each opening is a line.
    assert EMERGENCY not in client.get(detail(convention)).text
    client.post(sensitive_url(convention), {"motif-reason": "Même ticket, relecture"})
    assert selectors.access_log_for(convention).count() == 2


def test_the_team_gets_the_pdf_only_after_a_reason(client, monkeypatch):
    convention = sent_convention().refresh()
    convention.status = "validee"
    convention.save(update_fields=["status"])
    monkeypatch.setattr(review, "pdf_response", lambda c: HttpResponse("PDF"))
    client.force_login(UserFactory(staff=True))

    response = client.get(
        reverse("conventions:review_pdf", kwargs={"public_id": convention.public_id})
    )

    assert response.status_code == 302
    assert response.url == detail(convention) + "#donnees-sensibles"
    assert not SensitiveAccess.objects.exists()
    assert "Télécharger le PDF" in client.get(detail(convention)).text  # the form's button
    posted = client.post(sensitive_url(convention), {"motif-reason": "Litige", "suite": "pdf"})
    assert posted.text == "PDF"
    assert selectors.access_log_for(convention).get().reason == "Litige"


def test_others_get_404_and_cannot_write_the_log(client):
    convention = sent_convention().refresh()
    stranger = UserFactory()
    AgencyFactory(validator=stranger)
    client.force_login(stranger)

    assert client.post(sensitive_url(convention), {"motif-reason": "Curiosité"}).status_code == 404
    client.force_login(UserFactory(email="camille@exemple.fr"))  # the person: not the team
    assert client.post(sensitive_url(convention), {"motif-reason": "Moi"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.record_sensitive_access(
            convention=convention, actor=stranger, role="agency", reason="Suivi"
        )
    with pytest.raises(PermissionDenied):
        services.record_sensitive_access(
            convention=convention, actor=TASK, role="staff", reason="Tâche"
        )
    assert not SensitiveAccess.objects.exists()


# --- the back office ------------------------------------------------------------------------


def test_the_admin_hides_them_until_a_reason_is_given(client):
    convention = valid_convention(help_needed="Un fauteuil adapté")
    staff = UserFactory(superuser=True)
    client.force_login(staff)
    change = client.get(f"/gestion/conventions/convention/{convention.pk}/change/").text
    url = f"/gestion/conventions/convention/{convention.pk}/donnees-sensibles/"

    assert EMERGENCY not in change
    assert "fauteuil" not in change
    assert url in change
    asked = client.get(url).text
    assert "Pourquoi consultez-vous ces informations ?" in asked
    assert EMERGENCY not in asked
    assert EMERGENCY not in client.post(url, {"motif-reason": ""}).text
    assert not SensitiveAccess.objects.exists()

    shown = client.post(url, {"motif-reason": "Demande de la DGEFP, contrôle"}).text

    assert EMERGENCY in shown
    assert "fauteuil" in shown
    row = selectors.access_log_for(convention).get()
    assert (row.by, row.role, row.reason) == (
        staff,
        "Équipe Immersio",
        "Demande de la DGEFP, contrôle",
    )
