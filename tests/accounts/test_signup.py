from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from immersio.accounts import services
from immersio.accounts.models import User
from tests.accounts.conftest import path_of, token_of
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
SIGNUP = reverse("accounts:signup")


def _path(message):
    return path_of(message.first_url())


def test_an_unknown_address_receives_an_invitation_to_create_an_account(client, mailbox):
    client.post(LOGIN, {"email": "Nouvelle@Exemple.fr"})
    [message] = mailbox.deliver()

    assert message.to == ["nouvelle@exemple.fr"]
    assert message.subject == "Créez votre compte Immersio"
    assert "aucun compte n'y est encore associé" in message.text
    assert "Ce lien est valable 15 minutes." in message.text
    assert "aucun compte ne sera créé" in message.text
    assert "Ce message vous est envoyé une seule fois" in message.text
    assert "Créer mon compte</a>" in message.html
    assert _path(message).startswith(SIGNUP + "?jeton=")


def test_the_link_asks_for_confirmation_then_creates_the_account_and_logs_in(client, mailbox):
    client.post(LOGIN, {"email": "nouvelle@exemple.fr"})
    [message] = mailbox.deliver()
    link = _path(message)

    page = client.get(link)
    assert page.status_code == 200
    assert '<h1 class="mb-3">Créer mon compte</h1>' in page.text
    assert "nouvelle@exemple.fr" in page.text
    assert not User.objects.exists()  # never created on GET

    token = token_of(link)
    response = client.post(SIGNUP, {"jeton": token})

    user = User.objects.get()
    assert user.email == "nouvelle@exemple.fr"
    assert not user.has_usable_password()
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert "Votre compte est créé et vous êtes connecté." in client.get(response["Location"]).text


def test_a_used_signup_link_says_so_and_offers_a_login_link(client, mailbox):
    client.post(LOGIN, {"email": "nouvelle@exemple.fr"})
    [message] = mailbox.deliver()
    token = token_of(_path(message))
    client.post(SIGNUP, {"jeton": token})
    client.logout()

    for response in [client.get(f"{SIGNUP}?jeton={token}"), client.post(SIGNUP, {"jeton": token})]:
        assert response.status_code == 410
        assert "Ce lien a déjà été utilisé" in response.text
        assert "Recevoir un lien de connexion" in response.text
    assert User.objects.count() == 1
    assert "_auth_user_id" not in client.session


def test_a_signup_link_for_an_address_registered_meanwhile_is_used_up(client):
    token = signing.dumps({"email": "ada@exemple.fr", "next": ""}, salt=services.SIGNUP_SALT)
    UserFactory(email="ada@exemple.fr")

    response = client.post(SIGNUP, {"jeton": token})

    assert response.status_code == 410
    assert "Ce lien a déjà été utilisé" in response.text
    assert "_auth_user_id" not in client.session


def test_a_signup_link_expires_after_15_minutes(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    token = signing.dumps({"email": "ada@exemple.fr", "next": ""}, salt=services.SIGNUP_SALT)

    time_machine.shift(timedelta(minutes=15, seconds=1))
    for response in [client.get(f"{SIGNUP}?jeton={token}"), client.post(SIGNUP, {"jeton": token})]:
        assert response.status_code == 410
        assert "Ce lien n'est plus valable" in response.text
        assert "Recevoir un nouveau lien" in response.text
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "token",
    [
        "",
        "abc",
        signing.dumps({"email": "ada@exemple.fr"}, salt="autre-usage"),
        signing.dumps(["ada@exemple.fr"], salt=services.SIGNUP_SALT),
    ],
    # Signed values carry the time they were made: explicit ids keep the test's name the
    # same in every worker and in the snapshot report (pytest-xdist, syrupy).
    ids=["vide", "illisible", "autre-usage", "mauvaise-forme"],
)
def test_a_forged_signup_link_creates_nothing(client, token):
    response = client.post(SIGNUP, {"jeton": token})
    assert response.status_code == 410
    assert not User.objects.exists()


def test_a_login_link_cannot_be_used_to_sign_up(client):
    user = UserFactory()
    sesame_token = token_of(services.login_url(user))
    assert client.post(SIGNUP, {"jeton": sesame_token}).status_code == 410


def test_signup_keeps_the_safe_next_page(client, mailbox):
    client.post(f"{LOGIN}?next=/plan-du-site/", {"email": "n@exemple.fr", "next": "/plan-du-site/"})
    [message] = mailbox.deliver()
    token = token_of(_path(message))

    assert client.post(SIGNUP, {"jeton": token})["Location"] == "/plan-du-site/"
