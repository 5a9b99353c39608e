import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from immersio.accounts.validators import normalize_french_phone
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
LOGOUT = reverse("accounts:logout")


def test_the_profile_needs_a_login(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={PROFILE}"


def test_the_profile_shows_the_address_and_a_form(client):
    user = UserFactory(email="ada@exemple.fr", first_name="Ada", last_name="Lovelace")
    client.force_login(user)

    response = client.get(PROFILE)

    assert response.status_code == 200
    html = response.text
    assert "<strong>ada@exemple.fr</strong>" in html
    assert 'value="Ada"' in html
    assert 'autocomplete="given-name"' in html
    assert 'autocomplete="family-name"' in html
    assert 'autocomplete="tel"' in html
    assert '<label class="form-label" for="id_phone">' in html
    assert "(facultatif)" in html


def test_editing_the_profile(client):
    user = UserFactory(anonymous_profile=True)
    client.force_login(user)

    response = client.post(
        PROFILE, {"first_name": " Ada ", "last_name": "Lovelace", "phone": "+33 (0)6.12.34.56.78"}
    )

    assert response.status_code == 302
    assert response["Location"] == PROFILE
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.phone) == ("Ada", "Lovelace", "06 12 34 56 78")
    assert "Vos informations ont été enregistrées." in client.get(PROFILE).text


def test_an_invalid_phone_is_explained_and_nothing_is_saved(client):
    user = UserFactory(first_name="Ada", with_phone=True)
    client.force_login(user)

    response = client.post(PROFILE, {"first_name": "Grace", "last_name": "", "phone": "12345"})

    assert response.status_code == 200
    html = response.text
    assert '<div class="invalid-feedback d-block" id="id_phone_error">' in html
    assert "Saisissez un numéro de téléphone français à 10 chiffres" in html
    assert 'aria-describedby="id_phone_helptext id_phone_error"' in html
    assert 'value="12345"' in html
    assert 'value="Grace"' in html
    user.refresh_from_db()
    assert (user.first_name, user.phone) == ("Ada", "06 12 34 56 78")


def test_too_long_names_are_refused(client):
    client.force_login(UserFactory())
    response = client.post(PROFILE, {"first_name": "A" * 151, "last_name": "", "phone": ""})
    assert response.status_code == 200
    assert "150 caractères au maximum." in response.text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ""),
        ("0612345678", "06 12 34 56 78"),
        ("06 12 34 56 78", "06 12 34 56 78"),
        ("06.12.34.56.78", "06 12 34 56 78"),
        ("06-12-34-56-78", "06 12 34 56 78"),
        ("+33612345678", "06 12 34 56 78"),
        ("+33 1 23 45 67 89", "01 23 45 67 89"),
        ("0033 6 12 34 56 78", "06 12 34 56 78"),
        ("+33 (0)6 12 34 56 78", "06 12 34 56 78"),
        ("+262 692 12 34 56", "06 92 12 34 56"),
        ("+590 590 12 34 56", "05 90 12 34 56"),
    ],
)
def test_french_phone_numbers_are_normalised(value, expected):
    assert normalize_french_phone(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "12345",
        "0012345678",
        "061234567",
        "06123456789",
        "+44 20 7946 0958",
        "06 12 ab 56 78",
        "+33",
    ],
)
def test_other_phone_numbers_are_refused(value):
    with pytest.raises(ValidationError) as error:
        normalize_french_phone(value)
    assert error.value.messages == [
        "Saisissez un numéro de téléphone français à 10 chiffres, par exemple 06 12 34 56 78 "
        "ou +33 6 12 34 56 78."
    ]


def test_logout_is_post_only(client):
    user = UserFactory()
    client.force_login(user)

    assert client.get(LOGOUT).status_code == 405
    assert client.session.get("_auth_user_id") == str(user.pk)

    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert "_auth_user_id" not in client.session
    assert "Vous êtes déconnecté." in client.get(response["Location"]).text
