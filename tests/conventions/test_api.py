"""POST /api/v1/conventions/check, mounted by tests/conventions/urls.py."""

import copy
import json
import logging

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from immersio.conventions.api import EXAMPLE

# ATOMIC_REQUESTS opens a transaction per request, hence the database.
pytestmark = [pytest.mark.urls("tests.conventions.urls"), pytest.mark.django_db]

URL = "/api/v1/conventions/check"


def post(client, payload, **extra):
    body = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
    return client.post(URL, body, content_type="application/json", **extra)


def payload(**changes):
    data = copy.deepcopy(EXAMPLE)
    data.update(changes)
    return data


def test_the_documented_example_is_valid(client):
    response = post(client, EXAMPLE)
    assert response.status_code == 200
    assert response.json() == {"valid": True, "violations": []}


def test_explicit_days(client):
    schedule = {
        "days": [
            {"date": "2026-03-09", "slots": [{"start": "07:00", "end": "12:00"}]},
            {
                "date": "2026-03-10",
                "slots": [{"start": "07:00", "end": "12:00"}, {"start": "13:00", "end": "18:15"}],
            },
        ]
    }
    response = post(client, payload(schedule=schedule))
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False
    [violation] = body["violations"]
    assert violation["field"] == "schedule.2026-03-10"
    assert violation["code"] == "day_too_long"
    assert violation["severity"] == "error"
    assert "10 h 15" in violation["message"]


def test_warning_keeps_the_convention_valid(client):
    schedule = {"days": [{"date": "2026-05-01", "slots": [{"start": "09:00", "end": "12:00"}]}]}
    response = post(
        client, payload(date_start="2026-04-27", date_end="2026-05-08", schedule=schedule)
    )
    body = response.json()
    assert body["valid"] is True
    assert [(v["code"], v["severity"]) for v in body["violations"]] == [
        ("public_holiday", "warning")
    ]


def test_minor_without_legal_representative(client):
    beneficiary = {"birth_date": "2009-06-14", "email": "camille@example.org"}
    body = post(client, payload(beneficiary=beneficiary)).json()
    assert {"legal_representative"} <= {v["field"] for v in body["violations"]}
    with_rep = payload(
        beneficiary=beneficiary, legal_representative={"email": "parent@example.net"}
    )
    assert post(client, with_rep).json() == {"valid": True, "violations": []}


def test_history_renewal_and_contract_are_passed_to_the_rules(client):
    data = payload(
        renewal={
            "parent_is_renewal": True,
            "parent_object": "discover",
            "parent_objectives": EXAMPLE["objectives"],
            "parent_objectives_not_met": True,
        },
        previous_conventions=[
            {
                "date_start": "2025-09-01",
                "date_end": "2025-09-30",
                "presence_days": 30,
                "object": "confirm",
                "objectives": ["Autre"],
            },
            {
                "date_start": "2025-10-01",
                "date_end": "2025-10-30",
                "presence_days": 25,
                "object": "confirm",
                "objectives": ["Autre"],
                "is_renewal": True,
            },
        ],
        current_employer={"email": "rh@example.net"},
    )
    data["beneficiary"] = {
        **EXAMPLE["beneficiary"],
        "insertion_contract": {"kind": "cui", "start": "2026-03-01", "end": "2026-03-31"},
        "other_immersions": [["2026-03-01", "2026-03-05"]],
    }
    codes = {v["code"] for v in post(client, data).json()["violations"]}
    assert codes == {
        "renewal_of_renewal",
        "too_many_days_12_months",
        "insertion_contract_share_exceeded",
    }


def _violation(response):
    assert response.status_code == 422
    body = response.json()
    assert body["valid"] is False
    assert body["violations"]
    for violation in body["violations"]:
        assert set(violation) == {"field", "code", "severity", "message"}
        assert violation["severity"] == "error"
    return body["violations"][0]


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"date_start": "2026-02-31"}, "date_start", "invalid_date"),
        ({"date_start": "09/03/2026"}, "date_start", "invalid_date"),
        ({"date_start": 20260309}, "date_start", "invalid_date"),
        ({"objectives": ["x" * 10_000]}, "objectives.0", "string_too_long"),
        ({"objectives": ""}, "objectives", "list_too_short"),
        ({"objectives": []}, "objectives", "list_too_short"),
        ({"objectives": [""]}, "objectives.0", "string_too_short"),
        ({"objectives": ["x"] * 6}, "objectives", "list_too_long"),
        ({"objectives": ["x" * 301]}, "objectives.0", "string_too_long"),
        ({"object": "travail"}, "object", "enum"),
        ({"unknown": 1}, "unknown", "extra_forbidden"),
        ({"tutor": {"email": "pas-une-adresse"}}, "tutor.email", "string_pattern_mismatch"),
        ({"schedule": {}}, "schedule", "schedule_form"),
    ],
)
def test_impossible_values_give_a_422_in_french(client, change, field, code):
    violation = _violation(post(client, payload(**change)))
    assert (violation["field"], violation["code"]) == (field, code)
    assert violation["message"][0].isupper()


@pytest.mark.parametrize("value", ["25:00", "12:60", "9:00", "12:00:00", "", None])
def test_impossible_times(client, value):
    schedule = {"days": [{"date": "2026-03-09", "slots": [{"start": value, "end": "12:00"}]}]}
    violation = _violation(post(client, payload(schedule=schedule)))
    assert violation["field"] == "schedule.days.0.slots.0.start"
    assert violation["code"] == "invalid_time"
    assert "HH:MM" in violation["message"]


def test_missing_fields(client):
    data = payload()
    del data["date_end"]
    del data["beneficiary"]["email"]
    response = post(client, data)
    fields = {(v["field"], v["code"], v["message"]) for v in response.json()["violations"]}
    assert response.status_code == 422
    assert fields == {
        ("date_end", "missing", "Champ obligatoire."),
        ("beneficiary.email", "missing", "Champ obligatoire."),
    }


def test_birth_date_in_the_future(client):
    data = payload(beneficiary={"birth_date": "2099-01-01", "email": "camille@example.org"})
    violation = _violation(post(client, data))
    assert (violation["field"], violation["code"]) == (
        "beneficiary.birth_date",
        "birth_date_in_future",
    )


@pytest.mark.parametrize("body", ["", "{", "[]", "null", '"texte"', "\xff"])
def test_invalid_json(client, body):
    violation = _violation(post(client, body))
    assert violation["field"] == "body"


def test_too_many_days_or_slots(client):
    day = {"date": "2026-03-09", "slots": [{"start": "09:00", "end": "10:00"}] * 7}
    violation = _violation(post(client, payload(schedule={"days": [day]})))
    assert (violation["field"], violation["code"]) == ("schedule.days.0.slots", "list_too_long")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_body_too_large(client):
    violation = _violation(post(client, payload(objectives=["x" * 250] * 5)))
    assert violation["code"] == "body_too_large"


def test_rate_limit_from_settings(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "convention_check_per_ip": (2, 60)}
    assert post(client, EXAMPLE).status_code == 200
    assert post(client, EXAMPLE).status_code == 200
    response = post(client, EXAMPLE)
    assert response.status_code == 429
    assert response.json() == {
        "detail": "Trop de vérifications depuis votre adresse : réessayez dans une minute."
    }
    assert response["Retry-After"] == "60"
    assert post(client, EXAMPLE, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_nothing_personal_is_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    secret = "secret.person@example.org"
    post(client, payload(beneficiary={"birth_date": "1987-11-23", "email": secret}))
    post(client, payload(beneficiary={"birth_date": "1987-11-23", "email": secret}, date_end="x"))
    logged = caplog.text + " ".join(str(r.__dict__) for r in caplog.records)
    assert secret not in logged
    assert "1987-11-23" not in logged


def test_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405


def test_openapi_documents_the_body_and_the_responses(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["post"]
    assert operation["tags"] == ["Conventions"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert "$ref" not in json.dumps(body)
    assert body["examples"] == [EXAMPLE]
    assert {"date_start", "date_end", "object", "beneficiary", "schedule"} <= set(body["required"])
    assert "Premier jour" in body["properties"]["date_start"]["description"]
    assert set(operation["responses"]) == {"200", "422", "429"}


def test_the_project_api_can_mount_the_same_router():
    from ninja import NinjaAPI

    other = NinjaAPI(urls_namespace="conventions_mount_check")
    other.add_router("/conventions/", "immersio.conventions.api.router")
    assert any("conventions/check" in str(p.pattern) for p in other.urls[0])


@pytest.mark.parametrize("value", ["1899-12-31", "2101-01-01", "0001-01-01", "9999-12-31"])
def test_dates_out_of_range(client, value):
    violation = _violation(post(client, payload(date_end=value)))
    assert (violation["field"], violation["code"]) == ("date_end", "date_out_of_range")


def test_weekly_pattern_over_a_long_period_is_refused_early(client):
    violation = _violation(post(client, payload(date_end="2099-12-31")))
    assert (violation["field"], violation["code"]) == ("date_end", "pattern_period_too_long")
    body = post(client, payload(date_end="2026-05-09")).json()  # 61 days: the rules answer
    assert "period_too_long" in {v["code"] for v in body["violations"]}


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(["2026-03-10", "2026-02-30", "23:59", "24:00", "monday", "cui", "recruit"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


PATHS = [path for path in _paths(EXAMPLE) if path]


@override_settings(RATE_LIMITS={"convention_check_per_ip": (10_000, 60)})
@given(st.sampled_from(PATHS), json_values | st.just("__delete__"))
@hypothesis_settings(
    max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
def test_never_a_500(client, path, value):
    data = copy.deepcopy(EXAMPLE)
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    if value == "__delete__":
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    response = post(client, data)
    assert response.status_code in {200, 422}
    body = response.json()
    assert set(body) == {"valid", "violations"}
    for violation in body["violations"]:
        assert violation["message"] and violation["field"] is not None


def test_unknown_object_lists_the_values_in_french(client):
    violation = _violation(post(client, payload(object="travail")))
    assert violation["message"] == (
        "Valeur inconnue ; valeurs possibles : 'discover', 'confirm' ou 'recruit'."
    )


def test_weekly_pattern_days_and_exceptions_are_unique(client):
    pattern = [{"weekday": "monday", "slots": []}, {"weekday": "monday", "slots": []}]
    violation = _violation(post(client, payload(schedule={"weekly_pattern": pattern})))
    assert (violation["field"], violation["code"]) == ("schedule", "schedule_form")
    twice = [{"date": "2026-03-10", "slots": []}] * 2
    schedule = {"weekly_pattern": EXAMPLE["schedule"]["weekly_pattern"], "exceptions": twice}
    violation = _violation(post(client, payload(schedule=schedule)))
    assert (violation["field"], violation["code"]) == ("schedule", "schedule_form")
    explicit = {"days": EXAMPLE["schedule"]["exceptions"], "exceptions": twice}
    assert _violation(post(client, payload(schedule=explicit)))["code"] == "schedule_form"


# --- issue 8: the rules of the law ------------------------------------------------------


def _codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {v["code"] for v in response.json()["violations"]}


def test_objectives_are_a_list_and_a_text_is_read_one_per_line(client):
    text = "- Découvrir les gestes du métier de boulanger\n\n- Évaluation par le tuteur"
    assert post(client, payload(objectives=text)).json() == {"valid": True, "violations": []}
    renewal = {
        "parent_is_renewal": False,
        "parent_object": "discover",
        "parent_objectives": [o.upper() for o in reversed(EXAMPLE["objectives"])],
        "parent_objectives_not_met": True,
    }
    assert _codes(post(client, payload(renewal=renewal))) == set()
    renewal["parent_objectives"] = ["DECOUVRIR LES GESTES DU METIER DE BOULANGER"]
    assert _codes(post(client, payload(renewal=renewal))) == {"renewal_objectives_changed"}


def test_same_objectives_in_another_order_and_case_are_the_same(client):
    past = {
        "date_start": "2025-09-01",
        "date_end": "2025-09-10",
        "presence_days": 8,
        "object": "discover",
        "objectives": [o.casefold() for o in reversed(EXAMPLE["objectives"])],
    }
    assert _codes(post(client, payload(previous_conventions=[past]))) == {
        "same_object_and_objectives"
    }
    past["object"] = "confirm"
    assert _codes(post(client, payload(previous_conventions=[past]))) == set()


def test_renewal_once_the_parent_already_renewed(client):
    renewal = {
        "parent_is_renewal": False,
        "parent_object": "discover",
        "parent_objectives": EXAMPLE["objectives"],
        "parent_objectives_not_met": True,
        "parent_already_renewed": True,
    }
    response = post(client, payload(renewal=renewal))
    [violation] = response.json()["violations"]
    assert (violation["field"], violation["code"]) == ("renewal", "already_renewed")
    del renewal["parent_already_renewed"]  # defaults to false
    assert _codes(post(client, payload(renewal=renewal))) == set()


def test_every_12_month_period_overlapping_the_convention(client):
    # This one runs 09/03–20/03/2026; the first ended on 15/03/2025, less than 12 months
    # before it starts.
    history = [
        {
            "date_start": "2025-03-03",
            "date_end": "2025-03-15",
            "presence_days": 10,
            "object": "confirm",
            "objectives": ["Confirmer le projet"],
        },
        {
            "date_start": "2025-09-01",
            "date_end": "2025-09-10",
            "presence_days": 8,
            "object": "recruit",
            "objectives": ["Recruter"],
        },
    ]
    response = post(client, payload(previous_conventions=history))
    assert _codes(response) == {"too_many_conventions_12_months"}
    assert "entre le 10/03/2025 et le 09/03/2026" in response.json()["violations"][0]["message"]


@pytest.mark.parametrize(
    ("beneficiary", "history", "field", "code"),
    [
        (
            {"other_immersions": [["2026-03-01", "2026-03-05"], ["2026-03-20", "2026-03-10"]]},
            [],
            "beneficiary.other_immersions.1.1",
            "end_before_start",
        ),
        (
            {"insertion_contract": {"kind": "cui", "start": "2026-06-01", "end": "2026-01-01"}},
            [],
            "beneficiary.insertion_contract.end",
            "end_before_start",
        ),
        (
            {},
            [{"date_start": "2025-09-10", "date_end": "2025-09-01", "presence_days": 5}],
            "previous_conventions.0.date_end",
            "end_before_start",
        ),
        (
            {},
            [{"date_start": "2025-09-01", "date_end": "2025-09-10", "presence_days": 11}],
            "previous_conventions.0.presence_days",
            "presence_days_exceed_period",
        ),
    ],
)
def test_impossible_history_is_a_422_naming_the_field(client, beneficiary, history, field, code):
    contract = {"insertion_contract": {"kind": "cui", "start": "2026-01-01", "end": "2026-12-31"}}
    data = payload(
        current_employer={"email": "rh@example.net"},
        previous_conventions=[
            {"object": "confirm", "objectives": ["Autre"], **entry} for entry in history
        ],
    )
    data["beneficiary"] = {**EXAMPLE["beneficiary"], **contract, **beneficiary}
    violation = _violation(post(client, data))
    assert (violation["field"], violation["code"]) == (field, code)
    assert violation["message"][0].isupper() and violation["message"].endswith(".")


def test_history_at_the_boundaries_is_possible(client):
    data = payload(
        previous_conventions=[
            {
                "date_start": "2025-09-01",
                "date_end": "2025-09-01",
                "presence_days": 1,
                "object": "confirm",
                "objectives": ["Autre"],
            }
        ]
    )
    data["beneficiary"] = {
        **EXAMPLE["beneficiary"],
        "insertion_contract": {"kind": "cui", "start": "2026-01-01", "end": "2026-12-31"},
        "other_immersions": [["2026-02-02", "2026-02-02"]],
    }
    data["current_employer"] = {"email": "rh@example.net"}
    assert post(client, data).json() == {"valid": True, "violations": []}


def test_openapi_documents_the_new_fields(client):
    schema = client.get("/api/v1/openapi.json").json()
    body = schema["paths"][URL]["post"]["requestBody"]["content"]["application/json"]["schema"]
    objectives = body["properties"]["objectives"]
    assert objectives["type"] == "array"
    assert (objectives["minItems"], objectives["maxItems"]) == (1, 5)
    assert objectives["items"]["maxLength"] == 300
    assert "par ligne" in objectives["description"]
    renewal = body["properties"]["renewal"]["anyOf"][0]["properties"]
    assert renewal["parent_already_renewed"]["type"] == "boolean"
    assert renewal["parent_objectives"]["type"] == "array"
    past = body["properties"]["previous_conventions"]["items"]["properties"]
    assert past["objectives"]["type"] == "array"
    assert "12 mois consécutifs" in body["properties"]["previous_conventions"]["description"]
