"""Driving the lifecycle in tests: a sent convention with its agency team, codes read
from the outbox as a signatory would read them."""

import re
from dataclasses import dataclass

from immersio.accounts.models import User
from immersio.conventions import lifecycle, selectors
from immersio.conventions.models import Convention, Signatory
from immersio.conventions.transitions import Role
from immersio.core.actors import AUTOMATIC, COMMAND
from immersio.notifications.models import OutboundEmail, OutboundSms
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.conventions.builders import valid_convention

CODE = re.compile(r"\b(\d{6})\b")


@dataclass
class Sent:
    convention: Convention
    counsellor: User
    validator: User

    def signatory(self, role: Role) -> Signatory:
        return self.convention.signatories.get(role=role)

    def refresh(self) -> Convention:
        self.convention.refresh_from_db()
        return self.convention


def sent_convention(**changes) -> Sent:
    counsellor = UserFactory(first_name="Claire", last_name="Conseil")
    validator = UserFactory(first_name="Victor", last_name="Valide")
    agency = changes.pop("agency", None) or AgencyFactory(
        counsellor=counsellor, validator=validator
    )
    convention = valid_convention(agency=agency, **changes)
    lifecycle.submit(convention=convention, actor=COMMAND)
    convention.refresh_from_db()
    return Sent(convention, counsellor, validator)


def last_code_for(signatory: Signatory) -> str:
    """The code of the last e-mail (or SMS) sent to ``signatory``."""
    if signatory.email:
        email = (
            OutboundEmail.objects.filter(
                recipient=signatory.email, kind="convention_signature_code"
            )
            .order_by("-pk")
            .first()
        )
        assert email is not None, f"no code e-mail to {signatory.email}"
        return CODE.search(email.subject).group(1)
    sms = OutboundSms.objects.filter(kind="convention_signature_code").order_by("-pk").first()
    assert sms is not None, "no code SMS"
    return CODE.findall(sms.body)[-1]


def sign(signatory: Signatory, *, ip: str = "198.51.100.7", channel: str = "email"):
    signatory.refresh_from_db()
    version = signatory.convention.version
    lifecycle.send_code(signatory=signatory, version=version, channel=channel, actor=AUTOMATIC)
    return lifecycle.sign(
        signatory=signatory,
        version=version,
        code=last_code_for(signatory),
        confirmed=True,
        ip=ip,
        user_agent="Mozilla/5.0 (test)",
        actor=AUTOMATIC,
    )


def sign_all(sent: Sent) -> Convention:
    for signatory in selectors.required_signatories(sent.refresh()):
        sign(signatory)
    return sent.refresh()
