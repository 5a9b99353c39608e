"""« Mes données »: the export link, the deletion of an account, and the warnings and
deletions of inactive accounts.

Who acts (``core.actors``): a person asks for their own export and uses their own link;
an account is deleted by its owner, by the staff (the back office goes through
``delete_account`` too) or by the nightly retention job (``TASK``) for an inactive account.
"""

import logging
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from immersio.accounts.models import User
from immersio.accounts.services import login_url
from immersio.agencies.models import AgencyMembership
from immersio.contacts.models import BoardPost, BoardProposalMessage, Message
from immersio.conventions.models import ConventionInvitation
from immersio.conventions.transitions import Status as ConventionStatus
from immersio.core.actors import COMMAND, TASK, Actor, require
from immersio.events.services import erase_submissions
from immersio.journal.services import erase_journal
from immersio.notifications.base import absolute_url
from immersio.notifications.models import OutboundEmail, OutboundSms
from immersio.notifications.services import notify
from immersio.resource_people.services import erase_person as erase_resource_people
from immersio.structures.models import StructureMembership
from immersio.testimonies.services import erase_testimonies

from . import erasure
from .models import DataExport, InactivityWarning
from .notifications import (
    DeletionReceiptNotification,
    ExportLinkNotification,
    InactivityWarningNotification,
)
from .selectors import codes_of, invitations_to, registrations_of, sms_to, token_hash

logger = logging.getLogger(__name__)

#: An export link works once, this long after it was asked for.
EXPORT_LIFETIME = timedelta(hours=24)
#: Downloading needs a login this recent (else the person logs in again and comes back).
FRESH_LOGIN = timedelta(minutes=15)


def request_export(*, user: User, actor: Actor) -> DataExport:
    """A single-use link to download ``user``'s data, e-mailed to them (valid
    ``EXPORT_LIFETIME``). The token travels only in that e-mail (erased once sent); the
    row keeps its hash."""
    require(actor, lambda person: person.pk == user.pk, system_allowed=False)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    export = DataExport.objects.create(
        user=user, token_hash=token_hash(token), created_at=now, expires_at=now + EXPORT_LIFETIME
    )
    download_url = f"{absolute_url(reverse('privacy:download'))}?{urlencode({'jeton': token})}"
    notify(
        ExportLinkNotification(
            user=user,
            download_url=download_url,
            valid_hours=int(EXPORT_LIFETIME.total_seconds() // 3600),
            fresh_minutes=int(FRESH_LOGIN.total_seconds() // 60),
        )
    )
    logger.info("Export de données demandé (%s).", export.public_id)
    return export


def use_export(*, export: DataExport, actor: Actor) -> bool:
    """Use ``export``'s link up (its owner only): True the first time, before it expires;
    False when it was used or expired meanwhile (two clicks: one download)."""
    require(actor, lambda person: person.pk == export.user_id, system_allowed=False)
    now = timezone.now()
    used = DataExport.objects.filter(pk=export.pk, used_at__isnull=True, expires_at__gt=now).update(
        used_at=now
    )
    if used:
        export.used_at = now
    return bool(used)


# Deletion ------------------------------------------------------------------------------------


class DeletionBlocked(Exception):
    """The account cannot be deleted yet: ``reasons`` say why, in French."""

    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class KeptConvention:
    reference: str
    status: str
    validated: bool
    until: date | None


@dataclass
class DeletionReceipt:
    """What a deletion removed (counts) and what it kept, with why and until when."""

    email: str
    requests: int = 0
    messages: int = 0
    board_posts: int = 0
    proposal_messages: int = 0
    memberships: int = 0
    codes: int = 0
    drafts: int = 0
    exports: int = 0
    emails: int = 0
    events: int = 0
    kept: list[KeptConvention] = field(default_factory=list)
    validated_kept: str = str(erasure.VALIDATED_CONVENTION_KEPT)
    unvalidated_kept: str = str(erasure.UNVALIDATED_CONVENTION_KEPT)
    legal_basis: str = erasure.LEGAL_BASIS


def _kept_until(convention: object) -> date | None:
    if convention.status == ConventionStatus.VALIDATED:
        start = convention.date_end or timezone.localdate(convention.validated_at)
        return start + relativedelta(months=erasure.VALIDATED_CONVENTION_KEPT.months)
    changed = timezone.localdate(convention.updated_at)
    return changed + relativedelta(months=erasure.UNVALIDATED_CONVENTION_KEPT.months)


def may_delete(person: User, user: User) -> bool:
    """The account's owner, or the staff."""
    return person.pk == user.pk or person.is_staff


def delete_account(*, user: User, actor: Actor) -> DeletionReceipt | None:
    """Delete ``user``'s account and everything about them that the law does not require
    to keep; keep their sent conventions, detached from the account; e-mail a receipt to
    the address the account had. Raise ``DeletionBlocked`` while an immersion is under way
    or they are the last administrator of an organisation. Idempotent: an account already
    gone gives None."""
    require(actor, lambda person: may_delete(person, user), system_allowed={TASK, COMMAND})
    now = timezone.now()
    with transaction.atomic():
        locked = User.objects.select_for_update().filter(pk=user.pk).first()
        if locked is None:
            return None
        reasons = erasure.blocking_reasons(locked)
        if reasons:
            raise DeletionBlocked(reasons)
        receipt = DeletionReceipt(email=locked.email)
        receipt.kept = [
            KeptConvention(
                reference=c.reference,
                status=c.status_label,
                validated=c.status == ConventionStatus.VALIDATED,
                until=_kept_until(c),
            )
            for c in erasure.kept_conventions(locked)
        ]
        # Codes are found through the signatories, which the conventions keep: read first.
        codes = codes_of(locked)
        receipt.codes = codes.count()
        codes.delete()
        requests = list(erasure.requests_of(locked))
        receipt.requests = len(requests)
        receipt.messages = Message.objects.filter(request__in=requests).count()
        for request in requests:
            erasure.anonymise_request(request, now=now, withdraw=True)
        posts = BoardPost.objects.filter(candidate=locked)
        receipt.board_posts = posts.count()
        receipt.proposal_messages = BoardProposalMessage.objects.filter(
            proposal__post__in=posts
        ).count()
        posts.delete()
        structure_memberships = StructureMembership.objects.filter(user=locked)
        agency_memberships = AgencyMembership.objects.filter(user=locked)
        receipt.memberships = structure_memberships.filter(is_active=True).count()
        receipt.memberships += agency_memberships.filter(is_active=True).count()
        structure_memberships.delete()
        agency_memberships.delete()
        for invitations in invitations_to(locked):
            invitations.delete()
        for registrations in registrations_of(locked):
            # The organisation stays; who registered it no longer says who they were.
            registrations.update(email="", first_name="", last_name="", job_title="")
        drafts = erasure.unsent_drafts(locked)
        receipt.drafts = drafts.count()
        ConventionInvitation.objects.filter(convention__in=drafts).delete()
        drafts.delete()
        exports = DataExport.objects.filter(user=locked)
        receipt.exports = exports.count()
        exports.delete()
        emails = OutboundEmail.objects.filter(
            recipient__iexact=locked.email,
            status__in=[OutboundEmail.Status.SENT, OutboundEmail.Status.FAILED],
        )
        receipt.emails = emails.count()
        emails.delete()
        sms = sms_to(locked).filter(status__in=[OutboundSms.Status.SENT, OutboundSms.Status.FAILED])
        receipt.emails += sms.count()
        sms.delete()
        erase_journal(owner=locked, actor=actor)  # the carnet and bilan are the person's only
        erase_testimonies(owner=locked, actor=actor)  # deleted, not anonymised: a story is theirs
        # Their resource-person profile and entretiens-métier (the other side is told).
        erase_resource_people(user=locked, actor=actor)
        receipt.events = erase_submissions(submitter=locked, actor=actor)
        name = locked.get_full_name()
        public_id = locked.public_id
        locked.delete()
        notify(DeletionReceiptNotification(email=receipt.email, name=name, receipt=receipt))
    logger.info("Compte %s supprimé (%s).", public_id, actor)
    return receipt


# Inactive accounts -----------------------------------------------------------------------------


def warn_inactive(
    *, user: User, delete_on: date, inactivity: str, actor: Actor, now: datetime | None = None
) -> bool:
    """E-mail ``user`` that their inactive account will be deleted on ``delete_on`` unless
    they log in (once: False if already warned). ``now``: the retention job's instant, from
    which the notice runs (a run for a given day must not count its warning as sent
    earlier). The retention job only."""
    require(actor, lambda person: False, system_allowed={TASK, COMMAND})
    with transaction.atomic():
        _warning, created = InactivityWarning.objects.get_or_create(
            user=user, defaults={"sent_at": now or timezone.now()}
        )
        if not created:
            return False
        notify(
            InactivityWarningNotification(
                user=user,
                login_url=login_url(user, reverse("privacy:my_data")),
                inactivity=inactivity,
                delete_on=delete_on,
                login_minutes=settings.SESAME_MAX_AGE // 60,
            )
        )
    return True


def forget_warning(*, user: User, actor: Actor) -> int:
    """The person came back: the warning is void (logging in calls this)."""
    require(actor, lambda person: person.pk == user.pk)
    deleted, _ = InactivityWarning.objects.filter(user=user).delete()
    return deleted


def delete_inactive(*, user: User, actor: Actor) -> DeletionReceipt | None:
    """Delete an inactive account the retention job warned (the job checked it is due).
    An account that cannot be deleted (an immersion, the last administrator) is left as
    is: None."""
    require(actor, lambda person: False, system_allowed={TASK, COMMAND})
    try:
        return delete_account(user=user, actor=actor)
    except DeletionBlocked:
        logger.info("Compte inactif %s gardé : suppression bloquée.", user.public_id)
        return None
