"""The accounts teams are made of: an e-mail address becomes a person, a person becomes
an administrator.

``record_applicant``, ``get_or_create_user`` and ``make_admin`` are building blocks of
the services that already checked who acts (registering, confirming a registration,
accepting an invitation, importing); they check nothing themselves and are not for
views."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Model
from django.utils import timezone

from immersio.notifications.services import notify

if TYPE_CHECKING:
    from immersio.accounts.models import User

    from .kinds import TeamKind


def normalize_email(email: str) -> str:
    """The form in which addresses are compared and stored (trimmed, lower case)."""
    User = get_user_model()
    return User.objects.normalize_email((email or "").strip()).lower()


def get_or_create_user(
    *, email: str, first_name: str = "", last_name: str = "", phone: str = ""
) -> tuple[User, bool]:
    """The account of ``email``, created without a password if needed; empty details of
    an existing account are completed, never overwritten."""
    User = get_user_model()
    email = normalize_email(email)
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, first_name=first_name, last_name=last_name, phone=phone
        )
        return user, True
    changed = []
    for name, value in (("first_name", first_name), ("last_name", last_name), ("phone", phone)):
        if value and not getattr(user, name):
            setattr(user, name, value)
            changed.append(name)
    if changed:
        user.save(update_fields=changed)
    return user, False


def make_admin(kind: TeamKind, *, organisation: Any, user: User, job_title: str = "") -> Model:
    """``user`` administers ``organisation`` from now on (the end of a registration)."""
    membership, _created = kind.membership_model.objects.update_or_create(
        **kind.of(organisation),
        user=user,
        defaults={"role": kind.admin_role, "is_active": True, "job_title": job_title},
    )
    return membership


@dataclass(frozen=True)
class Applicant:
    """The person who registers an organisation (``phone`` where the kind keeps one)."""

    email: str
    first_name: str
    last_name: str
    phone: str = ""
    job_title: str = ""


def record_applicant(
    kind: TeamKind, *, organisation: Any, applicant: Applicant, **extra: Any
) -> Model:
    """Store who registers ``organisation`` and their consent, and e-mail them the link
    that confirms their address (single use, ``registration_max_age_days``)."""
    registration = kind.registration_model.objects.create(
        **kind.of(organisation),
        email=normalize_email(applicant.email),
        first_name=applicant.first_name.strip(),
        last_name=applicant.last_name.strip(),
        job_title=applicant.job_title.strip(),
        consented_at=timezone.now(),
        **extra,
    )
    notify(kind.registration_email(registration))
    return registration
