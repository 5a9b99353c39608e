"""How a signatory proves, at the moment of signing, that they are the one signing.

Immersio's signature is a simple electronic signature (eIDAS, art. 25) backed by an
evidence record (``Signature``): who, when, from which address and browser, how they proved
control of their own contact, and the SHA-256 of the version signed. The proof itself is
behind one interface, :class:`SignatureProvider`, chosen by the setting
``CONVENTION_SIGNATURE_PROVIDER``:

- :class:`OneTimeCodeProvider` (the default): a 6-digit code sent to the signatory's own
  address (or mobile phone), valid 10 minutes, single use, 5 attempts;
- a qualified or advanced provider (a trust service) would implement the same two steps —
  ``challenge`` starts the provider's ceremony, ``verify`` checks its result and returns the
  evidence to record — without any change to the lifecycle, the pages' URLs or the evidence
  page (``docs/adr/0010-signature-simple-avec-preuve.md``).

``lifecycle`` calls the provider after its own checks (actor, status, version, rate limit);
the provider never changes a convention.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from immersio.accounts.services import CheckResult, CodeCheck, check_code, issue_code
from immersio.core.actors import AUTOMATIC
from immersio.core.validators import normalise_french_mobile
from immersio.notifications.services import notify, send_sms

from . import notifications
from .models import Convention, Signatory, Signature
from .services import ConventionError

CODE_LIFETIME = timedelta(minutes=10)
CODE_PURPOSE = "conventions.signature"


class SignatureError(ConventionError):
    """A signature that cannot be given (wrong code, expired code…); ``code`` says which."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Proof:
    """What the provider vouches for: the evidence's method and where the proof went."""

    method: str  # a ``Signature.Method``
    sent_to: str  # masked (« c•••@exemple.fr », « 06 •• •• •• 12 »)


class SignatureProvider(Protocol):
    def challenge(
        self, *, signatory: Signatory, convention: Convention, version: int, channel: str
    ) -> str:
        """Start the proof for ``signatory`` signing ``version``; return where it went
        (masked), for the page. Raise ``SignatureError`` when it cannot start."""
        ...

    def verify(self, *, signatory: Signatory, version: int, proof: str) -> Proof:
        """Check what the signatory brings back (the code typed…); return the ``Proof``
        or raise ``SignatureError``. A failed attempt is written before it raises: the
        caller must not roll it back (``lifecycle.sign`` returns the error out of its
        transaction, then raises it)."""
        ...


def provider() -> SignatureProvider:
    return import_string(settings.CONVENTION_SIGNATURE_PROVIDER)()


def has_mobile(signatory: Signatory) -> bool:
    return normalise_french_mobile(signatory.phone or "") is not None


def channel_for(signatory: Signatory, wanted: str) -> tuple[str, str]:
    """(« email » or « sms », the contact): the one asked for when the signatory has it."""
    if wanted == "sms" and has_mobile(signatory):
        return "sms", signatory.phone
    if signatory.email:
        return "email", signatory.email
    if has_mobile(signatory):
        return "sms", signatory.phone
    raise SignatureError(
        "Aucune adresse e-mail ni aucun téléphone mobile n'est connu pour vous : le "
        "prescripteur peut corriger vos coordonnées.",
        code="no_contact",
    )


def _subject(signatory: Signatory, version: int) -> str:
    return f"{signatory.public_id}:{version}"


class OneTimeCodeProvider:
    """A 6-digit code to the signatory's own address or mobile phone."""

    minutes = int(CODE_LIFETIME.total_seconds() // 60)

    def challenge(
        self, *, signatory: Signatory, convention: Convention, version: int, channel: str
    ) -> str:
        channel, contact = channel_for(signatory, channel)
        record, code = issue_code(
            purpose=CODE_PURPOSE,
            subject=_subject(signatory, version),
            channel=channel,
            sent_to=contact,
            lifetime=CODE_LIFETIME,
            actor=AUTOMATIC,
        )
        if channel == "email":
            notify(
                notifications.SignatureCodeNotification(
                    signatory=signatory, convention=convention, code=code, minutes=self.minutes
                )
            )
        else:
            send_sms(
                to=contact,
                body_template="conventions/sms/signature_code.txt",
                context={
                    "code": code,
                    "reference": convention.reference,
                    "minutes": self.minutes,
                },
                kind="convention_signature_code",
                sensitive=True,
                actor=AUTOMATIC,
            )
        return record.sent_to

    def verify(self, *, signatory: Signatory, version: int, proof: str) -> Proof:
        result = check_code(
            purpose=CODE_PURPOSE, subject=_subject(signatory, version), code=proof, actor=AUTOMATIC
        )
        if not result.ok:
            raise self._problem(result)
        row = result.one_time_code
        method = Signature.Method.SMS_CODE if row.channel == "sms" else Signature.Method.EMAIL_CODE
        return Proof(method=method, sent_to=row.sent_to)

    def _problem(self, result: CheckResult) -> SignatureError:
        if result.status == CodeCheck.WRONG:
            left = result.attempts_left
            return SignatureError(
                f"Ce code n'est pas le bon. Il vous reste {left} essai{'s' if left > 1 else ''}.",
                code="wrong_code",
            )
        if result.status == CodeCheck.EXPIRED:
            return SignatureError(
                f"Ce code a expiré (il vaut {self.minutes} minutes) : demandez-en un nouveau.",
                code="expired_code",
            )
        if result.status == CodeCheck.TOO_MANY_ATTEMPTS:
            return SignatureError(
                "Trop d'essais : ce code ne vaut plus. Demandez-en un nouveau.",
                code="too_many_attempts",
            )
        return SignatureError(
            "Demandez d'abord un code : il vous est envoyé à l'instant, sur votre propre "
            "adresse ou votre téléphone.",
            code="no_code",
        )
