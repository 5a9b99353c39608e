"""The personal signature link: one signatory, one version of the content, 31 days.

The token names the signatory (public id) and the version number the e-mail was about; it
opens that convention only, logs nobody in, and never signs by being opened. Built again,
with a fresh date, each time the outbox sends the e-mail (``core.links.PersonalLink``).
"""

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from django.core import signing
from django.urls import reverse

from immersio.core.links import PersonalLink, absolute_url, load_signed

SALT = "conventions.signature"
LIFETIME = timedelta(days=31)


def signature_link(signatory: object, version: int) -> PersonalLink:
    return PersonalLink(
        "immersio.conventions.links.build_signature_url",
        signatory=str(signatory.public_id),
        version=version,
    )


def token_for(signatory: str, version: int) -> str:
    return signing.dumps({"s": str(signatory), "v": int(version)}, salt=SALT, compress=True)


def build_signature_url(*, signatory: str, version: int) -> str:
    return absolute_url(reverse("conventions:sign") + f"?jeton={token_for(signatory, version)}")


@dataclass(frozen=True, slots=True)
class LinkData:
    signatory: UUID
    version: int
    expired: bool


def read(token: str) -> LinkData | None:
    """What a token names (``expired`` when older than 31 days but genuine), or None when
    it is forged or truncated."""
    data, expired = load_signed(token, salt=SALT, max_age=LIFETIME)
    if data is None:
        return None
    try:
        return LinkData(UUID(str(data["s"])), int(data["v"]), expired)
    except (KeyError, TypeError, ValueError):
        return None
