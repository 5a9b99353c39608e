"""Error pages, the staff area's door, production settings and error reporting
(issue 8, item 25)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_logged_in_person_without_staff_rights_gets_a_french_403_from_the_staff_area(client):
    client.force_login(UserFactory(email="camille@exemple.fr"))

    response = client.get("/gestion/", follow=True)

    assert response.status_code == 403
    assert len(response.redirect_chain) <= 1
    assert "Accès refusé" in response.text
    assert "réservé à l’équipe" in response.text
    assert "camille@exemple.fr" in response.text  # says which account is logged in


def test_staff_area_sends_anonymous_visitors_to_the_login_page_and_back(client):
    response = client.get("/gestion/", follow=True)
    assert response.redirect_chain[-1][0] == "/compte/connexion/?next=/gestion/"
    assert response.status_code == 200


def test_staff_area_opens_for_staff(client):
    client.force_login(UserFactory(staff=True, superuser=True))
    assert client.get("/gestion/").status_code == 200
    assert client.get("/gestion/login/")["Location"] == "/gestion/"


@override_settings(ALLOWED_HOSTS=["testserver"])
def test_bad_request_page_is_french(client):
    response = client.get("/", HTTP_HOST="ailleurs.example")
    assert response.status_code == 400
    assert "Requête invalide" in response.text
    assert '<html lang="fr">' in response.text


def test_permission_denied_page_is_french(rf):
    from django.contrib.auth.models import AnonymousUser

    from immersio.core.views import permission_denied

    request = rf.get("/quelque-part/")
    request.user = AnonymousUser()
    response = permission_denied(request)
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()
    assert "connectez-vous" in response.content.decode()


def test_csrf_failure_page_is_french_and_says_what_to_do():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/compte/connexion/", {"email": "ada@exemple.fr"})
    assert response.status_code == 403
    assert "Ce formulaire a expiré" in response.text
    assert "rechargez-la" in response.text
    assert "CSRF verification failed" not in response.text


def test_server_error_page_promises_nothing_without_error_reporting(rf, settings):
    from immersio.core.views import server_error

    settings.SENTRY_DSN = ""
    text = server_error(rf.get("/")).content.decode()
    assert "Une erreur s'est produite" in text
    assert "prévenue" not in text
    assert settings.HELP_EMAIL in text

    settings.SENTRY_DSN = "https://cle@sentry.example/1"
    assert "L’équipe est prévenue." in server_error(rf.get("/")).content.decode()


def test_every_page_sends_a_permissions_policy(client):
    for path in ["/", "/cette-page-n-existe-pas/", "/api/v1/openapi.json"]:
        policy = client.get(path)["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


# --- production settings ---------------------------------------------------------------------

GOOD_KEY = "k8#Zq2!vR9@mW4$xL7&nB1*pT6^yH3%cJ5(dF0)gS8_aE2+uQ9-iO4=lK7"


def _prod(**env):
    """Imports the production settings in a fresh interpreter, with only ``env``."""
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings.prod as s; print(s.SITE_URL)"],
        cwd=ROOT,
        env=base | {"IMMERSIO_VAR_DIR": django_settings.VAR_DIR.as_posix()} | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"IMMERSIO_SITE_URL": "https://immersio.example"}, "DJANGO_SECRET_KEY doit être défini"),
        (
            {"IMMERSIO_SITE_URL": "https://immersio.example", "DJANGO_SECRET_KEY": "secret"},
            "DJANGO_SECRET_KEY est trop faible",
        ),
        (
            {
                "IMMERSIO_SITE_URL": "https://immersio.example",
                "DJANGO_SECRET_KEY": "django-insecure-" + GOOD_KEY,
            },
            "DJANGO_SECRET_KEY est trop faible",
        ),
        (
            {"IMMERSIO_SITE_URL": "https://immersio.example", "DJANGO_SECRET_KEY": "a" * 60},
            "DJANGO_SECRET_KEY est trop faible",
        ),
        ({"DJANGO_SECRET_KEY": GOOD_KEY}, "IMMERSIO_SITE_URL doit être défini"),
        (
            {"DJANGO_SECRET_KEY": GOOD_KEY, "IMMERSIO_SITE_URL": "http://immersio.example"},
            "IMMERSIO_SITE_URL doit commencer par https://",
        ),
        (
            {"DJANGO_SECRET_KEY": GOOD_KEY, "IMMERSIO_SITE_URL": "https://immersio.example"},
            "IMMERSIO_SMS_PROVIDER doit être défini en production",
        ),
        (
            {
                "DJANGO_SECRET_KEY": GOOD_KEY,
                "IMMERSIO_SITE_URL": "https://immersio.example",
                "IMMERSIO_SMS_PROVIDER": "immersio.notifications.sms.MemorySmsProvider",
            },
            "le fournisseur des tests",
        ),
    ],
)
def test_production_settings_refuse_to_start_when_misconfigured(env, message):
    result = _prod(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_settings_start_when_configured():
    result = _prod(
        DJANGO_SECRET_KEY=GOOD_KEY,
        IMMERSIO_SITE_URL="https://immersio.example/",
        IMMERSIO_SMS_PROVIDER=django_settings.CONSOLE_SMS_PROVIDER,  # said explicitly
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://immersio.example"


# --- error reporting -------------------------------------------------------------------------


def test_error_reports_carry_no_personal_data(client, monkeypatch):
    import sentry_sdk
    from sentry_sdk.transport import Transport

    from immersio.core import sentry
    from immersio.core.views import HomeView

    sent = []

    class Capture(Transport):
        def capture_envelope(self, envelope):
            sent.extend(item.payload.json for item in envelope.items if item.payload.json)

    def broken(self, **kwargs):
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(HomeView, "get_context_data", broken)
    secret_email = "-".join(["camille", "secret"]) + "@exemple.fr"  # not in this source
    person = UserFactory(email=secret_email)
    client.force_login(person)
    client.raise_request_exception = False
    sentry.init("https://cle@sentry.example/1", transport=Capture)
    try:
        response = client.get(
            f"/?email={secret_email}", HTTP_X_FORWARDED_FOR=".".join(["203", "0", "113", "9"])
        )
        sentry_sdk.flush()
    finally:
        sentry_sdk.init()  # no DSN: reporting off again for the other tests

    assert response.status_code == 500
    events = [event for event in sent if event.get("exception")]
    assert events, sent
    report = json.dumps(events, ensure_ascii=False)
    assert "panne simulée" in report
    for secret in ["camille-secret", "203.0.113.9", "sessionid", f'"id": "{person.pk}"']:
        assert secret not in report
