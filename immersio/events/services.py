"""Every change to an event goes through these functions (keyword arguments, ``actor``).

A member of a host structure's team proposes an event for their structure or for a
network; the Immersio team reads it and publishes or refuses it (the person who proposed
it gets an e-mail); an event the team proposes is published at once. Editing an event sends
it back to the team's reading; cancelling keeps it, marked cancelled, where it was shown.
Errors a person can act on are ``EventError`` with a French message and, when it has one,
the field concerned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from immersio.core import ratelimit
from immersio.core.actors import COMMAND, TASK, Actor, is_staff, require, user_of
from immersio.notifications.services import notify
from immersio.referentials.models import Commune
from immersio.structures.models import Cause, HostStructure, Network, StructureMembership

from . import rules
from .models import Event, Status
from .notifications import (
    EventPublishedNotification,
    EventRefusedNotification,
    EventToReadNotification,
)
from .selectors import reading_team

if TYPE_CHECKING:
    from immersio.accounts.models import User

#: The rate limit of submissions (``settings.RATE_LIMITS``), per person.
SUBMISSION_LIMIT = "event_submission_per_user"


class EventError(Exception):
    message = "Cette action n'est pas possible sur cet événement."

    def __init__(self, message: str | None = None, *, field: str | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message
        self.field = field


class RateLimited(EventError):
    message = (
        "Vous avez proposé beaucoup d'événements aujourd'hui : réessayez demain, ou écrivez "
        "à l'équipe si vous en avez d'autres à annoncer."
    )


class Duplicate(EventError):
    message = "Vous avez déjà proposé cet événement à cette date : il attend sa relecture."


@dataclass
class EventData:
    """What a person fills in for an event (the form's cleaned data)."""

    title: str
    kind: str
    description: str
    starts_at: datetime
    ends_at: datetime
    organiser_name: str
    address: str = ""
    commune: Commune | None = None
    online_url: str = ""
    host_structure: HostStructure | None = None
    network: Network | None = None
    causes: list[Cause] = field(default_factory=list)
    participants: list[HostStructure] = field(default_factory=list)
    registration_url: str = ""
    is_free: bool = True
    price: str = ""
    accessibility: str = ""
    contact_email: str = ""


def submitter_structures(user: User) -> list[HostStructure]:
    """The structures ``user`` may propose an event for: those whose team they are an
    active member of, unless closed."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        HostStructure.objects.filter(memberships__user=user, memberships__is_active=True)
        .exclude(status=HostStructure.Status.CLOSED)
        .distinct()
        .order_by("name", "pk")
    )


def may_submit(user: User) -> bool:
    """Staff, or a member of a structure's team."""
    return bool(user.is_staff) or (
        StructureMembership.objects.for_user(user)
        .exclude(structure__status=HostStructure.Status.CLOSED)
        .exists()
    )


def may_manage(user: User, event: Event) -> bool:
    return Event.objects.managed_by(user).filter(pk=event.pk).exists()


def _check(data: EventData, *, now: datetime) -> None:
    for violation in rules.check_dates(data.starts_at, data.ends_at, now=now):
        raise EventError(violation.message, field=violation.field)
    for violation in rules.check_place(
        has_place=data.commune is not None,
        has_address=bool(data.address.strip()),
        online_url=data.online_url,
    ):
        raise EventError(violation.message, field=violation.field)


def _check_organiser(user: User, data: EventData) -> None:
    if user.is_staff:
        return
    if data.host_structure is None and data.network is None:
        raise EventError(
            "Choisissez la structure ou le réseau qui organise l'événement.",
            field="host_structure",
        )
    if data.host_structure is not None and data.host_structure not in submitter_structures(user):
        raise EventError(
            "Vous ne pouvez proposer un événement que pour une structure dont vous faites "
            "partie de l'équipe.",
            field="host_structure",
        )


def _write(event: Event, data: EventData) -> None:
    event.title = data.title.strip()
    event.kind = data.kind
    event.description = data.description.strip()
    event.starts_at = data.starts_at
    event.ends_at = data.ends_at
    event.organiser_name = data.organiser_name.strip() or (
        data.host_structure.display_name if data.host_structure else ""
    )
    event.address = data.address.strip() if data.commune is not None else ""
    event.commune = data.commune
    event.latitude = data.commune.latitude if data.commune is not None else None
    event.longitude = data.commune.longitude if data.commune is not None else None
    event.online_url = data.online_url
    event.host_structure = data.host_structure
    event.network = data.network
    event.registration_url = data.registration_url
    event.is_free = data.is_free
    event.price = "" if data.is_free else data.price.strip()
    event.accessibility = data.accessibility.strip()
    event.contact_email = data.contact_email.strip()


def _save_relations(event: Event, data: EventData) -> None:
    event.causes.set(data.causes)
    participants = {s.pk: s for s in data.participants}
    if data.host_structure is not None:
        participants.setdefault(data.host_structure.pk, data.host_structure)
    event.participants.set(list(participants.values())[: rules.MAX_PARTICIPANTS])


def submit_event(*, data: EventData, actor: Actor, now: datetime | None = None) -> Event:
    """A member of a structure's team proposes an event (read by the team before it is
    published); the team's own is published at once."""
    require(actor, may_submit, system_allowed=False)
    now = now or timezone.now()
    _check(data, now=now)
    _check_organiser(actor, data)
    if not actor.is_staff and not ratelimit.hit(SUBMISSION_LIMIT, str(actor.pk)):
        raise RateLimited
    event = Event(submitted_by=user_of(actor))
    _write(event, data)
    if actor.is_staff:
        event.status = Status.PUBLISHED
        event.reviewed_by = actor
        event.reviewed_at = event.published_at = now
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError as error:
        raise Duplicate from error
    _save_relations(event, data)
    if event.status == Status.SUBMITTED:
        notify(EventToReadNotification(event=event, team=reading_team()))
    return event


def update_event(
    *, event: Event, data: EventData, actor: Actor, now: datetime | None = None
) -> Event:
    """Whoever proposed the event (or their structure's team) changes it: it goes back to
    the team's reading, unless the team itself changes it."""
    require(actor, lambda user: may_manage(user, event), system_allowed=False)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
        if locked.status == Status.CANCELLED or locked.ends_at < now:
            raise EventError("Un événement annulé ou passé ne se modifie plus.")
        _check(data, now=now)
        _check_organiser(actor, data)
        _write(locked, data)
        if actor.is_staff:
            if locked.status != Status.PUBLISHED:
                locked.status = Status.PUBLISHED
                locked.reviewed_by, locked.reviewed_at = actor, now
                locked.published_at = locked.published_at or now
        else:
            locked.status = Status.SUBMITTED
            locked.refusal_reason = ""
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError as error:
            raise Duplicate from error
        _save_relations(locked, data)
        if locked.status == Status.SUBMITTED:
            notify(EventToReadNotification(event=locked, team=reading_team()))
    return locked


def cancel_event(*, event: Event, actor: Actor, now: datetime | None = None) -> Event:
    """The organiser (or the team) cancels: a published event stays shown, « annulé »,
    and its iCalendar entry says so."""
    require(actor, lambda user: may_manage(user, event), system_allowed=False)
    with transaction.atomic():
        locked = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
        if locked.status not in (Status.SUBMITTED, Status.PUBLISHED):
            raise EventError("Cet événement n'est plus en attente ni publié.")
        locked.status = Status.CANCELLED
        locked.cancelled_at = now or timezone.now()
        locked.save(update_fields=["status", "cancelled_at", "updated_at"])
    return locked


def _review(event: Event, actor: Actor) -> Event:
    locked = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    if locked.status != Status.SUBMITTED:
        raise EventError(
            "Cet événement a déjà été relu (ou a changé entre-temps) : rechargez la page."
        )
    return locked


def publish_event(*, event: Event, actor: Actor, now: datetime | None = None) -> Event:
    """The Immersio team publishes an event it read; the person who proposed it is told."""
    require(actor, is_staff, system_allowed=False)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _review(event, actor)
        locked.status = Status.PUBLISHED
        locked.reviewed_by, locked.reviewed_at = actor, now
        locked.published_at = locked.published_at or now
        locked.refusal_reason = ""
        locked.save()
        notify(EventPublishedNotification(event=locked))
    return locked


def refuse_event(*, event: Event, reason: str, actor: Actor, now: datetime | None = None) -> Event:
    """The Immersio team refuses an event, with the reason the person who proposed it
    reads in their e-mail."""
    require(actor, is_staff, system_allowed=False)
    if not reason.strip():
        raise EventError("Dites pourquoi, en une phrase : la personne le lira.", field="reason")
    now = now or timezone.now()
    with transaction.atomic():
        locked = _review(event, actor)
        locked.status = Status.REFUSED
        locked.reviewed_by, locked.reviewed_at = actor, now
        locked.refusal_reason = reason.strip()
        locked.save()
        notify(EventRefusedNotification(event=locked))
    return locked


def erase_submissions(*, submitter: User, actor: Actor) -> int:
    """Account deletion: the events ``submitter`` proposed that were never published are
    deleted; the published ones stay (public information of their organiser) without
    who proposed them nor their contact address if it was the person's. The number of
    events deleted."""
    require(
        actor,
        lambda person: person.pk == submitter.pk or person.is_staff,
        system_allowed={TASK, COMMAND},
    )
    theirs = Event.objects.filter(submitted_by=submitter)
    unpublished = theirs.filter(published_at__isnull=True)
    count = unpublished.count()
    unpublished.delete()
    theirs.filter(contact_email__iexact=submitter.email).update(contact_email="")
    theirs.update(submitted_by=None)
    Event.objects.filter(contact_email__iexact=submitter.email).update(contact_email="")
    return count
