"""The personal links of an assessment: the tutor's (to fill it) and the beneficiary's (to
read and co-sign it), valid ``ASSESSMENT_LINK_DAYS`` days.

A token names the assessment (public id), the role and a digest of the address the e-mail
went to: a link stops working if the convention's tutor (or beneficiary) address changes.
It opens that assessment only and logs nobody in. Built again at each sending attempt
(``core.links.PersonalLink``)."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from django.core import signing
from django.urls import reverse

from immersio.core.links import PersonalLink, absolute_url, load_signed

from .rules import ASSESSMENT_LINK_DAYS

SALT = "assessments.link"
LIFETIME = timedelta(days=ASSESSMENT_LINK_DAYS)
TUTOR = "t"
BENEFICIARY = "b"
URL_NAMES = {TUTOR: "assessments:tutor", BENEFICIARY: "assessments:cosign_link"}


def address_digest(email: str) -> str:
    return hashlib.sha256((email or "").strip().lower().encode()).hexdigest()[:16]


def token_for(assessment: str, role: str, email: str) -> str:
    return signing.dumps(
        {"a": str(assessment), "r": role, "e": address_digest(email)}, salt=SALT, compress=True
    )


def build_url(*, assessment: str, role: str, email: str) -> str:
    return absolute_url(reverse(URL_NAMES[role]) + f"?jeton={token_for(assessment, role, email)}")


def link(assessment: object, role: str, email: str) -> PersonalLink:
    return PersonalLink(
        "immersio.assessments.links.build_url",
        assessment=str(assessment.public_id),
        role=role,
        email=email,
    )


@dataclass(frozen=True, slots=True)
class LinkData:
    assessment: UUID
    role: str
    digest: str
    expired: bool

    def matches(self, email: str) -> bool:
        return bool(email) and address_digest(email) == self.digest


def read(token: str, role: str) -> LinkData | None:
    """What a token names (``expired`` when older than its lifetime but genuine), or None
    when it is forged, truncated or of another role."""
    data, expired = load_signed(token, salt=SALT, max_age=LIFETIME)
    if data is None:
        return None
    try:
        found = LinkData(UUID(str(data["a"])), str(data["r"]), str(data["e"]), expired)
    except (KeyError, TypeError, ValueError):
        return None
    return found if found.role == role else None
