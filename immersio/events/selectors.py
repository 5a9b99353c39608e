"""Reading events: the public search (dates, place and radius, cause, kind, format), the
month of the calendar, a structure's upcoming events, the staff's queue and what
« Mes données » exports."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from immersio.core.geo import bounding_box, haversine_km
from immersio.referentials.models import Commune
from immersio.structures.models import Cause, HostStructure, Network

from . import rules
from .models import Event, Status

if TYPE_CHECKING:
    from immersio.accounts.models import User

#: The radii offered around a commune, in km, and the one used when none is chosen.
RADII_KM = (5, 10, 20, 50, 100)
DEFAULT_RADIUS_KM = 20
#: An iCalendar feed holds at most this many events (the first ones, by start).
FEED_LIMIT = 500


class Format:
    ANY = ""
    IN_PERSON = "sur_place"
    ONLINE = "en_ligne"
    CHOICES = [
        ("", "Sur place ou en ligne"),
        ("sur_place", "Sur place"),
        ("en_ligne", "En ligne"),
    ]


@dataclass(frozen=True)
class EventQuery:
    """A search, as the form cleaned it."""

    date_from: date | None = None
    date_to: date | None = None
    commune: Commune | None = None
    radius_km: int = DEFAULT_RADIUS_KM
    cause: Cause | None = None
    kind: str = ""
    format: str = Format.ANY
    archives: bool = False


@dataclass
class Found:
    """The events of a search, in order, with their distance from the commune."""

    events: QuerySet[Event]
    distances: dict[int, float] = field(default_factory=dict)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def for_list(events: QuerySet[Event]) -> QuerySet[Event]:
    """What a list of events shows, in one query per relation whatever the rows."""
    return events.select_related("commune", "host_structure", "network").prefetch_related(
        Prefetch("causes", queryset=Cause.objects.order_by("position", "label"))
    )


def _filtered(events: QuerySet[Event], query: EventQuery) -> Found:
    """``events`` narrowed by cause, kind, format and place (around a commune: the events
    within the radius, and the online ones unless the search wants events on site only)."""
    if query.cause is not None:
        events = events.filter(causes=query.cause)
    if query.kind:
        events = events.filter(kind=query.kind)
    if query.format == Format.IN_PERSON:
        events = events.filter(commune__isnull=False)
    elif query.format == Format.ONLINE:
        events = events.exclude(online_url="")
    distances: dict[int, float] = {}
    commune = query.commune
    if commune is not None and commune.latitude is not None:
        lat_min, lat_max, lon_min, lon_max = bounding_box(
            commune.latitude, commune.longitude, query.radius_km
        )
        box = Q(latitude__gte=lat_min, latitude__lte=lat_max)
        if lon_min is not None:
            box &= Q(longitude__gte=lon_min, longitude__lte=lon_max)
        candidates = list(
            events.filter(box, latitude__isnull=False).values_list("pk", "latitude", "longitude")
        )
        if candidates:
            found = haversine_km(
                commune.latitude,
                commune.longitude,
                np.array([row[1] for row in candidates]),
                np.array([row[2] for row in candidates]),
            )
            distances = {
                row[0]: float(km)
                for row, km in zip(candidates, found, strict=True)
                if km <= query.radius_km
            }
        near = Q(pk__in=list(distances))
        if query.format != Format.IN_PERSON:
            near |= ~Q(online_url="")
        events = events.filter(near)
    return Found(events=for_list(events), distances=distances)


def search(query: EventQuery, *, now: datetime | None = None) -> Found:
    """The public events matching ``query``: by default those not over yet (from
    ``date_from`` if later), soonest first; in the archives, those over, latest first."""
    now = now or timezone.now()
    events = Event.objects.public()
    if query.archives:
        events = events.archived(now).order_by("-starts_at", "-pk")
        if query.date_from:
            events = events.filter(ends_at__gte=_start_of(query.date_from))
    else:
        start = max(now, _start_of(query.date_from)) if query.date_from else now
        events = events.filter(ends_at__gte=start).order_by("starts_at", "pk")
    if query.date_to:
        events = events.filter(starts_at__lt=_start_of(query.date_to + timedelta(days=1)))
    return _filtered(events, query)


def get_public(public_id: Any) -> Event | None:
    return (
        for_list(Event.objects.public())
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=HostStructure.objects.public().order_by("name"),
            )
        )
        .filter(public_id=public_id)
        .first()
    )


def visible_event(user: User | Any, public_id: Any) -> Event | None:
    """The event ``public_id`` if ``user`` may open it (public, theirs, their team's)."""
    return (
        for_list(Event.objects.visible_to(user))
        .prefetch_related(
            Prefetch("participants", queryset=HostStructure.objects.public().order_by("name"))
        )
        .filter(public_id=public_id)
        .first()
    )


# The calendar ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Day:
    day: date
    in_month: bool
    is_today: bool
    events: list[Event]


@dataclass(frozen=True)
class Month:
    first: date
    weeks: list[list[Day]]
    previous: date
    next: date
    count: int


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_of(query: EventQuery, first: date, *, today: date | None = None) -> Month:
    """The weeks (Monday first) of the month starting on ``first``, each day with the
    public events that take place on it (an event of several days on each of them),
    filtered like the list except for its dates."""
    today = today or timezone.localdate()
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    grid_start, grid_end = weeks[0][0], weeks[-1][-1]
    window = Event.objects.public().filter(
        ends_at__gt=_start_of(grid_start),
        starts_at__lt=_start_of(grid_end + timedelta(days=1)),
    )
    events = list(_filtered(window, query).events.order_by("starts_at", "pk"))
    by_day: dict[date, list[Event]] = {}
    for event in events:
        day = max(timezone.localtime(event.starts_at).date(), grid_start)
        # An event ending at midnight does not take the next day.
        last = timezone.localtime(event.ends_at - timedelta(microseconds=1)).date()
        while day <= min(last, grid_end):
            by_day.setdefault(day, []).append(event)
            day += timedelta(days=1)
    in_month = {e.pk for e in events if _overlaps_month(e, first)}
    return Month(
        first=first,
        weeks=[
            [
                Day(
                    day=day,
                    in_month=day.month == first.month,
                    is_today=day == today,
                    events=by_day.get(day, []),
                )
                for day in week
            ]
            for week in weeks
        ],
        previous=month_start(first - timedelta(days=1)),
        next=month_start(first + timedelta(days=32)),
        count=len(in_month),
    )


def _overlaps_month(event: Event, first: date) -> bool:
    last = month_start(first + timedelta(days=32)) - timedelta(days=1)
    start = timezone.localtime(event.starts_at).date()
    end = timezone.localtime(event.ends_at - timedelta(microseconds=1)).date()
    return start <= last and end >= first


# Elsewhere ---------------------------------------------------------------------------------


def upcoming_for_structure(structure: HostStructure, *, now: datetime | None = None) -> list[Event]:
    """The next public events ``structure`` organises or takes part in (not cancelled)."""
    return list(
        Event.objects.filter(status=Status.PUBLISHED)
        .upcoming(now)
        .filter(Q(host_structure=structure) | Q(participants=structure))
        .select_related("commune")
        .distinct()
        .order_by("starts_at", "pk")[: rules.STRUCTURE_PAGE_EVENTS]
    )


def structure_page_context(structure: HostStructure) -> dict:
    """What a structure's directory page adds (``directory.hooks.structure_page_context``)."""
    return {"upcoming_events": upcoming_for_structure(structure)}


def reading_team() -> list[User]:
    """Who reads the events: the active members of the Immersio team."""
    from immersio.accounts.models import User

    return list(User.objects.filter(is_staff=True, is_active=True).order_by("pk"))


def review_queue() -> QuerySet[Event]:
    """The events waiting for the team's reading, oldest submission first."""
    return for_list(Event.objects.filter(status=Status.SUBMITTED)).order_by("updated_at", "pk")


def managed_events(user: User) -> QuerySet[Event]:
    """The events ``user`` submitted or their structures organise, latest first."""
    return for_list(Event.objects.managed_by(user)).order_by("-starts_at", "-pk")


def networks() -> QuerySet[Network]:
    return Network.objects.order_by("position", "name")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def events_of(user: User) -> list[dict]:
    """« Mes données »: the events ``user`` proposed, with what they typed."""
    rows = (
        Event.objects.filter(submitted_by=user)
        .select_related("commune", "host_structure", "network")
        .order_by("created_at", "pk")
    )
    return [
        {
            "titre": event.title,
            "type": event.get_kind_display(),
            "debut": _iso(event.starts_at),
            "fin": _iso(event.ends_at),
            "organise_par": event.organiser_name,
            "structure": event.host_structure.display_name if event.host_structure else None,
            "reseau": event.network.name if event.network else None,
            "adresse": event.address,
            "commune": event.commune.name if event.commune else None,
            "en_ligne": event.online_url,
            "adresse_de_contact": event.contact_email,
            "etat": event.get_status_display(),
            "motif_du_refus": event.refusal_reason,
            "propose_le": _iso(event.created_at),
            "publie_le": _iso(event.published_at),
        }
        for event in rows
    ]
