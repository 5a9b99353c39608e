import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from immersio.conventions import rules, services
from immersio.conventions.models import Convention, Status
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.conventions.builders import next_free_week, valid_convention
from tests.fixtures.contacts import ContactRequestFactory
from tests.structures.factories import HostStructureFactory

pytestmark = pytest.mark.django_db


def url(convention, step):
    return reverse("conventions:step", kwargs={"token": convention.share_token, "step": step})


def beneficiary_post(**changes):
    data = {
        "beneficiary_first_name": "Camille",
        "beneficiary_last_name": "Durand",
        "beneficiary_birth_date": "1995-06-14",
        "beneficiary_email": "camille@exemple.fr",
        "beneficiary_phone": "",
        "beneficiary_address": "",
        "beneficiary_situation": "demandeur",
        "emergency_contact_name": "Dominique Durand",
        "emergency_contact_phone": "0611111111",
        "help_needed": "",
        "contract_kind": "",
        "action": "suivant",
    }
    data.update(changes)
    return data


def schedule_post(start, **changes):
    data = {
        "date_start": start.isoformat(),
        "date_end": (start + timedelta(days=4)).isoformat(),
        "exceptions": "",
        "action": "suivant",
    }
    for day in range(5):
        data |= {
            f"d{day}_s1_start": "08:00",
            f"d{day}_s1_end": "12:00",
            f"d{day}_s2_start": "13:00",
            f"d{day}_s2_end": "16:00",
        }
    data.update(changes)
    return data


def test_start_page_then_draft(client):
    response = client.get(reverse("conventions:new"))
    assert response.status_code == 200
    response = client.post(reverse("conventions:new"))
    convention = Convention.objects.get()
    assert response.url == url(convention, "beneficiaire")
    assert client.get(response.url).status_code == 200


def test_prefill_from_an_accepted_request_needs_access(client):
    request = ContactRequestFactory(answered=True)
    response = client.get(reverse("conventions:new"), {"demande": str(request.public_id)})
    assert response.status_code == 404
    client.force_login(request.candidate)
    response = client.post(reverse("conventions:new"), {"demande": str(request.public_id)})
    convention = Convention.objects.get()
    assert convention.contact_request == request
    page = client.get(response.url).content.decode()
    assert 'value="Camille"' in page


def test_prefill_from_a_structure(client):
    structure = HostStructureFactory(with_site=True)
    client.post(reverse("conventions:new"), {"structure": str(structure.public_id)})
    convention = Convention.objects.get()
    page = client.get(url(convention, "structure")).content.decode()
    assert structure.siret in page


def test_each_step_saves_and_the_convention_is_sent(client):
    structure = HostStructureFactory(with_site=True)
    agency = AgencyFactory()
    convention = services.start_draft(structure=structure)
    response = client.post(url(convention, "beneficiaire"), beneficiary_post())
    assert response.url == url(convention, "structure")
    response = client.post(
        url(convention, "structure"),
        {
            "host_siret": structure.siret,
            "host_name": structure.name,
            "host_rep_name": "Alex Martin",
            "host_rep_email": "direction@exemple.com",
            "tutor_name": "Sam Petit",
            "tutor_email": "tuteur@exemple.com",
            "replaces_no_job": "on",
            "action": "suivant",
        },
    )
    assert response.url == url(convention, "immersion")
    response = client.post(
        url(convention, "immersion"),
        {
            "object": "discover",
            "objectives": "Découvrir le métier ; bilan avec le tuteur.",
            "appellation_text": "Maraîcher / Maraîchère",
            "tasks": "Récoltes.",
            "place_address": "1 rue des Jardins",
            "place_commune_text": "69001 Lyon",
            "action": "suivant",
        },
    )
    assert response.url == url(convention, "horaires")
    response = client.post(url(convention, "horaires"), schedule_post(next_free_week()))
    assert response.url == url(convention, "prescripteur")
    page = client.get(url(convention, "prescripteur")).content.decode()
    assert agency.name in page
    assert "35 h" in client.get(url(convention, "horaires")).content.decode()
    response = client.post(
        url(convention, "prescripteur"),
        {"agency": str(agency.public_id), "counsellor_name": "Claude Bernard", "action": "suivant"},
    )
    assert response.url == url(convention, "recapitulatif")
    page = client.get(response.url).content.decode()
    assert "Envoyer la demande" in page
    response = client.post(url(convention, "recapitulatif"), {"action": "envoyer"})
    assert response.url == reverse("conventions:sent", kwargs={"token": convention.share_token})
    convention.refresh_from_db()
    assert convention.status == Status.SUBMITTED
    assert convention.appellation.label == "Maraîcher / Maraîchère"
    assert convention.place_commune.name == "Lyon"
    assert convention.total_minutes == 35 * 60
    # A sent convention is no longer editable through the link.
    assert client.get(url(convention, "beneficiaire")).url.endswith("/envoyee/")


@pytest.mark.parametrize(
    ("step", "data", "field", "message"),
    [
        (
            "beneficiaire",
            beneficiary_post(beneficiary_birth_date="2026-02-31"),
            "beneficiary_birth_date",
            "Date invalide",
        ),
        (
            "beneficiaire",
            beneficiary_post(beneficiary_birth_date="2099-01-01"),
            "beneficiary_birth_date",
            "dans le futur",
        ),
        (
            "beneficiaire",
            beneficiary_post(help_needed="x" * 10_000),
            "help_needed",
            "2000 caractères au maximum, le texte en compte 10000",
        ),
        ("structure", {"host_siret": "123", "action": "suivant"}, "host_siret", "14 chiffres"),
        ("horaires", None, "d0_s1_start", "Heure invalide"),
    ],
)
def test_impossible_values_get_a_french_message_and_keep_the_data(
    client, step, data, field, message
):
    convention = services.start_draft()
    if data is None:
        data = schedule_post(next_free_week(), d0_s1_start="25:00")
    response = client.post(url(convention, step), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'id="id_{field}_error"' in page
    assert "Le formulaire contient" in page
    if step == "beneficiaire":
        assert 'value="Camille"' in page  # what was typed is kept
    assert Convention.objects.get().beneficiary_first_name == ""


def test_rule_messages_are_shown_next_to_their_fields(client):
    convention = valid_convention(
        beneficiary_birth_date=timezone.localdate() - timedelta(days=17 * 365)
    )
    page = client.get(url(convention, "beneficiaire")).content.decode()
    assert 'id="id_legal_rep_email_rules"' in page
    assert 'data-rule="legal_representative_required"' in page
    assert "Le formulaire contient une erreur" in page
    recap = client.get(url(convention, "recapitulatif")).content.decode()
    assert "Envoyer la demande" not in recap
    assert "legal_representative_required" in recap
    response = client.post(url(convention, "recapitulatif"), {"action": "envoyer"})
    assert response.status_code == 200
    assert Convention.objects.get().status == Status.DRAFT


def test_saving_a_step_with_a_rule_error_stays_on_it(client):
    convention = valid_convention()
    start = next_free_week()
    response = client.post(
        url(convention, "horaires"), schedule_post(start, d0_s1_start="06:00", d0_s2_end="19:00")
    )
    assert response.url == url(convention, "horaires")
    page = client.get(response.url).content.decode()
    assert 'data-rule="day_too_long"' in page
    assert "Brouillon enregistré" in page


def test_warnings_are_shown_in_their_own_style(client):
    convention = valid_convention()
    # The same beneficiary already came to this structure: the duplicate is a warning.
    services.submit(
        convention=valid_convention(
            structure=convention.structure,
            object="confirm",
            objectives="Confirmer le projet ; bilan écrit.",
        )
    )
    violations = services.violations(convention)
    warnings = [v for v in violations if v.severity == rules.WARNING]
    assert warnings and rules.is_valid(violations)
    page = client.get(url(convention, "recapitulatif")).content.decode()
    assert "À vérifier :" in page
    assert "Envoyer la demande" in page


def test_the_link_is_shared_and_expires(client):
    convention = valid_convention()
    page = client.get(url(convention, "beneficiaire")).content.decode()
    assert convention.share_token in page
    other = client.__class__()
    other.force_login(UserFactory())
    assert other.get(url(convention, "structure")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        response = client.get(url(convention, "beneficiaire"))
    assert response.status_code == 410
    assert "expiré" in response.content.decode()
    bad = reverse("conventions:step", kwargs={"token": "inconnu", "step": "beneficiaire"})
    assert client.get(bad).status_code == 404


def test_agencies_filter_by_kind(client):
    convention = valid_convention()
    ml = AgencyFactory(kind="mission-locale", name="Mission locale de Lyon")
    page = client.get(url(convention, "prescripteur"), {"type": "mission-locale"}).content.decode()
    assert ml.name in page
    assert "France Travail agence" not in page.replace(convention.agency.name, "")


def _api_payload(convention) -> dict:
    names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    return {
        "submitted_on": timezone.localdate().isoformat(),
        "date_start": convention.date_start.isoformat(),
        "date_end": convention.date_end.isoformat(),
        "object": convention.object,
        "objectives": convention.objectives,
        "beneficiary": {
            "birth_date": convention.beneficiary_birth_date.isoformat(),
            "email": convention.beneficiary_email,
        },
        "host_representative": {"email": convention.host_rep_email},
        "tutor": {"email": convention.tutor_email},
        "schedule": {
            "weekly_pattern": [
                {"weekday": names[int(day)], "slots": [{"start": a, "end": b} for a, b in slots]}
                for day, slots in convention.weekly_pattern.items()
            ],
            "exceptions": [
                {"date": day, "slots": [{"start": a, "end": b} for a, b in slots]}
                for day, slots in convention.schedule_exceptions.items()
            ],
        },
    }


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {
            "weekly_pattern": {
                "0": [["06:00", "12:00"], ["13:00", "19:00"]],
                "5": [["08:00", "20:00"]],
            }
        },
        {"beneficiary_birth_date": None},
        {"tutor_email": "camille@exemple.fr"},
        {"schedule_exceptions": {"2020-01-01": [["08:00", "09:00"]]}},
    ],
)
def test_form_and_api_report_the_same_violations(client, changes):
    birth = changes.pop("beneficiary_birth_date", "adult")
    convention = valid_convention(**changes)
    if birth is None:
        convention.beneficiary_birth_date = timezone.localdate() - timedelta(days=15 * 365)
        convention.save()
    response = client.post(
        "/api/v1/conventions/check",
        json.dumps(_api_payload(convention)),
        content_type="application/json",
    )
    assert response.status_code == 200
    from_api = [
        (v["field"], v["code"], v["severity"], v["message"]) for v in response.json()["violations"]
    ]
    from_form = [(v.field, v.code, v.severity, v.message) for v in services.violations(convention)]
    assert from_api == from_form
    page = client.get(url(convention, "recapitulatif")).content.decode()
    for _, code, _, _ in from_form:
        assert f'data-rule="{code}"' in page
    assert len(re.findall(r'data-rule="(?!required)', page)) >= len(from_form)


def test_required_fields_get_their_message(client):
    convention = services.start_draft()
    response = client.post(url(convention, "structure"), {"action": "suivant"})
    page = response.content.decode()
    assert "Indiquez le SIRET de la structure d&#x27;accueil." in page
    assert 'id="id_replaces_no_job_error"' in page


def test_a_minor_needs_a_legal_representative(client):
    birth = timezone.localdate() - timedelta(days=17 * 365)
    convention = valid_convention(beneficiary_birth_date=birth)
    assert "Envoyer la demande" not in client.get(url(convention, "recapitulatif")).content.decode()
    response = client.post(
        url(convention, "beneficiaire"),
        beneficiary_post(
            beneficiary_birth_date=birth.isoformat(),
            legal_rep_first_name="Dominique",
            legal_rep_last_name="Durand",
            legal_rep_email="parent@exemple.net",
            legal_rep_relationship="Mère",
        ),
    )
    assert response.url == url(convention, "structure")
    response = client.post(url(convention, "recapitulatif"), {"action": "envoyer"})
    assert response.status_code == 302
    convention.refresh_from_db()
    assert convention.status == Status.SUBMITTED
    assert convention.legal_rep_email == "parent@exemple.net"


def test_an_employee_needs_the_employer_signatory(client):
    convention = valid_convention()
    start = convention.date_start
    data = beneficiary_post(
        is_employee="on",
        employer_name="Chantier d'insertion",
        contract_kind="siae",
        contract_start=(start - timedelta(days=200)).isoformat(),
        contract_end=(start + timedelta(days=200)).isoformat(),
    )
    response = client.post(url(convention, "beneficiaire"), data)
    assert response.url == url(convention, "beneficiaire")  # a rule error: stays on the step
    page = client.get(response.url).content.decode()
    assert 'id="id_employer_rep_email_rules"' in page
    data["employer_rep_name"] = "Lou Garnier"
    data["employer_rep_email"] = "rh@chantier.fr"
    response = client.post(url(convention, "beneficiaire"), data)
    assert response.url == url(convention, "structure")
    client.post(url(convention, "recapitulatif"), {"action": "envoyer"})
    convention.refresh_from_db()
    assert convention.status == Status.SUBMITTED
    data = services.to_rule_data(convention)
    assert data.insertion_contract.kind == rules.ContractKind.SIAE
    assert data.signatories.current_employer == "rh@chantier.fr"
