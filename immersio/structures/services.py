"""Every change to a host structure goes through these functions (keyword arguments).

Views, forms, the admin, the import command and the demo call them. Each runs in a
transaction (nested in the request's one under ``ATOMIC_REQUESTS``); e-mails are written
to the outbox by ``notify()`` and leave after the commit. A change that alters what the
search shows ends with ``reindex_structures`` of the directory, in the same transaction.

Errors a person can act on are ``StructureError`` subclasses with a French ``message``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from immersio.core.links import read_signed_id, signed_url
from immersio.core.validators import normalize_siret, siret_error
from immersio.notifications.services import notify

from . import access, hooks, rules
from .models import (
    HostStructure,
    Invitation,
    Offer,
    ReceivedRequest,
    Registration,
    Site,
    StructureMembership,
)
from .notifications import (
    InvitationNotification,
    JoinRequestNotification,
    RegistrationConfirmNotification,
    SiretConfirmedNotification,
)
from .selectors import active_admins

logger = logging.getLogger(__name__)

REGISTRATION_SALT = "immersio.structures.registration"
REGISTRATION_MAX_AGE_DAYS = 7
INVITATION_SALT = "immersio.structures.invitation"
INVITATION_MAX_AGE_DAYS = 14
MAX_PAUSE_DAYS = 366
MAX_BIT = 62

Status = HostStructure.Status
Role = StructureMembership.Role

# The fields of a structure its administrators edit (``update_structure``).
EDITABLE_FIELDS = frozenset(
    {
        "name",
        "brand_name",
        "kind",
        "is_ess",
        "ess_status",
        "naf",
        "headcount",
        "description",
        "website",
        "immersion_description",
        "fit_for_disabled_workers",
        "public_transport",
        "welcomes_job_seekers",
        "welcomes_employees",
        "welcomes_minors",
        "max_requests_per_month",
        "contact_mode",
        "contact_phone",
        "contact_instructions",
    }
)
RELATED_FIELDS = frozenset({"causes", "networks"})


# Errors ------------------------------------------------------------------------------


class StructureError(Exception):
    """A change refused for a reason the person can understand (``message``, French)."""

    message = "Cette opération n'est pas possible."

    def __init__(self, message: str | None = None):
        if message:
            self.message = message
        super().__init__(self.message)


class SiretInvalid(StructureError):
    pass


class SiretAlreadyRegistered(StructureError):
    def __init__(self, structure: HostStructure):
        self.structure = structure
        super().__init__(
            f"Une structure est déjà référencée avec ce SIRET : {structure.display_name}."
        )


class LinkInvalid(StructureError):
    message = "Ce lien n'est plus valable : il a expiré ou il est incomplet."


class LinkAlreadyUsed(StructureError):
    message = "Ce lien a déjà été utilisé."


class LastAdminError(StructureError):
    message = (
        "La structure doit garder au moins un administrateur : invitez-en un autre avant de "
        "retirer cette personne."
    )


class AlreadyMember(StructureError):
    message = "Cette personne fait déjà partie de l'équipe."


class InvalidPause(StructureError):
    pass


class NoFreeBit(StructureError):
    message = "Les 63 positions de l'index de recherche sont toutes prises."


# Data passed to the services ---------------------------------------------------------


@dataclass(frozen=True)
class SiteData:
    """One place where the structure hosts immersions, and the métiers offered there."""

    address: str
    commune: object  # referentials.Commune
    appellations: Sequence = ()  # referentials.Appellation
    label: str = ""
    postal_code: str = ""
    public_id: UUID | None = None  # an existing site to keep (and update)


@dataclass(frozen=True)
class Applicant:
    """The person who registers a structure."""

    email: str
    first_name: str
    last_name: str
    phone: str = ""
    job_title: str = ""


@dataclass
class ConfirmedRegistration:
    registration: Registration
    structure: HostStructure
    user: object
    created_account: bool = False
    extra: dict = field(default_factory=dict)


# Helpers -----------------------------------------------------------------------------


def reindex(structure_ids: Iterable[int]) -> None:
    """Tell the directory that these structures changed (same transaction)."""
    ids = list(structure_ids)
    for changed in hooks.structures_changed:
        changed(ids)


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _lock(structure: HostStructure) -> HostStructure:
    return HostStructure.objects.select_for_update().get(pk=structure.pk)


def normalize_email(email: str) -> str:
    User = get_user_model()
    return User.objects.normalize_email((email or "").strip()).lower()


def get_or_create_user(
    *, email: str, first_name: str = "", last_name: str = "", phone: str = ""
) -> tuple[object, bool]:
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


def active_structure_with_siret(siret: str) -> HostStructure | None:
    """The structure that holds ``siret`` now (published or suspended), if any."""
    return (
        HostStructure.objects.filter(siret=normalize_siret(siret))
        .exclude(status__in=[Status.CLOSED, Status.PENDING])
        .first()
    )


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


def write_sites(structure: HostStructure, sites: Sequence[SiteData]) -> None:
    """Write the sites and offers of ``structure`` (inside the caller's transaction; the
    caller reindexes)."""
    existing = {site.public_id: site for site in structure.sites.all()}
    kept = set()
    for data in sites:
        site = existing.get(data.public_id) if data.public_id else None
        if site is None:
            site = Site(structure=structure)
        commune = data.commune
        if commune.latitude is None or commune.longitude is None:
            raise StructureError(
                f"Nous ne connaissons pas la position de la commune {commune.name} : "
                "choisissez une commune voisine."
            )
        site.label = data.label.strip()
        site.address = data.address.strip()
        site.commune = commune
        site.postal_code = data.postal_code or (commune.postal_code_list or [""])[0]
        site.latitude = commune.latitude
        site.longitude = commune.longitude
        site.save()
        kept.add(site.pk)
        wanted = {appellation.pk for appellation in data.appellations}
        site.offers.exclude(appellation_id__in=wanted).delete()
        present = set(site.offers.values_list("appellation_id", flat=True))
        Offer.objects.bulk_create(
            [Offer(site=site, appellation_id=code) for code in wanted - present]
        )
    structure.sites.exclude(pk__in=kept).delete()


# Registration ------------------------------------------------------------------------


def registration_url(registration: Registration) -> str:
    return signed_url("structures:confirm", registration.public_id, salt=REGISTRATION_SALT, key="r")


def start_registration(
    *,
    siret: str,
    fields: dict,
    sites: Sequence[SiteData],
    applicant: Applicant,
    source: str = "formulaire",
    siret_confirmed: bool = False,
) -> Registration:
    """Record a structure typed in the public form, waiting for its e-mail confirmation.

    The structure stays ``PENDING`` (out of the search) until ``confirm_registration``.
    A previous unconfirmed registration of the same SIRET is replaced.
    ``siret_confirmed``: the SIRENE register knew this SIRET as an open establishment.
    """
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
        registration = Registration.objects.create(
            structure=structure,
            email=normalize_email(applicant.email),
            first_name=applicant.first_name.strip(),
            last_name=applicant.last_name.strip(),
            phone=applicant.phone,
            job_title=applicant.job_title.strip(),
            consented_at=timezone.now(),
        )
        notify(
            RegistrationConfirmNotification(
                registration=registration,
                confirm_url=registration_url(registration),
                max_age_days=REGISTRATION_MAX_AGE_DAYS,
            )
        )
    logger.info("Structure %s en attente de confirmation.", structure.public_id)
    return registration


def read_registration_token(token: str) -> Registration:
    """The registration a confirmation link is for, without using it."""
    public_id = read_signed_id(
        token, salt=REGISTRATION_SALT, key="r", max_age=timedelta(days=REGISTRATION_MAX_AGE_DAYS)
    )
    if public_id is None:
        raise LinkInvalid
    registration = (
        Registration.objects.select_related("structure").filter(public_id=public_id).first()
    )
    if registration is None:  # replaced by a newer registration of the same SIRET
        raise LinkInvalid
    if registration.confirmed_at is not None or registration.structure.status != Status.PENDING:
        raise LinkAlreadyUsed
    return registration


def confirm_registration(*, token: str) -> ConfirmedRegistration:
    """The registering person opened their link: publish the structure and make them its
    administrator (creating their account if needed). Single use."""
    registration = read_registration_token(token)
    # Asked before any row is locked: the register may be slow or time out.
    structure = registration.structure
    register_confirms = not structure.siret_checked_by and _register_confirms(structure.siret)
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
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
        StructureMembership.objects.update_or_create(
            structure=structure,
            user=user,
            defaults={
                "role": Role.ADMIN,
                "is_active": True,
                "job_title": registration.job_title,
            },
        )
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


def confirm_siret(*, structure: HostStructure, by) -> HostStructure:
    """The Immersio team checked the SIRET of a structure waiting for it (staff only):
    the structure is published and its team told by e-mail."""
    if by is not None:
        _check(getattr(by, "is_staff", False))
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


def update_structure(*, structure: HostStructure, by, **fields) -> HostStructure:
    """Change the structure's details (``EDITABLE_FIELDS``, ``causes``, ``networks``)."""
    if by is not None:
        _check(access.can_edit(by, structure))
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
    *, structure: HostStructure, sites: Sequence[SiteData], by=None
) -> HostStructure:
    """Replace the structure's sites and their métiers (sites given with their
    ``public_id`` are kept and updated; the others are created; missing ones deleted)."""
    if by is not None:
        _check(access.can_edit(by, structure))
    if not sites:
        raise StructureError("Indiquez au moins un lieu d'accueil.")
    with transaction.atomic():
        locked = _lock(structure)
        write_sites(locked, sites)
        locked.last_activity_at = timezone.now()
        locked.save(update_fields=["last_activity_at", "updated_at"])
        reindex([locked.pk])
    return locked


def pause(*, structure: HostStructure, until: date, by) -> HostStructure:
    """Hide the structure from the search until ``until`` (included)."""
    if by is not None:
        _check(access.can_pause(by, structure))
    today = timezone.localdate()
    if until < today:
        raise InvalidPause("Choisissez une date à venir.")
    if until > today + timedelta(days=MAX_PAUSE_DAYS):
        raise InvalidPause("Une pause dure au plus un an : choisissez une date plus proche.")
    with transaction.atomic():
        locked = _lock(structure)
        locked.paused_until = until
        locked.last_activity_at = timezone.now()
        locked.save(update_fields=["paused_until", "last_activity_at", "updated_at"])
        reindex([locked.pk])
    logger.info("Structure %s en pause jusqu'au %s.", locked.public_id, until.isoformat())
    return locked


def resume(*, structure: HostStructure, by) -> HostStructure:
    if by is not None:
        _check(access.can_pause(by, structure))
    with transaction.atomic():
        locked = _lock(structure)
        locked.paused_until = None
        locked.last_activity_at = timezone.now()
        locked.save(update_fields=["paused_until", "last_activity_at", "updated_at"])
        reindex([locked.pk])
    return locked


def record_request_received(
    *, structure: HostStructure, kind: str = "contact", at: datetime | None = None
) -> ReceivedRequest:
    """Count one request received (capacity is computed from these rows)."""
    with transaction.atomic():
        row = ReceivedRequest.objects.create(
            structure=structure, kind=kind, received_at=at or timezone.now()
        )
        reindex([structure.pk])
    return row


def _set_status(structure, *, status: str, reason: str = "") -> HostStructure:
    with transaction.atomic():
        locked = _lock(structure)
        locked.status = status
        locked.status_reason = reason.strip()[:500]
        if status == Status.PUBLISHED and locked.published_at is None:
            locked.published_at = timezone.now()
        locked.save(update_fields=["status", "status_reason", "published_at", "updated_at"])
        reindex([locked.pk])
    return locked


def close_structure(*, structure: HostStructure, by, reason: str = "") -> HostStructure:
    """Close for good: out of the search, the SIRET is free for a new registration."""
    if by is not None:
        _check(access.is_admin(by, structure))
    with transaction.atomic():
        closed = _set_status(structure, status=Status.CLOSED, reason=reason)
        Invitation.objects.filter(structure=closed, accepted_at=None, revoked_at=None).update(
            revoked_at=timezone.now()
        )
    logger.info("Structure %s fermée.", closed.public_id)
    return closed


def suspend_structure(*, structure: HostStructure, by, reason: str = "") -> HostStructure:
    """The Immersio team takes a structure out of the search (staff only)."""
    if by is not None:
        _check(getattr(by, "is_staff", False))
    if structure.status == Status.CLOSED:
        raise StructureError("Une structure fermée ne peut pas être suspendue.")
    return _set_status(structure, status=Status.SUSPENDED, reason=reason)


def reopen_structure(*, structure: HostStructure, by) -> HostStructure:
    """Publish again a suspended (or closed) structure (staff only)."""
    if by is not None:
        _check(getattr(by, "is_staff", False))
    if structure.status == Status.UNVERIFIED:
        raise StructureError("Confirmez d'abord le SIRET de cette structure pour la publier.")
    if structure.status == Status.CLOSED:
        taken = active_structure_with_siret(structure.siret)
        if taken is not None and taken.pk != structure.pk:
            raise SiretAlreadyRegistered(taken)
    return _set_status(structure, status=Status.PUBLISHED)


# Team --------------------------------------------------------------------------------


def invitation_url(invitation: Invitation) -> str:
    return signed_url("structures:invitation", invitation.public_id, salt=INVITATION_SALT, key="i")


def invite_member(*, structure: HostStructure, email: str, role: str, by) -> Invitation:
    """E-mail ``email`` a link to join the team with ``role``. The account is created (if
    needed) only when the link is used; the answer does not say whether it exists."""
    if by is not None:
        _check(access.can_manage_team(by, structure))
    if role not in Role.values:
        raise StructureError("Choisissez un rôle.")
    email = normalize_email(email)
    with transaction.atomic():
        if StructureMembership.objects.filter(
            structure=structure, user__email__iexact=email, is_active=True
        ).exists():
            raise AlreadyMember
        now = timezone.now()
        Invitation.objects.filter(
            structure=structure, email__iexact=email, accepted_at=None, revoked_at=None
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            structure=structure,
            email=email,
            role=role,
            invited_by=by if getattr(by, "is_authenticated", False) else None,
        )
        notify(
            InvitationNotification(
                invitation=invitation,
                accept_url=invitation_url(invitation),
                max_age_days=INVITATION_MAX_AGE_DAYS,
            )
        )
    return invitation


def read_invitation_token(token: str) -> Invitation:
    public_id = read_signed_id(
        token, salt=INVITATION_SALT, key="i", max_age=timedelta(days=INVITATION_MAX_AGE_DAYS)
    )
    if public_id is None:
        raise LinkInvalid
    invitation = Invitation.objects.select_related("structure").filter(public_id=public_id).first()
    if invitation is None or invitation.revoked_at is not None:
        raise LinkInvalid
    if invitation.accepted_at is not None:
        raise LinkAlreadyUsed
    if invitation.structure.status == Status.CLOSED:
        raise LinkInvalid
    return invitation


def accept_invitation(*, token: str) -> StructureMembership:
    """The invited person opened their link: they join the team (account created if
    needed). Single use."""
    invitation = read_invitation_token(token)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise LinkAlreadyUsed
        if invitation.revoked_at is not None:
            raise LinkInvalid
        user, _created = get_or_create_user(email=invitation.email)
        membership = StructureMembership.objects.filter(
            structure=invitation.structure, user=user
        ).first()
        if membership is None:
            membership = StructureMembership(structure=invitation.structure, user=user)
        if not (membership.pk and membership.is_active and membership.role == Role.ADMIN):
            membership.role = invitation.role
        membership.is_active = True
        membership.invited_by = invitation.invited_by
        membership.save()
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at", "updated_at"])
    return membership


def revoke_invitation(*, invitation: Invitation, by) -> Invitation:
    if by is not None:
        _check(access.can_manage_team(by, invitation.structure))
    if invitation.is_open:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
    return invitation


def remove_member(*, structure: HostStructure, user, by) -> StructureMembership:
    """Take ``user`` out of the team (an admin removes anyone, anyone may leave); the
    last administrator stays."""
    if by is not None and by != user:
        _check(access.can_manage_team(by, structure))
    with transaction.atomic():
        _lock(structure)
        membership = StructureMembership.objects.filter(
            structure=structure, user=user, is_active=True
        ).first()
        if membership is None:
            raise StructureError("Cette personne ne fait pas partie de l'équipe.")
        if membership.role == Role.ADMIN:
            admins = StructureMembership.objects.filter(
                structure=structure, role=Role.ADMIN, is_active=True
            ).count()
            if admins <= 1:
                raise LastAdminError
        membership.is_active = False
        membership.save(update_fields=["is_active", "updated_at"])
    return membership


def request_to_join(*, structure: HostStructure, email: str, name: str, message: str) -> int:
    """Someone asks the team of an already registered structure to invite them. The
    administrators receive an e-mail; the person is told the same whatever happens."""
    admins = active_admins(structure)
    if not admins or structure.status in (Status.CLOSED, Status.PENDING):
        logger.info("Demande pour rejoindre %s sans administrateur.", structure.public_id)
        return 0
    rows = notify(
        JoinRequestNotification(
            structure=structure,
            admins=admins,
            email=normalize_email(email),
            name=name.strip(),
            message=message.strip(),
        )
    )
    return len(rows)


# Vocabulary --------------------------------------------------------------------------


def next_free_bit(model) -> int:
    """The lowest search-index bit (0 to 62) that no row of ``model`` (Cause, Network)
    uses yet."""
    used = set(model.objects.values_list("bit", flat=True))
    for bit in range(MAX_BIT + 1):
        if bit not in used:
            return bit
    raise NoFreeBit


# Reading helpers used by the views -------------------------------------------------------


def describe_pause(structure: HostStructure) -> str:
    if not structure.is_paused:
        return ""
    return f"En pause jusqu'au {date_format(structure.paused_until, 'j F Y')} inclus."


def default_capacity(headcount: str) -> int:
    return rules.default_capacity(headcount)
