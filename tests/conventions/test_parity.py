"""The form (through the service, history from the database) and the check API give the
same violations for the same data, including the cases of issue 8 (items 13–16)."""

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from immersio.conventions import rules, services
from immersio.conventions.models import Convention, Status
from immersio.core.actors import AUTOMATIC
from tests.accounts.factories import UserFactory
from tests.conventions.builders import another_draft, next_free_week, valid_convention

pytestmark = pytest.mark.django_db


def _period(start: date, end: date) -> list[str]:
    return [start.isoformat(), end.isoformat()]


def api_payload(data: rules.ConventionData) -> dict:
    """The check API's body for the plain data the service built from the database."""
    s = data.signatories
    payload = {
        "submitted_on": data.submitted_on.isoformat(),
        "date_start": data.date_start.isoformat(),
        "date_end": data.date_end.isoformat(),
        "object": str(data.object),
        "objectives": list(data.objectives),
        "beneficiary": {
            "birth_date": data.beneficiary_birth_date.isoformat(),
            "email": s.beneficiary,
            "is_employee": data.is_employee,
            "other_immersions": [_period(p.date_start, p.date_end) for p in data.other_immersions],
        },
        "host_representative": {"email": s.host_representative},
        "tutor": {"email": data.tutor_email},
        "schedule": {
            "days": [
                {
                    "date": day.day.isoformat(),
                    "slots": [
                        {"start": a.strftime("%H:%M"), "end": b.strftime("%H:%M")}
                        for a, b in day.slots
                    ],
                }
                for day in data.schedule.days
            ]
        },
        "previous_conventions": [
            {
                "date_start": c.date_start.isoformat(),
                "date_end": c.date_end.isoformat(),
                "presence_days": c.presence_days,
                "object": str(c.object),
                "objectives": list(c.objectives),
                "is_renewal": c.is_renewal,
            }
            for c in data.previous_conventions
        ],
    }
    if s.legal_representative:
        payload["legal_representative"] = {"email": s.legal_representative}
    if s.current_employer:
        payload["current_employer"] = {"email": s.current_employer}
    if data.insertion_contract:
        contract = data.insertion_contract
        payload["beneficiary"]["insertion_contract"] = {
            "kind": str(contract.kind),
            "start": contract.start.isoformat(),
            "end": contract.end.isoformat(),
        }
    if data.renewal:
        r = data.renewal
        payload["renewal"] = {
            "parent_is_renewal": r.parent_is_renewal,
            "parent_object": str(r.parent_object),
            "parent_objectives": list(r.parent_objectives),
            "parent_objectives_not_met": r.parent_objectives_not_met,
            "parent_already_renewed": r.parent_already_renewed,
        }
    return payload


def assert_same(client, convention: Convention) -> list[tuple[str, str]]:
    data = services.to_rule_data(convention)
    response = client.post(
        "/api/v1/conventions/check", json.dumps(api_payload(data)), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    from_api = [
        (v["field"], v["code"], v["severity"], v["message"]) for v in response.json()["violations"]
    ]
    from_form = [(v.field, v.code, v.severity, v.message) for v in services.violations(convention)]
    assert from_api == from_form
    return [(field, code) for field, code, _, _ in from_form]


def _sent(**changes) -> Convention:
    convention = valid_convention(appellation=None, **changes)
    Convention.objects.filter(pk=convention.pk).update(status=Status.TO_SIGN)
    convention.refresh_from_db()
    return convention


def test_objectives_in_another_order_case_and_accents(client):
    past = _sent(
        objectives="Découvrir les gestes du métier\nÉvaluation par le tuteur",
        date_start=timezone.localdate() - timedelta(days=120),
        date_end=timezone.localdate() - timedelta(days=116),
    )
    convention = valid_convention(
        structure=past.structure,
        objectives="- EVALUATION PAR LE TUTEUR.\n- decouvrir les gestes du metier",
    )
    assert assert_same(client, convention) == [("objectives", "same_object_and_objectives")]
    convention.objectives = "Découvrir les gestes du métier"
    convention.save()
    assert assert_same(client, convention) == []


def test_a_convention_ended_less_than_12_months_before_the_start(client):
    start = valid_convention().date_start
    first = _sent(
        objectives="Premier objectif",
        date_start=start - timedelta(days=362),
        date_end=start - timedelta(days=358),
    )
    _sent(
        structure=first.structure,
        objectives="Deuxième objectif",
        date_start=start - timedelta(days=100),
        date_end=start - timedelta(days=96),
    )
    convention = valid_convention(structure=first.structure)
    assert assert_same(client, convention) == [("date_start", "too_many_conventions_12_months")]


def test_minor_resting_on_sunday_and_monday(client):
    start = valid_convention().date_start  # a Monday
    convention = valid_convention(
        beneficiary_birth_date=start - timedelta(days=17 * 365),
        legal_rep_first_name="Dominique",
        legal_rep_last_name="Durand",
        legal_rep_email="parent@exemple.net",
        date_start=start + timedelta(days=1),
        date_end=start + timedelta(days=12),
        weekly_pattern={str(d): [["09:00", "12:00"], ["13:00", "16:00"]] for d in range(1, 6)},
    )
    found = assert_same(client, convention)
    assert "minor_weekly_rest" not in {code for _, code in found}


def test_renewal_of_an_original_already_renewed(client):
    original = _sent()
    renewal = services.start_renewal(parent=original, actor=AUTOMATIC)
    # The week after, or the next one without a public holiday (a week later than the
    # original on 1 December is Christmas week).
    ahead = (original.date_start - timezone.localdate()).days + 7
    renewal.date_start = next_free_week(after_days=ahead)
    renewal.date_end = renewal.date_start + (original.date_end - original.date_start)
    renewal.appellation = None
    renewal.save()
    assert assert_same(client, renewal) == [("renewal", "renewal_assessment_missing")]
    other = another_draft(original)
    Convention.objects.filter(pk=other.pk).update(status=Status.TO_SIGN)
    assert assert_same(client, renewal) == [
        ("renewal", "already_renewed"),
        ("renewal", "renewal_assessment_missing"),
    ]


def test_too_many_objectives_refused_by_both(client):
    convention = valid_convention(objectives="\n".join(f"Objectif {n}" for n in range(1, 7)))
    found = [(v.field, v.code) for v in services.violations(convention)]
    assert found == [("objectives", "too_many_objectives")]
    data = services.to_rule_data(convention)
    response = client.post(
        "/api/v1/conventions/check", json.dumps(api_payload(data)), content_type="application/json"
    )
    assert response.status_code == 422
    [violation] = response.json()["violations"]
    assert (violation["field"], violation["code"]) == ("objectives", "list_too_long")


def test_the_form_takes_one_objective_a_line_and_keeps_what_was_typed(client):
    convention = valid_convention()
    party = UserFactory()
    convention.participants.add(party)  # drafts open only to their parties (item 19)
    client.force_login(party)
    step = reverse(
        "conventions:step", kwargs={"token": convention.share_token, "step": "immersion"}
    )
    six = "\n".join(f"Objectif numéro {n}" for n in range(1, 7))
    data = {
        "object": "discover",
        "objectives": six,
        "appellation_text": "Maraîcher / Maraîchère",
        "tasks": "Récoltes.",
        "place_address": "1 rue des Jardins",
        "place_commune_text": "",
        "action": "suivant",
    }
    response = client.post(step, data)
    assert response.url == step  # a rule error: stays on the step
    page = client.get(step).content.decode()
    assert 'data-rule="too_many_objectives"' in page
    assert 'id="id_objectives_rules"' in page
    assert "Objectif numéro 6" in page  # nothing typed is lost
    assert "Un objectif par ligne" in page
    data["objectives"] = "\n".join(f"Objectif numéro {n}" for n in range(1, 6))
    response = client.post(step, data)
    assert response.url.endswith("/horaires/")
    convention.refresh_from_db()
    assert len(convention.objective_list()) == 5
