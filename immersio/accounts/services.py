"""Account services: login links, sign-up links, profile.

The login form answers the same whatever happens here (known address, unknown address,
inactive account, rate limit exceeded): only the mailbox learns whether an account
exists, through the e-mail it receives.

Who acts (``core.actors``): asking for a login link is open to anyone (``VISITOR``, or the
logged-in person); a sign-up link is the proof of its address (``AUTOMATIC``); a profile is
changed by its owner only.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from sesame.utils import get_parameters

from immersio.core import otp, ratelimit
from immersio.core.actors import AUTOMATIC, VISITOR, Actor, anyone, nobody, require
from immersio.notifications.base import absolute_url
from immersio.notifications.links import PersonalLink
from immersio.notifications.services import notify

from . import hooks
from .models import OneTimeCode, User
from .notifications import LoginLinkNotification, SignupLinkNotification

logger = logging.getLogger(__name__)

SIGNUP_SALT = "immersio.accounts.signup"
SIGNUP_MAX_AGE = 15 * 60  # seconds, like the login links


class LoginLinkOutcome(StrEnum):
    LOGIN_LINK_SENT = "login_link_sent"
    SIGNUP_LINK_SENT = "signup_link_sent"
    INACTIVE = "inactive"
    RATE_LIMITED = "rate_limited"


class SignupLinkError(Exception):
    """The sign-up link cannot create an account."""


class SignupLinkInvalid(SignupLinkError):
    """Tampered with, malformed or older than ``SIGNUP_MAX_AGE``."""


class SignupLinkAlreadyUsed(SignupLinkError):
    """An account exists for this address already (the link was used, or it was created
    another way since)."""


@dataclass(frozen=True, slots=True)
class SignupRequest:
    email: str
    next_url: str = ""


@dataclass(frozen=True, slots=True)
class SignupResult:
    user: User
    next_url: str = ""


def normalize_email(email: str) -> str:
    return User.objects.normalize_email((email or "").strip()).lower()


def _fingerprint(value: str) -> str:
    """A short, stable, non-reversible tag for logs (no address in clear)."""
    return hashlib.sha256(value.encode()).hexdigest()[:12]


def login_url(user: User, next_url: str = "") -> PersonalLink:
    """The absolute login link for ``user``: a django-sesame token, valid
    ``SESAME_MAX_AGE`` seconds, once (the first login changes ``last_login``). In an
    e-mail, it is built again when the e-mail is sent."""
    return PersonalLink(
        "immersio.accounts.services.build_login_url", user_id=user.pk, next_url=next_url
    )


def build_login_url(*, user_id: int, next_url: str = "") -> str:
    params = get_parameters(User.objects.get(pk=user_id))
    if next_url:
        params["next"] = next_url
    return f"{absolute_url(reverse('accounts:magic_link'))}?{urlencode(params)}"


def signup_url(email: str, next_url: str = "") -> PersonalLink:
    return PersonalLink(
        "immersio.accounts.services.build_signup_url", email=email, next_url=next_url
    )


def build_signup_url(*, email: str, next_url: str = "") -> str:
    token = signing.dumps({"email": email, "next": next_url}, salt=SIGNUP_SALT)
    return f"{absolute_url(reverse('accounts:signup'))}?{urlencode({'jeton': token})}"


def request_login_link(
    *, email: str, ip: str, actor: Actor, next_url: str = ""
) -> LoginLinkOutcome:
    """Someone asks for a link to log in with ``email``, from ``ip`` (anyone: ``VISITOR``
    or a logged-in person; the link only ever goes to ``email``).

    - active account: e-mail with a login link;
    - unknown address: e-mail inviting to create an account (signed link);
    - inactive account: nothing is sent;
    - too many requests for this address or from this IP: nothing is sent, it is logged.

    ``next_url`` must already be a safe, local URL. The e-mail is written to the outbox
    in the current transaction and sent after it commits.
    """
    require(actor, anyone, system_allowed={VISITOR})
    email = normalize_email(email)
    # Both counters move on every request, even when the first one already refuses.
    allowed_ip = ratelimit.hit("login_link_per_ip", ip)
    allowed_email = ratelimit.hit("login_link_per_email", email)
    # The lookup happens in every case, so that the answer takes about the same time.
    user = User.objects.filter(email__iexact=email).first()

    if not (allowed_ip and allowed_email):
        logger.warning(
            "Demande de lien de connexion refusée, limite atteinte (%s) : adresse %s, IP %s.",
            ", ".join(
                scope
                for scope, allowed in [
                    ("login_link_per_ip", allowed_ip),
                    ("login_link_per_email", allowed_email),
                ]
                if not allowed
            ),
            _fingerprint(email),
            ip,
        )
        return LoginLinkOutcome.RATE_LIMITED

    if user is None:
        notify(
            SignupLinkNotification(
                email=email,
                signup_url=signup_url(email, next_url),
                max_age_minutes=SIGNUP_MAX_AGE // 60,
            )
        )
        return LoginLinkOutcome.SIGNUP_LINK_SENT

    if not user.is_active:
        logger.info("Lien de connexion demandé pour le compte désactivé %s.", user.public_id)
        return LoginLinkOutcome.INACTIVE

    notify(LoginLinkNotification(user=user, login_url=login_url(user, next_url)))
    return LoginLinkOutcome.LOGIN_LINK_SENT


def read_signup_token(token: str) -> SignupRequest:
    """Check a sign-up link without using it. Raise a ``SignupLinkError``."""
    try:
        data = signing.loads(token or "", salt=SIGNUP_SALT, max_age=SIGNUP_MAX_AGE)
    except signing.BadSignature as exc:  # SignatureExpired included
        raise SignupLinkInvalid from exc
    if not isinstance(data, dict) or not isinstance(data.get("email"), str):
        raise SignupLinkInvalid
    email = normalize_email(data["email"])
    next_url = data.get("next") if isinstance(data.get("next"), str) else ""
    if not email or User.objects.filter(email__iexact=email).exists():
        raise SignupLinkAlreadyUsed
    return SignupRequest(email=email, next_url=next_url)


def create_account_from_signup(*, token: str, actor: Actor) -> SignupResult:
    """Create the account a sign-up link was sent for. Raise a ``SignupLinkError``.

    A link creates at most one account: once the account exists, the same link raises
    ``SignupLinkAlreadyUsed``. The link proves the address (nobody is logged in for it):
    the actor is ``AUTOMATIC``.
    """
    require(actor, nobody, system_allowed={AUTOMATIC})
    signup = read_signup_token(token)
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=signup.email)
    except IntegrityError as exc:  # created by a concurrent request in the meantime
        raise SignupLinkAlreadyUsed from exc
    logger.info("Compte %s créé par lien d'inscription.", user.public_id)
    return SignupResult(user=user, next_url=signup.next_url)


def update_profile(
    *, user: User, first_name: str, last_name: str, phone: str, actor: Actor
) -> User:
    """Save the details a person gives on their profile page (already validated): only
    that person does."""
    require(actor, lambda person: person.pk == user.pk, system_allowed=False)
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.phone = phone
    user.save(update_fields=["first_name", "last_name", "phone"])
    return user


def sesame_max_age_minutes() -> int:
    return settings.SESAME_MAX_AGE // 60


def landing_url(user: User) -> str:
    """Where a person lands after logging in: their own space. Staff → « gestion »;
    a structure's member → « Mon espace structure »; an agency's member → its space
    (``hooks.landing_pages``, asked in that order); everyone else (a candidate) →
    « Mes demandes »."""
    if user.is_staff:
        return reverse("admin:index")
    for landing_page in hooks.landing_pages:
        if url := landing_page(user):
            return url
    return reverse("contacts:mine")


# One-time codes ------------------------------------------------------------------------------
# A person proves control of an e-mail address or a mobile phone by typing back a code sent
# there (the signature's « Je signe »). ``issue_code`` makes it and stores its hash; the
# caller sends it (an e-mail notification, or ``notifications.services.send_sms``) in the
# same transaction, and limits how often it may be asked (``core.ratelimit``).
# ``check_code`` accepts it once, before it expires, within ``MAX_WRONG_ATTEMPTS``.
# The person acting is the one holding the link that asks for a code (``AUTOMATIC``) or
# logged in; never a visitor through a public form, never a scheduled task.

CODE_ACTORS = frozenset({AUTOMATIC})


class CodeCheck(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    NONE_ISSUED = "none_issued"


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What ``check_code`` found. ``attempts_left``: wrong attempts still allowed (for
    ``WRONG``; 0 otherwise). ``one_time_code``: the row checked, if any."""

    status: CodeCheck
    attempts_left: int = 0
    one_time_code: OneTimeCode | None = None

    @property
    def ok(self) -> bool:
        return self.status == CodeCheck.OK


def _masked(channel: str, sent_to: str) -> str:
    if channel == OneTimeCode.Channel.SMS:
        return otp.mask_phone(sent_to)
    return otp.mask_email(sent_to)


def issue_code(
    *,
    purpose: str,
    subject: str,
    channel: str,
    sent_to: str,
    lifetime: timedelta,
    actor: Actor,
) -> tuple[OneTimeCode, str]:
    """A new code for ``purpose`` and ``subject``, valid ``lifetime``; the row and the code.

    The previous code of the same purpose and subject, if still in play, is dead from now
    on (``revoked_at``). ``sent_to`` (the address or number the caller sends it to) is kept
    masked only. The code itself is never stored: send it in this transaction.
    """
    require(actor, anyone, system_allowed=CODE_ACTORS)
    if channel not in OneTimeCode.Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if lifetime <= timedelta(0):
        raise ValueError("a code must live for some time")
    code = otp.generate_code()
    try:
        return _replace_code(purpose, subject, channel, sent_to, lifetime, code), code
    except IntegrityError:  # another request issued one at the same moment: replace it
        return _replace_code(purpose, subject, channel, sent_to, lifetime, code), code


def _replace_code(
    purpose: str, subject: str, channel: str, sent_to: str, lifetime: timedelta, code: str
) -> OneTimeCode:
    now = timezone.now()
    with transaction.atomic():
        OneTimeCode.objects.filter(
            purpose=purpose, subject=subject, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        return OneTimeCode.objects.create(
            purpose=purpose,
            subject=subject,
            code_hash=otp.hash_code(code, purpose=purpose, subject=subject),
            channel=channel,
            sent_to=_masked(channel, sent_to),
            expires_at=now + lifetime,
            created_at=now,
        )


def check_code(*, purpose: str, subject: str, code: str, actor: Actor) -> CheckResult:
    """Check ``code`` against the code in play for ``purpose`` and ``subject``.

    ``OK`` once only: the code is used from then on (``NONE_ISSUED`` afterwards). A wrong
    code counts one attempt (``WRONG`` with the attempts left); the last one allowed kills
    it (``TOO_MANY_ATTEMPTS``, also for any later check, even with the right code).
    ``EXPIRED`` past its lifetime. Two checks of the right code at the same moment: one
    ``OK``, the other ``NONE_ISSUED`` (row lock where the database has them, and a
    conditional update everywhere). The caller keeps the transaction that counted a wrong
    attempt (it must not roll it back), else the limit would not hold.
    """
    require(actor, anyone, system_allowed=CODE_ACTORS)
    now = timezone.now()
    # No savepoint inside the caller's transaction: nothing in here raises but the
    # database itself, and then the caller's transaction fails anyway.
    with transaction.atomic(savepoint=False):
        # ``issue_code`` revokes the codes before it: one row in play, two at worst when
        # two were issued at the same moment (the latest counts). Picked here rather than
        # by an ORDER BY, which costs more to build than the row to read.
        live = OneTimeCode.objects.select_for_update().filter(
            purpose=purpose, subject=subject, used_at__isnull=True, revoked_at__isnull=True
        )
        row = max(live.order_by(), key=lambda code: (code.created_at, code.pk), default=None)
        if row is None:
            return CheckResult(CodeCheck.NONE_ISSUED)
        if row.attempts >= otp.MAX_WRONG_ATTEMPTS:
            return CheckResult(CodeCheck.TOO_MANY_ATTEMPTS, one_time_code=row)
        if row.expires_at <= now:
            return CheckResult(CodeCheck.EXPIRED, one_time_code=row)
        in_play = OneTimeCode.objects.filter(
            pk=row.pk,
            used_at__isnull=True,
            revoked_at__isnull=True,
            attempts__lt=otp.MAX_WRONG_ATTEMPTS,
        )
        if otp.code_matches(code, row.code_hash, purpose=purpose, subject=subject):
            if not in_play.update(used_at=now):  # another check took it meanwhile
                return CheckResult(CodeCheck.NONE_ISSUED)
            row.used_at = now
            return CheckResult(CodeCheck.OK, one_time_code=row)
        in_play.update(attempts=F("attempts") + 1)
        row.refresh_from_db(fields=["attempts"])
        left = max(otp.MAX_WRONG_ATTEMPTS - row.attempts, 0)
        if left == 0:
            return CheckResult(CodeCheck.TOO_MANY_ATTEMPTS, one_time_code=row)
        return CheckResult(CodeCheck.WRONG, attempts_left=left, one_time_code=row)
