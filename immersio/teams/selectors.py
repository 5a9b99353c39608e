"""Reading a team, for any organisation kind (``TeamKind``): its members, its open
invitations, its administrators, and the links sent by e-mail."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Model, QuerySet
from django.urls import reverse

from immersio.core.links import PersonalLink, read_signed_id

from .errors import LinkAlreadyUsed, LinkInvalid

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from immersio.accounts.models import User

    from .kinds import TeamKind


def landing_page(kind: TeamKind, user: User) -> str | None:
    """The team space of ``kind`` (``<app>:space``: « Mon espace structure », « Mon espace
    prescripteur ») for a member of one of its organisations (see ``accounts.hooks``)."""
    if kind.membership_model.objects.for_user(user).exists():
        return reverse(f"{kind.app}:space")
    return None


def membership_of(kind: TeamKind, user: User | AnonymousUser, organisation: Model) -> Model | None:
    """The active membership of ``user`` in ``organisation``, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return kind.membership_model.objects.for_user(user).filter(**kind.of(organisation)).first()


def is_team_admin(kind: TeamKind, user: User | AnonymousUser, organisation: Model) -> bool:
    """Whether ``user`` administers ``organisation`` (staff always do)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    membership = membership_of(kind, user, organisation)
    return membership is not None and membership.role == kind.admin_role


def members(kind: TeamKind, organisation: Model) -> QuerySet:
    """Active members, in the kind's order (``member_order``)."""
    return (
        kind.membership_model.objects.filter(**kind.of(organisation), is_active=True)
        .select_related("user")
        .order_by(*kind.member_order)
    )


def member(kind: TeamKind, organisation: Model, person: UUID) -> Model | None:
    """The active membership of the person whose public UUID is ``person``."""
    return (
        kind.membership_model.objects.filter(
            **kind.of(organisation), is_active=True, user__public_id=person
        )
        .select_related("user")
        .first()
    )


def open_invitations(kind: TeamKind, organisation: Model) -> QuerySet:
    return kind.invitation_model.objects.filter(
        **kind.of(organisation), accepted_at=None, revoked_at=None
    )


def active_admins(kind: TeamKind, organisation: Model) -> list[User]:
    """The people who administer ``organisation`` now (active accounts and memberships)."""
    memberships = kind.membership_model.objects.filter(
        **kind.of(organisation), role=kind.admin_role, is_active=True, user__is_active=True
    ).select_related("user")
    return [membership.user for membership in memberships.order_by("pk")]


def invitation_url(kind: TeamKind, invitation: Model) -> PersonalLink:
    return kind.invitation_url(invitation)


def registration_url(kind: TeamKind, registration: Model) -> PersonalLink:
    return kind.registration_url(registration)


def _row_of_link(kind: TeamKind, link: str, token: str) -> Model | None:
    """The row a signed ``link`` (``invitation`` or ``registration``) of ``kind`` names:
    ``None`` when it is gone, ``LinkInvalid`` when the link is dead."""
    public_id = read_signed_id(
        token,
        salt=getattr(kind, f"{link}_salt"),
        key=link[0],
        max_age=timedelta(days=getattr(kind, f"{link}_max_age_days")),
    )
    if public_id is None:
        raise LinkInvalid
    model = getattr(kind, f"{link}_model")
    return model.objects.select_related(kind.organisation_field).filter(public_id=public_id).first()


def read_invitation_token(kind: TeamKind, token: str) -> Model:
    """The open invitation a link is for, without using it (``LinkInvalid``,
    ``LinkAlreadyUsed`` otherwise)."""
    invitation = _row_of_link(kind, "invitation", token)
    if invitation is None or invitation.revoked_at is not None:
        raise LinkInvalid
    if invitation.accepted_at is not None:
        raise LinkAlreadyUsed
    if not kind.accepts_members(kind.organisation_of(invitation)):
        raise LinkInvalid
    return invitation


def read_registration_token(kind: TeamKind, token: str) -> Model:
    """The registration a confirmation link is for, without using it."""
    registration = _row_of_link(kind, "registration", token)
    if registration is None:  # replaced by a newer registration of the same SIRET
        raise LinkInvalid
    if registration.confirmed_at is not None or kind.registration_used(registration):
        raise LinkAlreadyUsed
    return registration
