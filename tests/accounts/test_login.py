import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from immersio.accounts import services
from immersio.notifications.models import OutboundEmail
from tests.accounts.conftest import path_of, token_of, without_csrf
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
SENT = reverse("accounts:login_sent")
PROFILE = reverse("accounts:profile")


def is_logged_in(client, user=None) -> bool:
    user_id = client.session.get("_auth_user_id")
    return user_id is not None and (user is None or user_id == str(user.pk))


def test_login_page_is_an_accessible_french_form(client):
    response = client.get(LOGIN)

    assert response.status_code == 200
    html = response.text
    assert '<h1 class="mb-3">Se connecter</h1>' in html
    assert '<label class="form-label" for="id_email">' in html
    assert 'type="email"' in html
    assert 'autocomplete="email"' in html
    assert 'aria-describedby="id_email_helptext"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_end_to_end_login_with_a_link_received_by_real_smtp(client, mailbox):
    user = UserFactory(email="ada@exemple.fr", first_name="Ada")

    response = client.post(LOGIN, {"email": "  Ada@Exemple.FR "})
    assert response.status_code == 302
    assert response["Location"] == SENT
    assert "Vérifiez votre boîte e-mail" in client.get(SENT).text

    [message] = mailbox.deliver()
    assert message.to == ["ada@exemple.fr"]
    assert message.subject == "Votre lien de connexion à Immersio"
    link = path_of(message.first_url())
    assert link.startswith(reverse("accounts:magic_link") + "?jeton=")

    # Opening the link (as an e-mail scanner would) does not log in: it asks to confirm.
    page = client.get(link)
    assert page.status_code == 200
    assert "Me connecter" in page.text
    assert "ada@exemple.fr" in page.text
    assert page["Referrer-Policy"] == "same-origin"  # the token stays on the site
    assert not is_logged_in(client)

    token = token_of(link)
    response = client.post(reverse("accounts:magic_link"), {"jeton": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:mine")  # a candidate's own space
    assert is_logged_in(client, user)
    landing = client.get(response["Location"])
    assert landing.status_code == 200
    assert "Vous êtes connecté." in landing.text
    profile = client.get(PROFILE)
    assert profile.status_code == 200
    assert "ada@exemple.fr" in profile.text


def test_a_link_works_only_once(client, mailbox):
    UserFactory(email="ada@exemple.fr")
    client.post(LOGIN, {"email": "ada@exemple.fr"})
    link = mailbox.last_link()
    token = token_of(link)
    client.post(reverse("accounts:magic_link"), {"jeton": token})
    assert is_logged_in(client)

    other = Client()
    for response in [
        other.get(link),
        other.post(reverse("accounts:magic_link"), {"jeton": token}),
    ]:
        assert response.status_code == 410
        assert "Ce lien n'est plus valable" in response.text
        assert "Recevoir un nouveau lien" in response.text
    assert not is_logged_in(other)


def test_a_link_expires_after_15_minutes(client, mailbox, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    user = UserFactory(email="ada@exemple.fr")
    client.post(LOGIN, {"email": "ada@exemple.fr"})
    link = mailbox.last_link()
    token = token_of(link)

    time_machine.shift(timedelta(minutes=14, seconds=59))
    assert client.get(link).status_code == 200  # still valid

    time_machine.shift(timedelta(seconds=2))
    assert client.get(link).status_code == 410
    response = client.post(reverse("accounts:magic_link"), {"jeton": token})
    assert response.status_code == 410
    assert "Ce lien n'est plus valable" in response.text
    assert not is_logged_in(client, user)


@pytest.mark.parametrize("token", ["", "n-importe-quoi", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"])
def test_an_invalid_link_never_logs_in(client, token):
    UserFactory()
    response = client.post(reverse("accounts:magic_link"), {"jeton": token})
    assert response.status_code == 410
    assert not is_logged_in(client)


def test_the_link_goes_back_to_a_safe_next_page(client, mailbox):
    UserFactory(email="ada@exemple.fr")
    response = client.get(PROFILE)
    assert response["Location"] == f"{LOGIN}?next={PROFILE}"

    client.post(
        f"{LOGIN}?next=/plan-du-site/", {"email": "ada@exemple.fr", "next": "/plan-du-site/"}
    )
    link = mailbox.last_link()
    assert "next=%2Fplan-du-site%2F" in link
    page = client.get(link)
    assert '<input type="hidden" name="next" value="/plan-du-site/">' in page.text
    token = token_of(link)
    response = client.post(
        reverse("accounts:magic_link"), {"jeton": token, "next": "/plan-du-site/"}
    )
    assert response["Location"] == "/plan-du-site/"


@pytest.mark.parametrize(
    "next_url", ["https://pirate.example/", "//pirate.example/x", "javascript:alert(1)"]
)
def test_an_unsafe_next_page_is_ignored(client, mailbox, next_url):
    user = UserFactory(email="ada@exemple.fr")
    client.post(LOGIN, {"email": "ada@exemple.fr", "next": next_url})
    link = mailbox.last_link()
    assert "next=" not in link

    token = token_of(services.login_url(user))
    response = client.post(reverse("accounts:magic_link"), {"jeton": token, "next": next_url})
    assert response["Location"] == reverse("contacts:mine")


def test_same_answer_for_known_and_unknown_addresses(client):
    UserFactory(email="connue@exemple.fr")

    known = client.post(LOGIN, {"email": "connue@exemple.fr"}, follow=True)
    unknown = client.post(LOGIN, {"email": "inconnue@exemple.fr"}, follow=True)

    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain == [(SENT, 302)]
    assert [t.name for t in known.templates] == [t.name for t in unknown.templates]
    assert without_csrf(known.text) == without_csrf(unknown.text)
    # Both went through the outbox: a login link for one, a sign-up link for the other.
    assert sorted(OutboundEmail.objects.values_list("recipient", "kind")) == [
        ("connue@exemple.fr", "login_link"),
        ("inconnue@exemple.fr", "signup_link"),
    ]


def test_an_inactive_account_gets_the_same_answer_and_cannot_log_in(client):
    user = UserFactory(email="partie@exemple.fr", inactive=True)
    token = token_of(services.login_url(user))
    unknown = client.post(LOGIN, {"email": "inconnue@exemple.fr"}, follow=True)

    inactive = client.post(LOGIN, {"email": "partie@exemple.fr"}, follow=True)

    assert inactive.redirect_chain == unknown.redirect_chain
    assert without_csrf(inactive.text) == without_csrf(unknown.text)
    assert not OutboundEmail.objects.filter(recipient="partie@exemple.fr").exists()
    assert client.get(f"{reverse('accounts:magic_link')}?jeton={token}").status_code == 410
    assert client.post(reverse("accounts:magic_link"), {"jeton": token}).status_code == 410
    assert not is_logged_in(client)


def test_rate_limit_per_address(client, settings, caplog):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_link_per_email": (2, 900)}
    UserFactory(email="ada@exemple.fr")

    responses = []
    with caplog.at_level(logging.WARNING, logger="immersio.accounts"):
        for address in ["ada@exemple.fr", "ADA@exemple.fr", "ada@exemple.fr"]:
            responses.append(client.post(LOGIN, {"email": address}, follow=True))

    assert OutboundEmail.objects.count() == 2
    assert {without_csrf(r.text) for r in responses} == {without_csrf(responses[0].text)}
    assert "limite atteinte (login_link_per_email)" in caplog.text
    assert "ada@exemple.fr" not in caplog.text.lower()
    # Another address is not affected.
    client.post(LOGIN, {"email": "bob@exemple.fr"})
    assert OutboundEmail.objects.count() == 3


def test_rate_limit_per_ip(client, settings, caplog):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_link_per_ip": (3, 3600)}

    with caplog.at_level(logging.WARNING, logger="immersio.accounts"):
        for n in range(5):
            response = client.post(LOGIN, {"email": f"p{n}@exemple.fr"}, REMOTE_ADDR="192.0.2.7")
            assert response["Location"] == SENT

    assert OutboundEmail.objects.count() == 3
    assert caplog.text.count("limite atteinte (login_link_per_ip)") == 2
    client.post(LOGIN, {"email": "p9@exemple.fr"}, REMOTE_ADDR="192.0.2.8")
    assert OutboundEmail.objects.count() == 4


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Saisissez votre adresse e-mail."),
        ("   ", "Saisissez votre adresse e-mail."),
        ("ada@", "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."),
        ("ada exemple.fr", "Saisissez une adresse e-mail valide"),
        (
            "a" * 244 + "@exemple.fr",
            "Cette adresse e-mail est trop longue : 254 caractères au maximum "
            "(elle en compte 255).",
        ),
    ],
)
def test_invalid_addresses_are_explained_next_to_the_field(client, value, message):
    response = client.post(LOGIN, {"email": value})

    assert response.status_code == 200
    html = response.text
    assert "<title>" in html and "Erreur :" in html
    assert '<div class="invalid-feedback d-block" id="id_email_error">' in html
    assert message in html.replace("&#x27;", "'")
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert 'href="#id_email"' in html  # the error summary links to the field
    if value.strip():
        assert f'value="{value}"' in html  # what was typed is kept
    assert not OutboundEmail.objects.exists()


def test_the_form_needs_a_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"email": "ada@exemple.fr"})
    assert response.status_code == 403
    assert not OutboundEmail.objects.exists()


def test_a_logged_in_person_is_sent_to_their_own_space(client):
    client.force_login(UserFactory())
    assert client.get(LOGIN)["Location"] == reverse("contacts:mine")
