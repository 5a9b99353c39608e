"""Every change to an agency goes through these functions (keyword arguments).

Views, forms, the admin, the reminder command and the demo call them. E-mails are
written to the outbox by ``notify()`` in the transaction and leave after the commit.
Errors a person can act on are ``AgencyError`` subclasses with a French ``message``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from immersio.accounts.services import login_url
from immersio.core.links import read_signed_id, signed_url
from immersio.core.validators import normalize_siret, siret_error
from immersio.notifications.base import Recipient, absolute_url
from immersio.notifications.services import notify
from immersio.structures.services import get_or_create_user, normalize_email

from .models import ETTI_MESSAGE, Agency, AgencyInvitation, AgencyMembership, AgencyRegistration
from .notifications import (
    ActivatedNotification,
    DelegationReminderNotification,
    InvitationNotification,
    RegistrationConfirmNotification,
    RejectedNotification,
    ReviewRequestedNotification,
)

logger = logging.getLogger(__name__)

REGISTRATION_SALT = "immersio.agencies.registration"
REGISTRATION_MAX_AGE_DAYS = 7
INVITATION_SALT = "immersio.agencies.invitation"
INVITATION_MAX_AGE_DAYS = 14

Status = Agency.Status
Kind = Agency.Kind
Role = AgencyMembership.Role

# The agency fields the registration form fills in.
REGISTRATION_FIELDS = frozenset(
    {
        "kind",
        "siae_kind",
        "name",
        "address",
        "postal_code",
        "covered_departments",
        "contact_email",
        "phone",
        "delegating_agency",
        "delegation_end_date",
        "referring_agency",
    }
)


# Errors ------------------------------------------------------------------------------


class AgencyError(Exception):
    message = "Cette opération n'est pas possible."

    def __init__(self, message: str | None = None):
        if message:
            self.message = message
        super().__init__(self.message)


class LinkInvalid(AgencyError):
    message = "Ce lien n'est plus valable : il a expiré ou il est incomplet."


class LinkAlreadyUsed(AgencyError):
    message = "Ce lien a déjà été utilisé."


class LastAdminError(AgencyError):
    message = (
        "Le prescripteur doit garder au moins un administrateur : nommez-en un autre avant "
        "de retirer cette personne."
    )


class AlreadyMember(AgencyError):
    message = "Cette personne fait déjà partie de l'équipe."


class AgencyInvalid(AgencyError):
    """The details do not make a valid agency; ``errors`` maps fields to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        first = next(iter(errors.values()), ["Vérifiez les informations saisies."])
        super().__init__(first[0])


# Access ------------------------------------------------------------------------------


def membership_of(user, agency: Agency) -> AgencyMembership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return AgencyMembership.objects.filter(agency=agency, user=user, is_active=True).first()


def can_manage_team(user, agency: Agency) -> bool:
    if getattr(user, "is_staff", False):
        return True
    membership = membership_of(user, agency)
    return membership is not None and membership.role == Role.ADMIN


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _lock(agency: Agency) -> Agency:
    return Agency.objects.select_for_update().get(pk=agency.pk)


# Registration ------------------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    email: str
    first_name: str
    last_name: str
    job_title: str = ""


def open_agency_with_siret(siret: str) -> Agency | None:
    """An agency with this SIRET, active or waiting for activation."""
    return (
        Agency.objects.filter(siret=normalize_siret(siret))
        .filter(status__in=[Status.ACTIVE, Status.PENDING])
        .exclude(registration__confirmed_at=None, status=Status.PENDING)
        .first()
    )


def _validated(agency: Agency) -> None:
    if agency.siae_kind and agency.siae_kind.upper() == "ETTI":
        raise AgencyInvalid({"siae_kind": [ETTI_MESSAGE]})
    try:
        agency.full_clean()
    except ValidationError as exc:
        raise AgencyInvalid(exc.message_dict) from exc


def registration_url(registration: AgencyRegistration) -> str:
    return signed_url("agencies:confirm", registration.public_id, salt=REGISTRATION_SALT, key="r")


def start_registration(
    *, siret: str, commune, fields: dict, applicant: Applicant
) -> AgencyRegistration:
    """Record an agency typed in the public form. It waits, ``PENDING``, for the
    confirmation of the applicant's address, then for the Immersio team's decision."""
    error = siret_error(siret)
    if error:
        raise AgencyInvalid({"siret": [error]})
    siret = normalize_siret(siret)
    unknown = set(fields) - REGISTRATION_FIELDS
    if unknown:
        raise ValueError(f"Champs inconnus : {sorted(unknown)}")
    if commune.latitude is None or commune.longitude is None:
        raise AgencyInvalid(
            {"commune": [f"Nous ne connaissons pas la position de {commune.name}."]}
        )
    with transaction.atomic():
        existing = open_agency_with_siret(siret)
        if existing is not None:
            raise AgencyInvalid(
                {
                    "siret": [
                        f"{existing.name} est déjà inscrit avec ce SIRET : demandez à son "
                        "administrateur de vous inviter dans son équipe."
                    ]
                }
            )
        # An unconfirmed earlier attempt with the same SIRET is replaced.
        Agency.objects.filter(
            siret=siret,
            status=Status.PENDING,
            registration__isnull=False,
            registration__confirmed_at=None,
        ).delete()
        agency = Agency(
            siret=siret,
            commune=commune,
            latitude=commune.latitude,
            longitude=commune.longitude,
            status=Status.PENDING,
        )
        for name, value in fields.items():
            setattr(agency, name, value)
        if not agency.postal_code:
            agency.postal_code = (commune.postal_code_list or [""])[0]
        if not agency.covered_departments:
            agency.covered_departments = [commune.department]
        _validated(agency)
        agency.save()
        registration = AgencyRegistration.objects.create(
            agency=agency,
            email=normalize_email(applicant.email),
            first_name=applicant.first_name.strip(),
            last_name=applicant.last_name.strip(),
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
    logger.info("Prescripteur %s inscrit, adresse à confirmer.", agency.public_id)
    return registration


def read_registration_token(token: str) -> AgencyRegistration:
    public_id = read_signed_id(
        token, salt=REGISTRATION_SALT, key="r", max_age=timedelta(days=REGISTRATION_MAX_AGE_DAYS)
    )
    if public_id is None:
        raise LinkInvalid
    registration = (
        AgencyRegistration.objects.select_related("agency").filter(public_id=public_id).first()
    )
    if registration is None:
        raise LinkInvalid
    if registration.confirmed_at is not None:
        raise LinkAlreadyUsed
    return registration


def confirm_registration(*, token: str) -> AgencyRegistration:
    """The applicant opened their link: the request goes to the Immersio team."""
    registration = read_registration_token(token)
    with transaction.atomic():
        registration = AgencyRegistration.objects.select_for_update().get(pk=registration.pk)
        if registration.confirmed_at is not None:
            raise LinkAlreadyUsed
        taken = open_agency_with_siret(registration.agency.siret)
        if taken is not None and taken.pk != registration.agency_id:
            raise AgencyError(f"{taken.name} est déjà inscrit avec ce SIRET.")
        registration.confirmed_at = timezone.now()
        registration.save(update_fields=["confirmed_at", "updated_at"])
        staff = get_user_model().objects.filter(is_staff=True, is_active=True)
        if staff:
            agency = registration.agency
            notify(
                ReviewRequestedNotification(
                    agency=agency,
                    registration=registration,
                    staff=staff,
                    review_url=absolute_url(
                        reverse("admin:agencies_agency_change", args=[agency.pk])
                    ),
                )
            )
    return registration


def activate_agency(*, agency: Agency, by) -> Agency:
    """Staff activate an agency: its applicant becomes its administrator and gets a login
    link; it appears in the directory."""
    if by is not None:
        _check(getattr(by, "is_staff", False))
    with transaction.atomic():
        locked = _lock(agency)
        if locked.status == Status.ACTIVE:
            return locked
        registration = AgencyRegistration.objects.filter(agency=locked).first()
        if registration is not None and registration.confirmed_at is None:
            raise AgencyError(
                "La personne qui a inscrit ce prescripteur n'a pas encore confirmé son adresse."
            )
        has_admin = AgencyMembership.objects.filter(
            agency=locked, role=Role.ADMIN, is_active=True
        ).exists()
        if registration is None and not has_admin:
            raise AgencyError("Ce prescripteur n'a pas d'administrateur : ajoutez-en un d'abord.")
        locked.status = Status.ACTIVE
        locked.status_reason = ""
        locked.activated_at = timezone.now()
        locked.save(update_fields=["status", "status_reason", "activated_at", "updated_at"])
        if registration is not None:
            user, _created = get_or_create_user(
                email=registration.email,
                first_name=registration.first_name,
                last_name=registration.last_name,
            )
            AgencyMembership.objects.update_or_create(
                agency=locked,
                user=user,
                defaults={
                    "role": Role.ADMIN,
                    "is_active": True,
                    "job_title": registration.job_title,
                },
            )
            space = reverse("agencies:space_agency", kwargs={"public_id": locked.public_id})
            notify(
                ActivatedNotification(
                    agency=locked, user=user, login_link=login_url(user, next_url=space)
                )
            )
    logger.info("Prescripteur %s activé.", locked.public_id)
    return locked


def reject_agency(*, agency: Agency, by, reason: str = "") -> Agency:
    if by is not None:
        _check(getattr(by, "is_staff", False))
    with transaction.atomic():
        locked = _lock(agency)
        if locked.status != Status.PENDING:
            raise AgencyError("Seul un prescripteur en attente peut être refusé.")
        locked.status = Status.REJECTED
        locked.status_reason = reason.strip()[:500]
        locked.save(update_fields=["status", "status_reason", "updated_at"])
        registration = AgencyRegistration.objects.filter(agency=locked).first()
        if registration is not None and registration.confirmed_at is not None:
            notify(
                RejectedNotification(
                    agency=locked, registration=registration, reason_text=locked.status_reason
                )
            )
    logger.info("Prescripteur %s refusé.", locked.public_id)
    return locked


# Team --------------------------------------------------------------------------------


def invitation_url(invitation: AgencyInvitation) -> str:
    return signed_url("agencies:invitation", invitation.public_id, salt=INVITATION_SALT, key="i")


def invite_member(*, agency: Agency, email: str, role: str, by) -> AgencyInvitation:
    if by is not None:
        _check(can_manage_team(by, agency))
    if role not in Role.values:
        raise AgencyError("Choisissez un rôle.")
    if agency.status != Status.ACTIVE:
        raise AgencyError("Vous pourrez inviter votre équipe une fois le prescripteur activé.")
    email = normalize_email(email)
    with transaction.atomic():
        if AgencyMembership.objects.filter(
            agency=agency, user__email__iexact=email, is_active=True
        ).exists():
            raise AlreadyMember
        AgencyInvitation.objects.filter(
            agency=agency, email__iexact=email, accepted_at=None, revoked_at=None
        ).update(revoked_at=timezone.now())
        invitation = AgencyInvitation.objects.create(
            agency=agency,
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


def read_invitation_token(token: str) -> AgencyInvitation:
    public_id = read_signed_id(
        token, salt=INVITATION_SALT, key="i", max_age=timedelta(days=INVITATION_MAX_AGE_DAYS)
    )
    if public_id is None:
        raise LinkInvalid
    invitation = (
        AgencyInvitation.objects.select_related("agency").filter(public_id=public_id).first()
    )
    if invitation is None or invitation.revoked_at is not None:
        raise LinkInvalid
    if invitation.accepted_at is not None:
        raise LinkAlreadyUsed
    if invitation.agency.status != Status.ACTIVE:
        raise LinkInvalid
    return invitation


def accept_invitation(*, token: str) -> AgencyMembership:
    invitation = read_invitation_token(token)
    with transaction.atomic():
        invitation = AgencyInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise LinkAlreadyUsed
        if invitation.revoked_at is not None:
            raise LinkInvalid
        user, _created = get_or_create_user(email=invitation.email)
        membership = AgencyMembership.objects.filter(agency=invitation.agency, user=user).first()
        if membership is None:
            membership = AgencyMembership(agency=invitation.agency, user=user)
        if not (membership.pk and membership.is_active and membership.role == Role.ADMIN):
            membership.role = invitation.role
        membership.is_active = True
        membership.invited_by = invitation.invited_by
        membership.save()
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at", "updated_at"])
    return membership


def revoke_invitation(*, invitation: AgencyInvitation, by) -> AgencyInvitation:
    if by is not None:
        _check(can_manage_team(by, invitation.agency))
    if invitation.is_open:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
    return invitation


def remove_member(*, agency: Agency, user, by) -> AgencyMembership:
    """Take ``user`` out of the team (an administrator removes anyone, anyone may leave);
    the last administrator stays."""
    if by is not None and by != user:
        _check(can_manage_team(by, agency))
    with transaction.atomic():
        _lock(agency)
        membership = AgencyMembership.objects.filter(
            agency=agency, user=user, is_active=True
        ).first()
        if membership is None:
            raise AgencyError("Cette personne ne fait pas partie de l'équipe.")
        if membership.role == Role.ADMIN:
            admins = AgencyMembership.objects.filter(
                agency=agency, role=Role.ADMIN, is_active=True
            ).count()
            if admins <= 1:
                raise LastAdminError
        membership.is_active = False
        membership.save(update_fields=["is_active", "updated_at"])
    return membership


# Delegation --------------------------------------------------------------------------

# (field, offset before the end date, French words); checked from the latest to the
# earliest so that one run sends at most the most urgent reminder still due.
REMINDERS = (
    ("reminder_1_day_at", relativedelta(days=1), "demain"),
    ("reminder_1_month_at", relativedelta(months=1), "dans un mois"),
    ("reminder_3_months_at", relativedelta(months=3), "dans trois mois"),
)


def can_create_conventions(agency: Agency, on: date | None = None) -> tuple[bool, str]:
    """Whether ``agency`` may create a convention on ``on`` (today by default), and why
    not, in French."""
    on = on or timezone.localdate()
    if agency.status != Status.ACTIVE:
        return False, f"{agency.name} n'est pas actif sur Immersio."
    if agency.kind == Kind.CONVENTIONNEE:
        end = agency.delegation_end_date
        delegating = agency.delegating_agency
        who = delegating.name if delegating else "l'agence qui vous a délégué la prescription"
        if end is None:
            return False, (
                f"La délégation de {agency.name} n'a pas de date de fin enregistrée : "
                f"demandez à {who} de la confirmer."
            )
        if on > end:
            return False, (
                f"La délégation de prescription de {agency.name} a pris fin le "
                f"{date_format(end, 'j F Y')} : demandez à {who} de la renouveler avant de "
                "créer une convention."
            )
        if delegating is not None and delegating.status != Status.ACTIVE:
            return (
                False,
                f"{delegating.name}, qui vous a délégué la prescription, n'est plus actif.",
            )
    if agency.kind == Kind.ACCOMPAGNEMENT:
        referring = agency.referring_agency
        if referring is None or referring.status != Status.ACTIVE:
            return False, (
                f"{agency.name} n'est rattaché à aucun prescripteur actif : demandez à l'équipe "
                "Immersio de le rattacher au prescripteur qui validera vos conventions."
            )
    return True, ""


def _admins(agency: Agency) -> list:
    return [
        m.user
        for m in AgencyMembership.objects.filter(
            agency=agency, role=Role.ADMIN, is_active=True, user__is_active=True
        ).select_related("user")
    ]


def delegation_reminder_recipients(agency: Agency) -> list[Recipient]:
    recipients: dict[str, Recipient] = {}
    for user in _admins(agency):
        recipients.setdefault(user.email.lower(), Recipient(user.email, user.get_full_name()))
    delegating = agency.delegating_agency
    if delegating is not None:
        if delegating.contact_email:
            recipients.setdefault(
                delegating.contact_email.lower(), Recipient(delegating.contact_email, "")
            )
        for user in _admins(delegating):
            recipients.setdefault(user.email.lower(), Recipient(user.email, user.get_full_name()))
    return list(recipients.values())


def due_reminder(agency: Agency, today: date) -> tuple[str, str] | None:
    """The reminder (field, words) ``agency`` should get ``today``, if any."""
    end = agency.delegation_end_date
    if end is None or today > end:
        return None
    fresh = agency.reminders_end_date != end
    for name, offset, words in REMINDERS:
        if today >= end - offset:
            if fresh or getattr(agency, name) is None:
                return name, words
            return None
    return None


@dataclass
class ReminderReport:
    agency: Agency
    field: str
    words: str
    emails: int = 0


def send_delegation_reminders(*, today: date | None = None, dry_run: bool = True):
    """E-mail the administrators of each active structure conventionnée and the agency
    that delegated to it three months, one month and one day before the end of the
    delegation; each reminder once per end date (a later reminder makes earlier ones
    moot). ``dry_run`` only lists what would be sent."""
    today = today or timezone.localdate()
    reports = []
    candidates = Agency.objects.filter(
        kind=Kind.CONVENTIONNEE,
        status=Status.ACTIVE,
        delegation_end_date__gte=today,
        delegation_end_date__lte=today + relativedelta(months=3),
    ).select_related("delegating_agency")
    for agency in candidates:
        due = due_reminder(agency, today)
        if due is None:
            continue
        name, words = due
        report = ReminderReport(agency=agency, field=name, words=words)
        reports.append(report)
        if dry_run:
            continue
        with transaction.atomic():
            locked = Agency.objects.select_for_update().get(pk=agency.pk)
            if due_reminder(locked, today) != due:
                continue
            if locked.reminders_end_date != locked.delegation_end_date:
                locked.reminders_end_date = locked.delegation_end_date
                locked.reminder_3_months_at = None
                locked.reminder_1_month_at = None
                locked.reminder_1_day_at = None
            now = timezone.now()
            # The reminders before this one are moot: mark them too.
            for other, _offset, _words in REMINDERS[[r[0] for r in REMINDERS].index(name) :]:
                if getattr(locked, other) is None:
                    setattr(locked, other, now)
            locked.save()
            rows = notify(
                DelegationReminderNotification(
                    agency=locked,
                    recipients=delegation_reminder_recipients(locked),
                    when=words,
                )
            )
            report.emails = len(rows)
    return reports
