"""One vocabulary per concept: one enum, one set of stored values (issue 9 item 6)."""

import importlib
import itertools
import pkgutil
import re
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.db import models

import immersio
from immersio.contacts.models import ContactRequest
from immersio.conventions.models import Convention
from immersio.core.vocabulary import (
    CANDIDATE_SITUATIONS,
    CONVENTION_SITUATIONS,
    ImmersionObject,
    Situation,
    situation_in_first_person,
)


def _every_choices_enum() -> set[type[models.Choices]]:
    for module in pkgutil.walk_packages(immersio.__path__, "immersio."):
        if ".migrations" in module.name or ".management" in module.name:
            continue
        importlib.import_module(module.name)
    found, todo = set(), [models.Choices]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("immersio.") and len(sub):
                found.add(sub)
    return found


def _name(enum) -> str:
    return f"{enum.__module__}.{enum.__qualname__}"


def test_no_two_enums_say_the_same_concept():
    enums = _every_choices_enum()
    assert ImmersionObject in enums and Situation in enums
    clashes = []
    for a, b in itertools.combinations(sorted(enums, key=_name), 2):
        same_values = {str(v) for v in a.values} - {""} == {str(v) for v in b.values} - {""}
        same_labels = {str(v) for v in a.labels} == {str(v) for v in b.labels}
        if same_values or same_labels:
            clashes.append((_name(a), _name(b)))
    assert clashes == []


def test_the_immersion_object_has_the_api_values():
    assert ImmersionObject.values == ["discover", "confirm", "recruit"]
    assert ImmersionObject.CONFIRM.in_sentence == "confirmer un projet professionnel"


def test_requests_and_conventions_share_the_situation_values():
    assert {value for value, _ in CANDIDATE_SITUATIONS} <= set(Situation.values)
    assert {value for value, _ in CONVENTION_SITUATIONS} == set(Situation.values) - {"ne_sais_pas"}
    assert situation_in_first_person("rsa") == "Je touche le RSA"
    assert situation_in_first_person("autre") == "Autre personne accompagnée"


def _migration(app: str, name: str):
    return import_module(f"immersio.{app}.migrations.{name}")


@pytest.mark.django_db
def test_requests_objects_move_from_french_to_the_shared_values():
    from tests.fixtures.contacts import ContactRequestFactory

    rows = {old: ContactRequestFactory() for old in ("decouvrir", "confirmer", "recrutement")}
    for old, row in rows.items():
        ContactRequest.objects.filter(pk=row.pk).update(objective=old)
    migration = _migration("contacts", "0005_one_vocabulary")
    migration.forwards(django_apps, None)
    stored = dict(ContactRequest.objects.values_list("pk", "objective"))
    assert [stored[rows[old].pk] for old in rows] == ["discover", "confirm", "recruit"]
    migration.backwards(django_apps, None)
    stored = dict(ContactRequest.objects.values_list("pk", "objective"))
    assert [stored[rows[old].pk] for old in rows] == list(rows)


@pytest.mark.django_db
def test_conventions_situations_move_to_the_detailed_values():
    old = [
        ("demandeur", ""),
        ("jeune", ""),
        ("salarie", ""),
        ("insertion", "siae"),
        ("insertion", "cui"),
        ("insertion", ""),
        ("esat", ""),
        ("autre", ""),
        ("", ""),
    ]
    made = [
        Convention.objects.create(beneficiary_situation=situation, contract_kind=kind)
        for situation, kind in old
    ]
    migration = _migration("conventions", "0004_one_situation_vocabulary")
    migration.forwards(django_apps, None)
    after = dict(Convention.objects.values_list("pk", "beneficiary_situation"))
    assert [after[c.pk] for c in made] == [
        "demandeur",
        "jeune_ml",
        "salarie",
        "siae",
        "cui",
        "cui",
        "esat_ea",
        "autre",
        "",
    ]
    assert set(after.values()) <= {"", *Situation.values}
    Convention.objects.filter(pk=made[0].pk).update(beneficiary_situation="rsa")
    migration.backwards(django_apps, None)
    back = dict(Convention.objects.values_list("pk", "beneficiary_situation"))
    assert [back[c.pk] for c in made] == [
        "autre",  # a detailed value without a coarse one
        "jeune",
        "salarie",
        "insertion",
        "insertion",
        "insertion",
        "esat",
        "autre",
        "",
    ]


STATUS_LITERAL = re.compile(r"""\bstatus\s*(?:==|!=|=)\s*["'][A-Za-z_]+["']""")


def test_no_status_is_compared_with_a_string():
    """Statuses are enum members, in Python and in templates (migrations excepted)."""
    root = Path(immersio.__file__).parent
    found = []
    for path in sorted([*root.rglob("*.py"), *root.rglob("*.html")]):
        if "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if STATUS_LITERAL.search(line) and "not reachable from Meta" not in line:
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert found == []
