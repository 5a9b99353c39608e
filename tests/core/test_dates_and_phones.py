"""Issue 8, items 4 and 9: every date field has bounds for its purpose; every phone field
of every form and model runs the one French phone check."""

from datetime import timedelta

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from immersio.conventions import services as conventions
from immersio.core.fields import BIRTH, IMMERSION, BoundedDateField, PhoneField
from immersio.core.validators import PHONE_ERROR, normalize_french_phone
from tests.accounts.factories import UserFactory
from tests.agencies.test_views import _form as agency_form
from tests.conventions.test_views import beneficiary_post, schedule_post
from tests.structures.factories import HostStructureFactory, lyon

from .project_forms import form_id, project_form_classes, project_models

FORMS = project_form_classes()


def _fields(kind):
    return [
        pytest.param(cls, name, id=f"{form_id(cls)}.{name}")
        for cls in FORMS
        for name, field in cls.base_fields.items()
        if kind(name, field)
    ]


DATE_FIELDS = _fields(lambda name, field: isinstance(field, forms.DateField))
PHONE_FIELDS = _fields(lambda name, field: "phone" in name or "telephone" in name)


def test_the_walk_finds_the_forms_with_dates_and_phones():
    found = {(form_id(p.values[0]), p.values[1]) for p in DATE_FIELDS + PHONE_FIELDS}
    assert ("conventions.forms.BeneficiaryForm", "beneficiary_birth_date") in found
    assert ("conventions.forms.ScheduleForm", "date_start") in found
    assert ("structures.forms.PauseForm", "until") in found
    assert ("agencies.forms.RegistrationForm", "delegation_end_date") in found
    assert ("agencies.forms.RegistrationForm", "phone") in found
    assert ("conventions.forms.StructureForm", "tutor_phone") in found
    assert ("contacts.forms.ContactRequestForm", "phone") in found


@pytest.mark.parametrize(("form_class", "name"), DATE_FIELDS)
def test_every_date_field_has_bounds_for_its_purpose(form_class, name):
    field = form_class.base_fields[name]
    assert isinstance(field, BoundedDateField), (
        f"{form_id(form_class)}.{name} is a DateField without bounds: use one of the "
        "immersio.core.fields date fields (BirthDateField, ImmersionDateField…)."
    )
    for year in ("0001-01-01", "9999-12-31"):
        with pytest.raises(ValidationError) as error:
            field.clean(year)
        assert error.value.code in {"date_too_early", "date_too_late"}
        assert error.value.messages[0].endswith(".")  # a sentence written for people


def test_date_bounds_follow_the_purpose():
    today = timezone.localdate()
    BIRTH.check(today)
    with pytest.raises(ValidationError, match="dans le futur"):
        BIRTH.check(today + timedelta(days=1))
    with pytest.raises(ValidationError, match="à partir du 01/01/1900"):
        BIRTH.check(today.replace(year=1899))
    IMMERSION.check(today + timedelta(days=300))
    with pytest.raises(ValidationError, match="trop lointaine pour une immersion"):
        IMMERSION.check(today + timedelta(days=3 * 366))


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["0001", "9999"])
@pytest.mark.parametrize(
    ("step", "field"),
    [
        ("beneficiaire", "beneficiary_birth_date"),
        ("beneficiaire", "contract_start"),
        ("horaires", "date_start"),
        ("horaires", "date_end"),
    ],
)
def test_impossible_years_in_the_convention_form_get_a_field_error(client, year, step, field):
    author = UserFactory()
    client.force_login(author)  # drafts open only to their parties
    convention = conventions.start_draft(actor=author)
    if step == "beneficiaire":
        data = beneficiary_post(
            contract_kind="cui", contract_start="2026-01-05", contract_end="2026-12-31"
        )
    else:
        data = schedule_post(timezone.localdate() + timedelta(days=14))
    data[field] = f"{year}-06-14"
    url = reverse("conventions:step", kwargs={"token": convention.share_token, "step": step})
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert 'value="Camille"' in page or f'value="{year}-06-14"' in page  # nothing lost


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["0001", "9999"])
def test_impossible_years_in_the_pause_and_registration_forms(client, year):
    admin = UserFactory()
    structure = HostStructureFactory(admin=admin, with_site=True)
    client.force_login(admin)
    response = client.post(
        f"/structures/espace/{structure.public_id}/pause/", {"until": f"{year}-06-14"}
    )
    assert response.status_code == 200
    assert 'id="id_until_error"' in response.content.decode()

    lyon()
    data = agency_form(kind="structure-conventionnee", siae_kind="")
    data["delegation_end_date"] = f"{year}-06-14"
    response = client.post(reverse("agencies:register"), data)
    assert response.status_code == 200
    assert 'id="id_delegation_end_date_error"' in response.content.decode()


def test_the_date_input_carries_its_bounds():
    html = BoundedDateField.__subclasses__()[0](label="Date").widget.render("d", None)
    assert 'type="date"' in html and 'min="' in html and 'max="' in html


# Phones ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("form_class", "name"), PHONE_FIELDS)
def test_every_phone_field_of_every_form_refuses_letters(form_class, name):
    field = form_class.base_fields[name]
    with pytest.raises(ValidationError) as error:
        field.clean("abc")
    assert error.value.messages == [PHONE_ERROR]
    assert field.clean("+33 (0)6.12.34.56.78") == "06 12 34 56 78"


def _model_phone_fields():
    return [
        pytest.param(field, id=f"{model._meta.label}.{field.name}")
        for model in project_models()
        for field in model._meta.get_fields()
        if "phone" in field.name and hasattr(field, "formfield")
    ]


@pytest.mark.parametrize("field", _model_phone_fields())
def test_every_phone_field_of_every_model_refuses_letters(field):
    with pytest.raises(ValidationError) as error:
        field.clean("abc", None)
    assert PHONE_ERROR in error.value.messages
    assert isinstance(field.formfield(), PhoneField)


def test_the_model_walk_finds_the_phone_fields():
    names = {p.id for p in _model_phone_fields()}
    assert {"accounts.User.phone", "conventions.Convention.tutor_phone"} <= names
    assert "structures.HostStructure.contact_phone" in names


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("06 12 34 56 78", "06 12 34 56 78"),
        ("06.12.34.56.78", "06 12 34 56 78"),
        ("+33 6 12 34 56 78", "06 12 34 56 78"),
        ("0033612345678", "06 12 34 56 78"),
        ("0692 12 34 56", "06 92 12 34 56"),
        ("+262 692 12 34 56", "06 92 12 34 56"),
        ("+596 696 12 34 56", "06 96 12 34 56"),
        ("+594 694 12 34 56", "06 94 12 34 56"),
        ("+508 41 12 34", "+508 41 12 34"),
        ("+689 87 12 34 56", "+689 87 12 34 56"),
        ("+687 75.12.34", "+687 75 12 34"),
    ],
)
def test_french_and_overseas_numbers_are_accepted(value, expected):
    assert normalize_french_phone(value) == expected


@pytest.mark.parametrize("value", ["abc", "06 12 34 56 7a", "+689 87", "٠٦١٢٣٤٥٦٧٨", "+33 abc"])
def test_other_values_are_refused(value):
    with pytest.raises(ValidationError):
        normalize_french_phone(value)


@pytest.mark.django_db
def test_the_agency_registration_refuses_letters_as_a_phone(client):
    lyon()
    response = client.post(reverse("agencies:register"), agency_form(phone="abc"))
    assert response.status_code == 200
    assert PHONE_ERROR in response.content.decode().replace("&#x27;", "'")
