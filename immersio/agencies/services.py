"""Every change to an agency goes through these functions (keyword arguments).

Views, forms, the admin, the reminder command and the demo call them. E-mails are
written to the outbox by ``notify()`` in the transaction and leave after the commit.
Errors a person can act on are ``AgencyError`` subclasses with a French ``message``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from immersio.accounts.services import login_url
from immersio.core.actors import Actor, require
from immersio.core.validators import normalize_siret, siret_error
from immersio.notifications.base import absolute_url
from immersio.notifications.services import notify
from immersio.teams import services as teams
from immersio.teams.errors import (  # noqa: F401 — shared by every team, caught by the views
    AlreadyMember,
    LastAdminError,
    LinkAlreadyUsed,
    LinkInvalid,
    TeamError,
)
from immersio.teams.people import Applicant, get_or_create_user, make_admin, record_applicant
from immersio.teams.selectors import read_registration_token as read_team_registration

from .errors import (
    AgencyError,
    AgencyInvalid,
)
from .models import ETTI_MESSAGE, Agency, AgencyInvitation, AgencyMembership, AgencyRegistration
from .notifications import (
    ActivatedNotification,
    DelegationReminderNotification,
    RejectedNotification,
    ReviewRequestedNotification,
)
from .selectors import (
    REMINDERS,
    can_create_conventions,  # noqa: F401 — kept where the conventions look for it
    delegation_reminder_recipients,
    due_reminder,
    open_agency_with_siret,
)
from .team import TEAM

if TYPE_CHECKING:
    from immersio.accounts.models import User
    from immersio.referentials.models import Commune

logger = logging.getLogger(__name__)


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


def _lock(agency: Agency) -> Agency:
    return Agency.objects.select_for_update().get(pk=agency.pk)


# Registration ------------------------------------------------------------------------


def _validated(agency: Agency) -> None:
    if agency.siae_kind and agency.siae_kind.upper() == "ETTI":
        raise AgencyInvalid({"siae_kind": [ETTI_MESSAGE]})
    try:
        agency.full_clean()
    except ValidationError as exc:
        raise AgencyInvalid(exc.message_dict) from exc


def start_registration(
    *, siret: str, commune: Commune, fields: dict, applicant: Applicant, actor: Actor
) -> AgencyRegistration:
    """Record an agency typed in the public form. It waits, ``PENDING``, for the
    confirmation of the applicant's address, then for the Immersio team's decision.
    ``actor``: the person filling in the form, or ``VISITOR`` when not logged in."""
    teams.require_visitor(actor)
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
        registration = record_applicant(TEAM, organisation=agency, applicant=applicant)
    logger.info("Prescripteur %s inscrit, adresse à confirmer.", agency.public_id)
    return registration


def confirm_registration(*, token: str, actor: Actor) -> AgencyRegistration:
    """The applicant opened their link: the request goes to the Immersio team. Single
    use; ``actor`` is whoever holds the link (``AUTOMATIC`` when not logged in)."""
    teams.require_link_holder(actor)
    registration = read_team_registration(TEAM, token)
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


def _is_staff(user: object) -> bool:
    return bool(getattr(user, "is_staff", False))


def activate_agency(*, agency: Agency, actor: Actor) -> Agency:
    """Staff activate an agency: its applicant becomes its administrator and gets a login
    link; it appears in the directory."""
    require(actor, _is_staff)
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
            make_admin(TEAM, organisation=locked, user=user, job_title=registration.job_title)
            space = reverse("agencies:space_agency", kwargs={"public_id": locked.public_id})
            notify(
                ActivatedNotification(
                    agency=locked, user=user, login_link=login_url(user, next_url=space)
                )
            )
    logger.info("Prescripteur %s activé.", locked.public_id)
    return locked


def reject_agency(*, agency: Agency, actor: Actor, reason: str = "") -> Agency:
    """Staff refuse a pending agency; a confirmed applicant is told why."""
    require(actor, _is_staff)
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


@dataclass
class ReminderReport:
    agency: Agency
    field: str
    reminder: str  # the code of ``selectors.REMINDERS``: "1_day", "1_month", "3_months"
    emails: int = 0


def send_delegation_reminders(
    *, today: date | None = None, dry_run: bool = True, actor: Actor
) -> list[ReminderReport]:
    """E-mail the administrators of each active structure conventionnée and the agency
    that delegated to it three months, one month and one day before the end of the
    delegation; each reminder once per end date (a later reminder makes earlier ones
    moot). ``dry_run`` only lists what would be sent. Run by the scheduled task, a
    command, or staff."""
    require(actor, _is_staff)
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
        name, code = due
        report = ReminderReport(agency=agency, field=name, reminder=code)
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
            for other, _offset, _code in REMINDERS[[r[0] for r in REMINDERS].index(name) :]:
                if getattr(locked, other) is None:
                    setattr(locked, other, now)
            locked.save()
            rows = notify(
                DelegationReminderNotification(
                    agency=locked,
                    recipients=delegation_reminder_recipients(locked),
                    reminder=code,
                )
            )
            report.emails = len(rows)
    return reports


# Team (the logic is ``teams.services``) -------------------------------------------------


def invite_member(*, agency: Agency, email: str, role: str, actor: Actor) -> AgencyInvitation:
    """E-mail ``email`` a link to join the team with ``role`` (an active agency only)."""
    return teams.invite_member(TEAM, organisation=agency, email=email, role=role, actor=actor)


def accept_invitation(*, token: str, actor: Actor) -> AgencyMembership:
    """The invited person opened their link: they join the team. Single use."""
    return teams.accept_invitation(TEAM, token=token, actor=actor)


def revoke_invitation(*, invitation: AgencyInvitation, actor: Actor) -> AgencyInvitation:
    return teams.revoke_invitation(TEAM, invitation=invitation, actor=actor)


def change_role(*, agency: Agency, user: User, role: str, actor: Actor) -> AgencyMembership:
    return teams.change_role(TEAM, organisation=agency, user=user, role=role, actor=actor)


def remove_member(*, agency: Agency, user: User, actor: Actor) -> AgencyMembership:
    """Take ``user`` out of the team (or let them leave); the last administrator stays."""
    return teams.remove_member(TEAM, organisation=agency, user=user, actor=actor)
