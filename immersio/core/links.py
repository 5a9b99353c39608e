"""Links sent in e-mails: absolute URLs, personal links built again at each sending
attempt, and signed links that carry one public id (a UUID) under a salt: a registration
to confirm, an invitation to accept… A signed link proves who it is for; the row it names
says whether it is still usable (confirmed, revoked…)."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string


def link_param(request: HttpRequest, name: str = "jeton") -> str:
    """A parameter of a link received by e-mail (its ``jeton`` by default): in the address
    when the link is opened, in the form when the button of its page is pressed."""
    source = request.POST if request.method == "POST" else request.GET
    return source.get(name, "")


def safe_next(request: HttpRequest, url: str | None) -> str:
    """``url`` if it stays on this site (a ``next`` or a ``retour`` someone posted), else
    an empty string."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def absolute_url(path: str) -> str:
    """A URL for an e-mail: e-mails have no request, links start from ``SITE_URL``."""
    return f"{settings.SITE_URL}{path}"


class PersonalLink(str):
    """A URL (``str``) that can build itself again: ``builder(**params)``."""

    builder: str
    params: dict

    def __new__(cls, builder: str, **params: object) -> PersonalLink:
        link = super().__new__(cls, str(import_string(builder)(**params)))
        link.builder = builder
        link.params = params
        return link

    def recipe(self) -> dict:
        return {"url": str(self), "builder": self.builder, "params": self.params}


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


def load_signed(token: str, *, salt: str, max_age: timedelta) -> tuple[object | None, bool]:
    """(what ``token`` carries, whether it is expired): a genuine but old token still says
    what it names (to offer a new link to the right person); a forged or truncated one
    gives (None, False)."""
    try:
        return signing.loads(token or "", salt=salt, max_age=max_age), False
    except signing.SignatureExpired:
        try:
            return signing.loads(token or "", salt=salt), True
        except signing.BadSignature:
            return None, False
    except signing.BadSignature:
        return None, False


def link_invalid_page(
    request: HttpRequest,
    *,
    used: bool,
    explanation: str,
    action_url: str = "",
    action_label: str = "",
    with_help: bool = True,
    narrow: bool = False,
    status: int = 410,
) -> HttpResponse:
    """The page of a link that no longer works (``used``: it already served once), with
    the app's ``explanation`` and the button that helps (``action_url``)."""
    context = {
        "used": used,
        "explanation": explanation,
        "action_url": action_url,
        "action_label": action_label,
        "with_help": with_help,
        "narrow": narrow,
    }
    return render(request, "core/link_invalid.html", context, status=status)
