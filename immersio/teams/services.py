"""Every change to a team, once for every organisation kind (``kinds.TeamKind``):
invite, accept an invitation, revoke it, ask to join, change a role, remove a member or
leave — never losing the last administrator.

Each function takes the kind first, keyword arguments after it, and a required
``actor`` (``core.actors``). Links sent by e-mail are used by whoever holds them: the
person opening one acts as themselves when logged in, else as ``AUTOMATIC``; scheduled
tasks and commands never use them. E-mails go to the outbox in the transaction."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from immersio.core.actors import AUTOMATIC, VISITOR, Actor, require, user_of
from immersio.notifications.services import notify

from .errors import AlreadyMember, LastAdminError, LinkAlreadyUsed, LinkInvalid, NotMember
from .people import get_or_create_user, normalize_email
from .selectors import active_admins, read_invitation_token

if TYPE_CHECKING:
    from immersio.accounts.models import User

    from .kinds import TeamKind

logger = logging.getLogger(__name__)


def require_link_holder(actor: Actor) -> None:
    """A link sent by e-mail is used by a person: logged in, or proving they hold it
    (``AUTOMATIC``); never by a scheduled task or a command."""
    require(actor, lambda user: True, system_allowed=actor == AUTOMATIC)


def require_visitor(actor: Actor) -> None:
    """A public form is filled in by a person, logged in or not (``VISITOR``)."""
    require(actor, lambda user: True, system_allowed=actor == VISITOR)


def _lock(kind: TeamKind, organisation: Any) -> Any:
    return kind.organisation_model.objects.select_for_update().get(pk=organisation.pk)


def invite_member(
    kind: TeamKind, *, organisation: Any, email: str, role: str, actor: Actor
) -> Model:
    """E-mail ``email`` a link to join the team with ``role``. The account is created (if
    needed) only when the link is used; the answer does not say whether it exists. An
    earlier open invitation of the same address is revoked."""
    require(actor, lambda user: kind.can_manage(user, organisation))
    if role not in kind.roles.values:
        raise kind.error("Choisissez un rôle.")
    refusal = kind.invite_refusal(organisation)
    if refusal:
        raise kind.error(refusal)
    email = normalize_email(email)
    invitations = kind.invitation_model.objects
    with transaction.atomic():
        if kind.membership_model.objects.filter(
            **kind.of(organisation), user__email__iexact=email, is_active=True
        ).exists():
            raise AlreadyMember
        invitations.filter(
            **kind.of(organisation), email__iexact=email, accepted_at=None, revoked_at=None
        ).update(revoked_at=timezone.now())
        invitation = invitations.create(
            **kind.of(organisation), email=email, role=role, invited_by=user_of(actor)
        )
        notify(kind.invitation_email(invitation))
    return invitation


def accept_invitation(kind: TeamKind, *, token: str, actor: Actor) -> Model:
    """The invited person opened their link: they join the team (account created if
    needed) with the invited role — an administrator keeps theirs. Single use."""
    require_link_holder(actor)
    invitation = read_invitation_token(kind, token)
    with transaction.atomic():
        invitation = kind.invitation_model.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise LinkAlreadyUsed
        if invitation.revoked_at is not None:
            raise LinkInvalid
        organisation = kind.organisation_of(invitation)
        user, _created = get_or_create_user(email=invitation.email)
        membership = kind.membership_model.objects.filter(
            **kind.of(organisation), user=user
        ).first()
        if membership is None:
            membership = kind.membership_model(**kind.of(organisation), user=user)
        if not (membership.pk and membership.is_active and membership.role == kind.admin_role):
            membership.role = invitation.role
        membership.is_active = True
        membership.invited_by = invitation.invited_by
        membership.save()
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at", "updated_at"])
    return membership


def revoke_invitation(kind: TeamKind, *, invitation: Model, actor: Actor) -> Model:
    """Cancel an open invitation (its link stops working)."""
    require(actor, lambda user: kind.can_manage(user, kind.organisation_of(invitation)))
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
    return invitation


def _active_membership(kind: TeamKind, organisation: Any, user: User) -> Model:
    membership = kind.membership_model.objects.filter(
        **kind.of(organisation), user=user, is_active=True
    ).first()
    if membership is None:
        raise NotMember
    return membership


def _keep_an_admin(kind: TeamKind, organisation: Any, membership: Model) -> None:
    """Refuse to take away the role of the last active administrator."""
    if membership.role != kind.admin_role:
        return
    admins = kind.membership_model.objects.filter(
        **kind.of(organisation), role=kind.admin_role, is_active=True
    ).count()
    if admins <= 1:
        raise LastAdminError(kind.last_admin_message)


def change_role(kind: TeamKind, *, organisation: Any, user: User, role: str, actor: Actor) -> Model:
    """Give a member another role; the last administrator keeps theirs."""
    require(actor, lambda person: kind.can_manage(person, organisation))
    if role not in kind.roles.values:
        raise kind.error("Choisissez un rôle.")
    with transaction.atomic():
        _lock(kind, organisation)
        membership = _active_membership(kind, organisation, user)
        if membership.role != role:
            _keep_an_admin(kind, organisation, membership)
            membership.role = role
            membership.save(update_fields=["role", "updated_at"])
    return membership


def remove_member(kind: TeamKind, *, organisation: Any, user: User, actor: Actor) -> Model:
    """Take ``user`` out of the team (a manager removes anyone, anyone may leave); the
    last administrator stays."""
    require(actor, lambda person: person == user or kind.can_manage(person, organisation))
    with transaction.atomic():
        _lock(kind, organisation)
        membership = _active_membership(kind, organisation, user)
        _keep_an_admin(kind, organisation, membership)
        membership.is_active = False
        membership.save(update_fields=["is_active", "updated_at"])
    return membership


def request_to_join(
    kind: TeamKind, *, organisation: Any, email: str, name: str, message: str, actor: Actor
) -> int:
    """Someone asks the team to invite them. The administrators receive an e-mail (the
    number sent is returned); the person is told the same whatever happens."""
    require_visitor(actor)
    if kind.join_request_notification is None:
        raise kind.error("Cette équipe ne reçoit pas de demandes.")
    admins = active_admins(kind, organisation)
    if not admins or not kind.accepts_join_requests(organisation):
        logger.info("Demande pour rejoindre %s sans administrateur.", organisation.public_id)
        return 0
    rows = notify(
        kind.join_request_notification(
            **{kind.organisation_field: organisation},
            admins=admins,
            email=normalize_email(email),
            name=name.strip(),
            message=message.strip(),
        )
    )
    return len(rows)
