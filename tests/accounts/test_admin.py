import pytest
from django.urls import reverse

from immersio.accounts.models import User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(superuser=True))
    return client


def test_people_are_listed_and_searched_by_email(staff_client):
    UserFactory(email="ada@exemple.fr")
    response = staff_client.get(reverse("admin:accounts_user_changelist"), {"q": "ada@"})
    assert response.status_code == 200
    assert "a•••@exemple.fr" in response.text  # found, shown masked (issue 11)
    assert "ada@exemple.fr" not in response.text


def test_staff_create_an_account_without_a_password(staff_client):
    response = staff_client.get(reverse("admin:accounts_user_add"))
    assert response.status_code == 200
    assert "sans mot de passe" in response.text

    response = staff_client.post(
        reverse("admin:accounts_user_add"),
        {"email": "Grace@Exemple.FR", "first_name": "Grace", "last_name": "Hopper", "phone": ""},
    )

    assert response.status_code == 302
    user = User.objects.get(email="grace@exemple.fr")
    assert not user.has_usable_password()
    assert not user.is_staff


def test_the_admin_refuses_an_address_already_taken(staff_client):
    UserFactory(email="ada@exemple.fr")
    response = staff_client.post(
        reverse("admin:accounts_user_add"), {"email": "ADA@exemple.fr", "phone": ""}
    )
    assert response.status_code == 200
    assert "Un compte existe déjà avec cette adresse e-mail." in response.text


def test_the_change_page_renders(staff_client):
    user = UserFactory(with_phone=True)
    response = staff_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert response.status_code == 200
    assert user.email in response.text


def test_staff_edit_a_person(staff_client):
    user = UserFactory(email="ada@exemple.fr")
    response = staff_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "email": "Ada.Lovelace@Exemple.fr",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "phone": "+33 6 12 34 56 78",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert (user.email, user.phone) == ("ada.lovelace@exemple.fr", "06 12 34 56 78")
