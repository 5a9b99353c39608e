"""Account services refusing an unauthorised actor (run by tests/core/test_service_actors)."""

from datetime import timedelta

from django.core import signing

from immersio.accounts import services
from immersio.core.actors import AUTOMATIC, TASK, VISITOR
from tests.accounts.factories import UserFactory
from tests.core.service_case import Case


def _login_link_by_a_task():
    # Open to anyone, through a form: never asked by the platform on its own.
    return {"email": "camille@exemple.fr", "ip": "203.0.113.7"}, TASK


def _signup_by_a_task():
    token = signing.dumps({"email": "nouvelle@exemple.fr", "next": ""}, salt=services.SIGNUP_SALT)
    return {"token": token}, TASK


def _profile_by_someone_else():
    owner = UserFactory()
    return {
        "user": owner,
        "first_name": "Autre",
        "last_name": "Nom",
        "phone": "0600000000",
    }, UserFactory()


def _code_issued_by_a_visitor():
    # A public form must never mint codes (nor send the SMS that carry them).
    return {
        "purpose": "signature",
        "subject": "signatory:1",
        "channel": "sms",
        "sent_to": "06 12 34 56 78",
        "lifetime": timedelta(minutes=10),
    }, VISITOR


def _code_checked_by_a_task():
    services.issue_code(
        purpose="signature",
        subject="signatory:1",
        channel="email",
        sent_to="camille@exemple.fr",
        lifetime=timedelta(minutes=10),
        actor=AUTOMATIC,
    )
    return {"purpose": "signature", "subject": "signatory:1", "code": "000000"}, TASK


CASES = [
    Case("immersio.accounts.services.request_login_link", build=_login_link_by_a_task),
    Case("immersio.accounts.services.create_account_from_signup", build=_signup_by_a_task),
    Case("immersio.accounts.services.update_profile", build=_profile_by_someone_else),
    Case("immersio.accounts.services.issue_code", build=_code_issued_by_a_visitor),
    Case("immersio.accounts.services.check_code", build=_code_checked_by_a_task),
]

READ_ONLY = {
    "immersio.accounts.services.normalize_email": "normalises a string",
    "immersio.accounts.services.login_url": "describes a link built when the e-mail leaves",
    "immersio.accounts.services.build_login_url": "builds a URL with a django-sesame token",
    "immersio.accounts.services.signup_url": "describes a link built when the e-mail leaves",
    "immersio.accounts.services.build_signup_url": "builds a URL with a signed token",
    "immersio.accounts.services.read_signup_token": "checks a token, writes nothing",
    "immersio.accounts.services.sesame_max_age_minutes": "reads a setting",
    "immersio.accounts.services.landing_url": "chooses a URL from the memberships",
}
