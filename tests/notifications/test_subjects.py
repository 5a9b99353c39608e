"""No personal data in an e-mail subject (issue 11, item 6c): subjects travel in clear
between servers, show on lock screens and in shared inboxes. Every notification is
rendered with its preview example; no subject may hold the name, address or phone of a
person present at that moment (recipients, accounts, requests, conventions, signatories,
board posts). A structure, an agency, a métier or a reference is not a person."""

import re

import pytest
from django.apps import apps
from django.db import models

from immersio.core.fields import PhoneNumberField
from immersio.notifications.previews import build, notification_classes, rolled_back

pytestmark = pytest.mark.django_db

# The fields holding a person's name, wherever a model keeps one.
PERSON_NAME = re.compile(
    r"(^|_)(first|last)_name$|_rep_name$|^tutor_name$|^emergency_contact_name$"
    r"|^counsellor_name$|^(validator|pre_validated_by|by|author)_name$"
)
PERSON_NAME_FIELDS = {("conventions", "signatory", "name")}


def _is_personal(model, field) -> bool:
    if isinstance(field, models.EmailField | PhoneNumberField):
        return True
    if (model._meta.app_label, model._meta.model_name, field.name) in PERSON_NAME_FIELDS:
        return True
    return isinstance(field, models.CharField) and bool(PERSON_NAME.search(field.name))


def personal_values() -> set[str]:
    """Every name, address and phone of a person in the database now."""
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("immersio."):
            continue
        fields = [f.attname for f in model._meta.concrete_fields if _is_personal(model, f)]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            found.update(str(value).strip() for value in row if value and str(value).strip())
    return found


def leaks(subject: str, values: set[str]) -> list[str]:
    digits = re.sub(r"\D", "", subject)
    found = []
    for value in values:
        value_digits = re.sub(r"\D", "", value)
        if "@" in value:
            if value.lower() in subject.lower():
                found.append(value)
        elif len(value_digits) >= 8:
            if value_digits[-9:] in digits:
                found.append(value)
        elif len(value) >= 3 and re.search(rf"(?<!\w){re.escape(value)}(?!\w)", subject):
            found.append(value)
    return found


@pytest.mark.parametrize("cls", notification_classes(), ids=lambda cls: cls.kind)
def test_no_subject_names_a_person(cls):
    checked = 0
    with rolled_back():
        for notification in build(cls):
            for recipient in notification.get_recipients():
                email = notification.render(recipient)
                values = (personal_values() | {recipient.name, recipient.email}) - {""}
                assert recipient.email in values  # the check has something to look for
                assert leaks(email.subject, values) == [], email.subject
                checked += 1
    assert checked


def test_the_check_sees_a_name_an_address_and_a_phone():
    values = {"Camille", "Durand", "camille@exemple.fr", "06 12 34 56 78"}
    assert sorted(leaks("Nouvelle convention pour Camille Durand", values)) == [
        "Camille",
        "Durand",
    ]
    assert leaks("Message de CAMILLE@exemple.fr", values) == ["camille@exemple.fr"]
    assert leaks("Rappelez le 0612345678", values) == ["06 12 34 56 78"]
    assert leaks("Convention IMM-2026-000001 : Maraîcher / Maraîchère", values) == []
