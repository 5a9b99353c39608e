"""Every change to a host structure goes through these functions (keyword arguments).

Views, forms, the admin, the import command and the demo call them. Each runs in a
transaction (nested in the request's one under ``ATOMIC_REQUESTS``); e-mails are written
to the outbox by ``notify()`` and leave after the commit. A change that alters what the
search shows ends with ``reindex_structures`` of the directory, in the same transaction.

Errors a person can act on are ``StructureError`` subclasses with a French ``message``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from immersio.core.actors import Actor, require
from immersio.core.validators import normalize_siret, siret_error
from immersio.notifications.services import notify
from immersio.teams import services as teams
from immersio.teams.errors import (  # noqa: F401 — shared by every team, caught by the views
    AlreadyMember,
    LastAdminError,
    LinkAlreadyUsed,
    LinkInvalid,
    TeamError,
)
from immersio.teams.people import (  # noqa: F401 — contacts and conventions import them here
    Applicant,
    get_or_create_user,
    make_admin,
    normalize_email,
    record_applicant,
)
from immersio.teams.selectors import read_registration_token as read_team_registration

from . import access
from .errors import (  # noqa: F401 — the family views and callers catch
    InvalidPause,
    NoFreeBit,
    SiretAlreadyRegistered,
    SiretInvalid,
    StructureError,
)
from .models import (
    CONTACT_FIELDS,
    IDENTITY_FIELDS,
    WELCOME_FIELDS,
    HostStructure,
    Invitation,
    ReceivedRequest,
    Registration,
    StructureMembership,
)
from .notifications import SiretConfirmedNotification
from .selectors import active_structure_with_siret
from .team import TEAM
from .writing import SiteData, reindex, write_sites

if TYPE_CHECKING:
    from immersio.accounts.models import User

logger = logging.getLogger(__name__)

MAX_PAUSE_DAYS = 366

Status = HostStructure.Status
Role = StructureMembership.Role

# The fields of a structure its administrators edit (``update_structure``).
EDITABLE_FIELDS = frozenset(
    {
        *IDENTITY_FIELDS,
        "description",
        "website",
        "immersion_description",
        *WELCOME_FIELDS,
        "max_requests_per_month",
        *CONTACT_FIELDS,
    }
)
RELATED_FIELDS = frozenset({"causes", "networks"})


# Data passed to the services ---------------------------------------------------------


@dataclass
class ConfirmedRegistration:
    registration: Registration
    structure: HostStructure
    user: User
    created_account: bool = False
    extra: dict = field(default_factory=dict)


# Helpers -----------------------------------------------------------------------------


def _lock(structure: HostStructure) -> HostStructure:
    return HostStructure.objects.select_for_update().get(pk=structure.pk)


def _apply_fields(structure: HostStructure, fields: dict) -> dict:
    """Set plain fields; return the related ones (causes, networks) to set after saving."""
    related = {}
    for name, value in fields.items():
        if name in RELATED_FIELDS:
            related[name] = list(value)
        elif name in EDITABLE_FIELDS:
            setattr(structure, name, value)
        else:
            raise ValueError(f"Champ non modifiable : {name}")
    if structure.ess_status and not structure.is_ess:
        structure.is_ess = True
    return related


def _save_related(structure: HostStructure, related: dict) -> None:
    for name, values in related.items():
        getattr(structure, name).set(values)


# Registration ------------------------------------------------------------------------


def start_registration(
    *,
    siret: str,
    fields: dict,
    sites: Sequence[SiteData],
    applicant: Applicant,
    source: str = "formulaire",
    siret_confirmed: bool = False,
    actor: Actor,
) -> Registration:
    """Record a structure typed in the public form, waiting for its e-mail confirmation.

    The structure stays ``PENDING`` (out of the search) until ``confirm_registration``.
    A previous unconfirmed registration of the same SIRET is replaced.
    ``siret_confirmed``: the SIRENE register knew this SIRET as an open establishment.
    ``actor``: the person filling in the form, or ``VISITOR`` when not logged in.
    """
    teams.require_visitor(actor)
    error = siret_error(siret)
    if error:
        raise SiretInvalid(error)
    siret = normalize_siret(siret)
    with transaction.atomic():
        existing = active_structure_with_siret(siret)
        if existing is not None:
            raise SiretAlreadyRegistered(existing)
        HostStructure.objects.filter(siret=siret, status=Status.PENDING).delete()
        structure = HostStructure(siret=siret, status=Status.PENDING, source=source)
        related = _apply_fields(structure, fields)
        if siret_confirmed:
            structure.siret_checked_by = HostStructure.SiretCheck.REGISTER
            structure.siret_checked_at = timezone.now()
        structure.full_clean()
        structure.save()
        _save_related(structure, related)
        write_sites(structure, sites)
        registration = record_applicant(
            TEAM, organisation=structure, applicant=applicant, phone=applicant.phone
        )
    logger.info("Structure %s en attente de confirmation.", structure.public_id)
    return registration


def confirm_registration(*, token: str, actor: Actor) -> ConfirmedRegistration:
    """The registering person opened their link: publish the structure and make them its
    administrator (creating their account if needed). Single use; ``actor`` is whoever
    holds the link (``AUTOMATIC`` when not logged in)."""
    teams.require_link_holder(actor)
    registration = read_team_registration(TEAM, token)
    # Asked before any row is locked: the register may be slow or time out.
    structure = registration.structure
    register_confirms = not structure.siret_checked_by and _register_confirms(structure.siret)
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))  # the structure: _lock
            .select_related("structure")
            .get(pk=registration.pk)
        )
        structure = _lock(registration.structure)
        if registration.confirmed_at is not None or structure.status != Status.PENDING:
            raise LinkAlreadyUsed
        user, created = get_or_create_user(
            email=registration.email,
            first_name=registration.first_name,
            last_name=registration.last_name,
            phone=registration.phone,
        )
        make_admin(TEAM, organisation=structure, user=user, job_title=registration.job_title)
        now = timezone.now()
        if not structure.siret_checked_by and register_confirms:
            structure.siret_checked_by = HostStructure.SiretCheck.REGISTER
            structure.siret_checked_at = now
        structure.last_activity_at = now
        if structure.siret_checked_by:
            structure.status = Status.PUBLISHED
            structure.published_at = now
        else:
            # Published only once the register or the Immersio team confirms the SIRET.
            structure.status = Status.UNVERIFIED
        structure.save(
            update_fields=[
                "status",
                "published_at",
                "last_activity_at",
                "siret_checked_by",
                "siret_checked_at",
                "updated_at",
            ]
        )
        registration.confirmed_at = now
        registration.confirmed_by = user
        registration.save(update_fields=["confirmed_at", "confirmed_by", "updated_at"])
        reindex([structure.pk])
    logger.info("Structure %s confirmée (%s).", structure.public_id, structure.status)
    return ConfirmedRegistration(
        registration=registration, structure=structure, user=user, created_account=created
    )


def _register_confirms(siret: str) -> bool:
    """Ask the SIRENE register again (it may have been unreachable during the form):
    whether it knows ``siret`` as an active establishment."""
    from .sirene import lookup_siret

    found = lookup_siret(siret)
    return found is not None and found.is_active and found.siret == siret


def _is_staff(user: object) -> bool:
    return bool(getattr(user, "is_staff", False))


def confirm_siret(*, structure: HostStructure, actor: Actor) -> HostStructure:
    """The Immersio team checked the SIRET of a structure waiting for it (staff only):
    the structure is published and its team told by e-mail."""
    require(actor, _is_staff)
    with transaction.atomic():
        locked = _lock(structure)
        if locked.status != Status.UNVERIFIED:
            raise StructureError("Cette structure n'attend pas de vérification de son SIRET.")
        now = timezone.now()
        locked.siret_checked_by = HostStructure.SiretCheck.STAFF
        locked.siret_checked_at = now
        locked.status = Status.PUBLISHED
        locked.published_at = locked.published_at or now
        locked.save(
            update_fields=[
                "status",
                "published_at",
                "siret_checked_by",
                "siret_checked_at",
                "updated_at",
            ]
        )
        reindex([locked.pk])
        notify(SiretConfirmedNotification(structure=locked))
    logger.info("SIRET de la structure %s confirmé par l'équipe.", locked.public_id)
    return locked


# Editing -----------------------------------------------------------------------------


def update_structure(*, structure: HostStructure, actor: Actor, **fields: object) -> HostStructure:
    """Change the structure's details (``EDITABLE_FIELDS``, ``causes``, ``networks``)."""
    require(actor, lambda user: access.can_edit(user, structure))
    with transaction.atomic():
        locked = _lock(structure)
        related = _apply_fields(locked, fields)
        locked.full_clean()
        locked.last_activity_at = timezone.now()
        locked.save()
        _save_related(locked, related)
        reindex([locked.pk])
    return locked


def set_sites_and_offers(
    *, structure: HostStructure, sites: Sequence[SiteData], actor: Actor
) -> HostStructure:
    """Replace the structure's sites and their métiers (sites given with their
    ``public_id`` are kept and updated; the others are created; missing ones deleted)."""
    require(actor, lambda user: access.can_edit(user, structure))
    if not sites:
        raise StructureError("Indiquez au moins un lieu d'accueil.")
    with transaction.atomic():
        locked = _lock(structure)
        write_sites(locked, sites)
        locked.last_activity_at = timezone.now()
        locked.save(update_fields=["last_activity_at", "updated_at"])
        reindex([locked.pk])
    return locked


def pause(*, structure: HostStructure, until: date, actor: Actor) -> HostStructure:
    """Hide the structure from the search until ``until`` (included)."""
    require(actor, lambda user: access.can_pause(user, structure))
    today = timezone.localdate()
    if until < today:
        raise InvalidPause("Choisissez une date à venir.")
    if until > today + timedelta(days=MAX_PAUSE_DAYS):
        raise InvalidPause("Une pause dure au plus un an : choisissez une date plus proche.")
    locked = _set_paused_until(structure, until)
    logger.info("Structure %s en pause jusqu'au %s.", locked.public_id, until.isoformat())
    return locked


def resume(*, structure: HostStructure, actor: Actor) -> HostStructure:
    """Show the structure in the search again before the end of its pause."""
    require(actor, lambda user: access.can_pause(user, structure))
    return _set_paused_until(structure, None)


def _set_paused_until(structure: HostStructure, until: date | None) -> HostStructure:
    """Pause the structure until ``until`` or end its pause (``None``): an administrator's
    activity, and the search follows at once."""
    with transaction.atomic():
        locked = _lock(structure)
        locked.paused_until = until
        locked.last_activity_at = timezone.now()
        locked.save(update_fields=["paused_until", "last_activity_at", "updated_at"])
        reindex([locked.pk])
    return locked


def record_request_received(
    *, structure: HostStructure, kind: str = "contact", at: datetime | None = None, actor: Actor
) -> ReceivedRequest:
    """Count one request received (capacity is computed from these rows). Only ever the
    consequence of a request another service recorded: a system actor, never a person."""
    require(actor, lambda user: False)
    with transaction.atomic():
        row = ReceivedRequest.objects.create(
            structure=structure, kind=kind, received_at=at or timezone.now()
        )
        reindex([structure.pk])
    return row


def _set_status(structure: HostStructure, *, status: str, reason: str = "") -> HostStructure:
    with transaction.atomic():
        locked = _lock(structure)
        locked.status = status
        locked.status_reason = reason.strip()[:500]
        if status == Status.PUBLISHED and locked.published_at is None:
            locked.published_at = timezone.now()
        locked.save(update_fields=["status", "status_reason", "published_at", "updated_at"])
        reindex([locked.pk])
    return locked


def close_structure(*, structure: HostStructure, actor: Actor, reason: str = "") -> HostStructure:
    """Close for good: out of the search, the SIRET is free for a new registration."""
    require(actor, lambda user: access.is_admin(user, structure))
    with transaction.atomic():
        closed = _set_status(structure, status=Status.CLOSED, reason=reason)
        Invitation.objects.filter(structure=closed, accepted_at=None, revoked_at=None).update(
            revoked_at=timezone.now()
        )
    logger.info("Structure %s fermée.", closed.public_id)
    return closed


def suspend_structure(*, structure: HostStructure, actor: Actor, reason: str = "") -> HostStructure:
    """The Immersio team, or the platform after unanswered requests, takes a structure out
    of the search."""
    require(actor, _is_staff)
    if structure.status == Status.CLOSED:
        raise StructureError("Une structure fermée ne peut pas être suspendue.")
    return _set_status(structure, status=Status.SUSPENDED, reason=reason)


def reopen_structure(*, structure: HostStructure, actor: Actor) -> HostStructure:
    """Publish again a suspended (or closed) structure (staff, or the platform)."""
    require(actor, _is_staff)
    if structure.status == Status.UNVERIFIED:
        raise StructureError("Confirmez d'abord le SIRET de cette structure pour la publier.")
    if structure.status == Status.CLOSED:
        taken = active_structure_with_siret(structure.siret)
        if taken is not None and taken.pk != structure.pk:
            raise SiretAlreadyRegistered(taken)
    return _set_status(structure, status=Status.PUBLISHED)


# Team (the logic is ``teams.services``) -------------------------------------------------


def invite_member(*, structure: HostStructure, email: str, role: str, actor: Actor) -> Invitation:
    """E-mail ``email`` a link to join the team with ``role``."""
    return teams.invite_member(TEAM, organisation=structure, email=email, role=role, actor=actor)


def accept_invitation(*, token: str, actor: Actor) -> StructureMembership:
    """The invited person opened their link: they join the team. Single use."""
    return teams.accept_invitation(TEAM, token=token, actor=actor)


def revoke_invitation(*, invitation: Invitation, actor: Actor) -> Invitation:
    return teams.revoke_invitation(TEAM, invitation=invitation, actor=actor)


def change_role(
    *, structure: HostStructure, user: User, role: str, actor: Actor
) -> StructureMembership:
    return teams.change_role(TEAM, organisation=structure, user=user, role=role, actor=actor)


def remove_member(*, structure: HostStructure, user: User, actor: Actor) -> StructureMembership:
    """Take ``user`` out of the team (or let them leave); the last administrator stays."""
    return teams.remove_member(TEAM, organisation=structure, user=user, actor=actor)


def request_to_join(
    *, structure: HostStructure, email: str, name: str, message: str, actor: Actor
) -> int:
    """Someone asks the team of a registered structure to invite them."""
    return teams.request_to_join(
        TEAM, organisation=structure, email=email, name=name, message=message, actor=actor
    )
