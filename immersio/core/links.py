"""Signed links that carry one public id (a UUID) under a salt: a registration to confirm,
an invitation to accept… The link proves who it is for; the row it names says whether it
is still usable (confirmed, revoked…)."""

from datetime import timedelta
from uuid import UUID

from django.core import signing
from django.urls import reverse

from immersio.notifications.base import absolute_url
from immersio.notifications.links import PersonalLink


def signed_url(url_name: str, public_id: UUID, *, salt: str, key: str) -> PersonalLink:
    """The absolute URL of ``url_name`` with a ``jeton`` naming ``public_id`` (built
    again, with a fresh timestamp, when an e-mail carrying it is sent)."""
    return PersonalLink(
        "immersio.core.links.build_signed_url",
        url_name=url_name,
        public_id=str(public_id),
        salt=salt,
        key=key,
    )


def build_signed_url(*, url_name: str, public_id: str, salt: str, key: str) -> str:
    token = signing.dumps({key: str(public_id)}, salt=salt)
    return absolute_url(reverse(url_name) + f"?jeton={token}")


def read_signed_id(token: str, *, salt: str, key: str, max_age: timedelta) -> UUID | None:
    """The public id a token names, or None if it is forged, truncated or too old."""
    try:
        data = signing.loads(token or "", salt=salt, max_age=max_age)
        return UUID(data[key])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
