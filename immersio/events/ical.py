"""Events as iCalendar (RFC 5545), with the ``icalendar`` package: one event's ``.ics``
and the feed of a search. UIDs come from the public UUID (stable across edits), times are
written in UTC, the URL leads back to the event's page, a cancelled event says
``STATUS:CANCELLED`` (so calendars that imported it strike it out)."""

from collections.abc import Iterable
from datetime import UTC

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from immersio.core.links import absolute_url

from .models import Event, Status

CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//Immersio//Événements//FR"


def uid(event: Event) -> str:
    return f"{event.public_id}@evenements.immersio"


def location(event: Event) -> str:
    parts = []
    if event.commune_id is not None:
        parts.append(", ".join(part for part in (event.address, event.commune.name) if part))
    if event.online_url:
        parts.append(f"En ligne : {event.online_url}")
    return " · ".join(parts)


def _component(event: Event) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", uid(event))
    component.add("dtstamp", event.updated_at.astimezone(UTC))
    component.add("dtstart", event.starts_at.astimezone(UTC))
    component.add("dtend", event.ends_at.astimezone(UTC))
    component.add("summary", event.title)
    url = absolute_url(reverse("events:detail", kwargs={"public_id": event.public_id}))
    component.add(
        "description", f"{event.description}\n\nOrganisé par {event.organiser_name}.\n{url}"
    )
    component.add("url", url)
    where = location(event)
    if where:
        component.add("location", where)
    if event.latitude is not None:
        component.add("geo", (event.latitude, event.longitude))
    component.add("categories", [event.get_kind_display()])
    component.add("status", "CANCELLED" if event.status == Status.CANCELLED else "CONFIRMED")
    component.add("last-modified", event.updated_at.astimezone(UTC))
    return component


def calendar_of(events: Iterable[Event], *, name: str) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{settings.PLATFORM_NAME} – {name}")
    cal.add("x-wr-timezone", timezone.get_default_timezone_name())
    for event in events:
        cal.add_component(_component(event))
    return cal.to_ical()
