"""Every change to a resource person's profile or to an entretien-métier goes through these
functions (keyword arguments, a required ``actor``). E-mails are written to the outbox by
``notify()`` in the caller's transaction and leave after the commit. Errors a person can
act on are ``ResourceError`` with a French message (``field`` names the form field).

Requests follow the rules of requests to structures (``contacts.rules``): the 7-day rule,
one open request per person asked, no contact details in the text, and the same rate
limits (``contact_request_per_ip``, ``contact_request_per_email``: a person writing to
structures and to resource people has one budget). The monthly quota of a resource person
is counted under a lock of their profile's row, so two requests at once cannot both take
the last place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from immersio.accounts.models import User
from immersio.core import ratelimit
from immersio.core.actors import COMMAND, TASK, Actor, anyone, is_staff, require
from immersio.notifications.services import notify
from immersio.referentials.models import Appellation, Commune
from immersio.structures.models import Cause

from . import notifications, rules
from .models import (
    OPEN_CONVERSATION,
    Conversation,
    ConversationStatus,
    DeclineReason,
    Mode,
    ProfileStatus,
    ProposedSlot,
    ResourceProfile,
)
from .selectors import asked_this_month, last_asked_at

logger = logging.getLogger(__name__)

TIMERS = frozenset({TASK, COMMAND})
OPEN_MESSAGE = (
    "Vous avez déjà une demande en cours auprès de cette personne : retrouvez-la dans "
    "« Mes entretiens-métier »."
)


class ResourceError(Exception):
    message = "Cette opération n'est pas possible."

    def __init__(self, message: str | None = None, *, field: str | None = None):
        if message:
            self.message = message
        self.field = field
        super().__init__(self.message)


class NotAllowed(ResourceError):
    message = "Cette action n'est plus possible pour cet entretien."


class RateLimited(ResourceError):
    message = "Vous avez envoyé beaucoup de demandes en peu de temps. Réessayez un peu plus tard."


class QuotaReached(ResourceError):
    message = (
        "Cette personne a déjà reçu toutes les demandes qu'elle peut prendre ce mois-ci. "
        "Écrivez-lui le mois prochain, ou choisissez une autre personne."
    )


def _require(actor: Actor, allowed: Callable[[User], bool], **options: object) -> None:
    try:
        require(actor, allowed, **options)
    except PermissionDenied as exc:
        raise NotAllowed from exc


def _raise_first(violations: list) -> None:
    if violations:
        raise ResourceError(violations[0].message, field=violations[0].field)


# Profiles -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileData:
    before_title: str
    before_appellation: Appellation | None
    after_title: str
    after_appellation: Appellation
    path: str
    helped: str
    presentation: str
    commune: Commune
    modes: list[str]
    monthly_quota: int


def save_profile(*, actor: Actor, data: ProfileData, causes: list[Cause]) -> ResourceProfile:
    """The person creates or changes their profile. Either way it goes to the Immersio
    team's review: a published profile that changes leaves the search until it is read
    again (what the team approved is what the public sees)."""
    _require(actor, anyone, system_allowed=False)
    _raise_first(rules.quota_violations(data.monthly_quota) + rules.modes_violations(data.modes))
    modes = [mode for mode in Mode.values if mode in data.modes]
    values = {field.name: getattr(data, field.name) for field in fields(ProfileData)}
    values |= {
        "modes": modes,
        "department": data.commune.department,
        "region": data.commune.region,
        "status": ProfileStatus.SUBMITTED,
        "submitted_at": timezone.now(),
        "refusal_reason": "",
    }
    with transaction.atomic():
        profile, _ = ResourceProfile.objects.update_or_create(person=actor, defaults=values)
        profile.causes.set(causes)
    return profile


def review_profile(
    *, profile: ResourceProfile, actor: Actor, publish: bool, reason: str = ""
) -> ResourceProfile:
    """The Immersio team publishes a submitted profile, or refuses it with a reason the
    author reads in an e-mail."""
    _require(actor, is_staff, system_allowed=False)
    reason = reason.strip()
    if not publish and not reason:
        raise ResourceError(
            "Dites à la personne pourquoi son profil n'est pas publié.", field="reason"
        )
    now = timezone.now()
    with transaction.atomic():
        locked = ResourceProfile.objects.select_for_update().get(pk=profile.pk)
        if locked.status != ProfileStatus.SUBMITTED:
            raise NotAllowed("Ce profil a déjà été relu.")
        locked.reviewed_at = now
        locked.reviewed_by = actor
        if publish:
            locked.status = ProfileStatus.PUBLISHED
            locked.published_at = now
            locked.refusal_reason = ""
        else:
            locked.status = ProfileStatus.REFUSED
            locked.refusal_reason = reason[: rules.SHORT_TEXT_MAX]
        locked.save()
        cls = (
            notifications.ProfilePublishedNotification
            if publish
            else notifications.ProfileRefusedNotification
        )
        notify(cls(profile=locked))
    return locked


def _owner(profile: ResourceProfile) -> Callable[[User], bool]:
    return lambda user: profile.person_id == user.pk


def pause_profile(*, profile: ResourceProfile, actor: Actor, paused: bool) -> ResourceProfile:
    """The person hides their profile (kept, with its conversations) or shows it again."""
    _require(actor, _owner(profile), system_allowed=False)
    profile.paused_at = timezone.now() if paused else None
    profile.save(update_fields=["paused_at", "updated_at"])
    return profile


def delete_profile(*, profile: ResourceProfile, actor: Actor) -> None:
    """The person deletes their profile: it is gone with its conversations; candidates
    with an open one are told it is cancelled."""
    _require(actor, _owner(profile), system_allowed=False)
    with transaction.atomic():
        now = timezone.now()
        for conversation in profile.conversations.filter(
            status__in=OPEN_CONVERSATION
        ).select_related("candidate", "profile__person"):
            conversation.status = ConversationStatus.CANCELLED
            conversation.cancelled_by_candidate = False
            conversation.closed_at = now
            notify(notifications.CancelledNotification(conversation=conversation))
        profile.delete()


# Conversations -------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    mode: str
    about_me: str
    why_you: str
    to_understand: str


def ask_conversation(
    *, profile: ResourceProfile, actor: Actor, request: Request, ip: str
) -> Conversation:
    """A logged-in person (their address is verified: every login goes through a link
    sent to it) asks a published resource person for an entretien-métier."""
    _require(actor, anyone, system_allowed=False)
    if profile.person_id == actor.pk:
        raise ResourceError("Vous ne pouvez pas vous demander un entretien à vous-même.")
    if request.mode not in profile.modes:
        raise ResourceError(
            "Choisissez une des façons d'échanger que cette personne accepte.", field="mode"
        )
    texts = {
        "about_me": request.about_me.strip(),
        "why_you": request.why_you.strip(),
        "to_understand": request.to_understand.strip(),
    }
    _raise_first(rules.message_violations(texts))
    if not ratelimit.hit("contact_request_per_ip", ip):
        raise RateLimited
    if not ratelimit.hit("contact_request_per_email", actor.email):
        raise RateLimited
    now = timezone.now()
    month = rules.month_start(timezone.localdate(now))
    with transaction.atomic():
        # The lock makes the count and the insert one step: no two requests take the
        # last place of the month.
        locked = ResourceProfile.objects.select_for_update().get(pk=profile.pk)
        if locked.status != ProfileStatus.PUBLISHED or locked.paused_at is not None:
            raise ResourceError("Cette personne ne reçoit pas de demande en ce moment.")
        if Conversation.objects.filter(
            profile=locked, candidate=actor, status__in=OPEN_CONVERSATION
        ).exists():
            raise ResourceError(OPEN_MESSAGE, field="why_you")
        _raise_first(
            rules.similar_conversation(
                last_asked_at=last_asked_at(profile=locked, candidate=actor), now=now
            )
        )
        if rules.quota_reached(
            asked_this_month=asked_this_month(locked, month=month), quota=locked.monthly_quota
        ):
            raise QuotaReached
        try:
            with transaction.atomic():
                conversation = Conversation.objects.create(
                    profile=locked,
                    candidate=actor,
                    mode=request.mode,
                    month=month,
                    asked_at=now,
                    **texts,
                )
        except IntegrityError as exc:
            raise ResourceError(OPEN_MESSAGE, field="why_you") from exc
        notify(notifications.NewConversationNotification(conversation=conversation))
    return conversation


def _is_person(conversation: Conversation) -> Callable[[User], bool]:
    return lambda user: conversation.profile.person_id == user.pk


def _is_candidate(conversation: Conversation) -> Callable[[User], bool]:
    return lambda user: conversation.candidate_id == user.pk


def _lock(conversation: Conversation, *statuses: str) -> Conversation:
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if locked.status not in statuses:
        raise NotAllowed
    return locked


def accept_conversation(
    *,
    conversation: Conversation,
    actor: Actor,
    slots: list[datetime | None],
    contact_detail: str,
) -> Conversation:
    """The resource person accepts and proposes 1 to 3 slots, with how to reach them (a
    visio link, a phone number, a place), shown to the candidate once a slot is chosen."""
    _require(actor, _is_person(conversation), system_allowed=False)
    now = timezone.now()
    _raise_first(rules.slot_violations(slots, now=now))
    contact_detail = contact_detail.strip()
    if not contact_detail:
        raise ResourceError(
            "Indiquez comment vous joindre le jour venu : lien de visio, numéro ou lieu.",
            field="contact_detail",
        )
    with transaction.atomic():
        locked = _lock(conversation, ConversationStatus.ASKED)
        locked.status = ConversationStatus.ACCEPTED
        locked.answered_at = now
        locked.contact_detail = contact_detail[: rules.DETAIL_MAX]
        locked.save()
        ProposedSlot.objects.bulk_create(
            [
                ProposedSlot(conversation=locked, starts_at=slot)
                for slot in sorted({s for s in slots if s})
            ]
        )
        notify(notifications.SlotsProposedNotification(conversation=locked))
    return locked


def decline_conversation(
    *, conversation: Conversation, actor: Actor, reason: str, word: str = ""
) -> Conversation:
    """The resource person declines kindly: a reason from the list, an optional word."""
    _require(actor, _is_person(conversation), system_allowed=False)
    if reason not in DeclineReason.values:
        raise ResourceError("Choisissez une raison.", field="reason")
    word = word.strip()
    _raise_first(rules.message_violations({"word": word}))
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(conversation, ConversationStatus.ASKED)
        locked.status = ConversationStatus.DECLINED
        locked.decline_reason = reason
        locked.decline_word = word[: rules.SHORT_TEXT_MAX]
        locked.answered_at = now
        locked.closed_at = now
        locked.save()
        notify(notifications.DeclinedNotification(conversation=locked, quote=locked.decline_word))
    return locked


def pick_slot(*, conversation: Conversation, actor: Actor, slot_id: int) -> Conversation:
    """The candidate picks one of the proposed slots (still to come): confirmed, both are
    told by e-mail."""
    _require(actor, _is_candidate(conversation), system_allowed=False)
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(conversation, ConversationStatus.ACCEPTED)
        slot = locked.slots.filter(pk=slot_id).first()
        if slot is None:
            raise ResourceError("Choisissez un des créneaux proposés.", field="slot")
        if slot.starts_at <= now:
            raise ResourceError("Ce créneau est passé : choisissez-en un autre.", field="slot")
        locked.status = ConversationStatus.CONFIRMED
        locked.slot_at = slot.starts_at
        locked.confirmed_at = now
        locked.save()
        notify(notifications.ConfirmedNotification(conversation=locked))
    return locked


def cancel_conversation(*, conversation: Conversation, actor: Actor) -> Conversation:
    """Either side cancels an open conversation; the other one is told."""
    _require(
        actor,
        lambda user: _is_candidate(conversation)(user) or _is_person(conversation)(user),
        system_allowed=False,
    )
    with transaction.atomic():
        locked = _lock(conversation, *OPEN_CONVERSATION)
        locked.status = ConversationStatus.CANCELLED
        locked.cancelled_by_candidate = locked.candidate_id == actor.pk
        locked.closed_at = timezone.now()
        locked.save()
        notify(notifications.CancelledNotification(conversation=locked))
    return locked


# Timers -------------------------------------------------------------------------------


@dataclass
class DailyReport:
    reminders_3: int = 0
    reminders_7: int = 0
    expired: int = 0

    def __str__(self) -> str:
        return (
            f"{self.reminders_3} relance(s) J+3, {self.reminders_7} relance(s) J+7, "
            f"{self.expired} demande(s) expirée(s)"
        )


def send_reminders(*, actor: Actor, now: datetime | None = None) -> DailyReport:
    """Reminders to resource people who did not answer (D+3, D+7); expiry at
    ``EXPIRY_DAYS`` (the candidate is told), and of accepted conversations whose slots
    have all passed without a choice."""
    require(actor, is_staff, system_allowed=TIMERS)
    now = now or timezone.now()
    report = DailyReport()
    asked = Conversation.objects.filter(status=ConversationStatus.ASKED)
    for conversation in asked.filter(asked_at__lte=now - timedelta(days=rules.EXPIRY_DAYS)):
        with transaction.atomic():
            locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
            if locked.status != ConversationStatus.ASKED:
                continue
            locked.status = ConversationStatus.EXPIRED
            locked.closed_at = now
            locked.save()
            notify(notifications.ExpiredNotification(conversation=locked))
            report.expired += 1
    # Latest first: a conversation old enough for a later reminder gets that one alone,
    # the earlier ones being marked as sent with it.
    for days in sorted(rules.REMINDER_DAYS, reverse=True):
        flag = Conversation.reminder_column(days)
        due = asked.filter(
            asked_at__lte=now - timedelta(days=days),
            asked_at__gt=now - timedelta(days=rules.EXPIRY_DAYS),
            **{flag: None},
        )
        for conversation in due:
            with transaction.atomic():
                if not Conversation.objects.filter(pk=conversation.pk, **{flag: None}).update(
                    **{flag: now}
                ):
                    continue
                for earlier in (d for d in rules.REMINDER_DAYS if d < days):
                    column = Conversation.reminder_column(earlier)
                    Conversation.objects.filter(pk=conversation.pk, **{column: None}).update(
                        **{column: now}
                    )
                notify(
                    notifications.ConversationReminderNotification(
                        conversation=conversation, days=days
                    )
                )
                setattr(report, f"reminders_{days}", getattr(report, f"reminders_{days}") + 1)
    stale = Conversation.objects.filter(status=ConversationStatus.ACCEPTED).exclude(
        slots__starts_at__gt=now
    )
    report.expired += stale.update(status=ConversationStatus.EXPIRED, closed_at=now)
    return report


# Account deletion ---------------------------------------------------------------------


def erase_person(*, user: User, actor: Actor) -> int:
    """Everything of ``user`` here goes with their account (``privacy.services.
    delete_account``): their profile and every conversation they asked for or received;
    the other side of an open one is told it is cancelled. The person themself, staff or
    the retention job; the number of conversations deleted."""
    require(actor, lambda person: person.pk == user.pk or person.is_staff, system_allowed=TIMERS)
    now = timezone.now()
    with transaction.atomic():
        rows = Conversation.objects.filter(
            Q(candidate=user) | Q(profile__person=user)
        ).select_related("candidate", "profile__person")
        for conversation in rows.filter(status__in=OPEN_CONVERSATION):
            conversation.status = ConversationStatus.CANCELLED
            conversation.cancelled_by_candidate = conversation.candidate_id == user.pk
            conversation.closed_at = now
            notify(notifications.CancelledNotification(conversation=conversation))
        count = rows.count()
        rows.delete()
        ResourceProfile.objects.filter(person=user).delete()
    return count
