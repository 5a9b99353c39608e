"""iCalendar: one event's ``.ics`` and a search's feed, parsed back with ``icalendar``."""

from datetime import UTC, timedelta

import icalendar
import pytest
from django.conf import settings

from immersio.events.models import Status
from tests.events.helpers import make_event, soon

pytestmark = pytest.mark.django_db


def parsed(response) -> list:
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    return list(calendar.walk("VEVENT"))


def test_an_event_s_ics_has_its_dates_uid_place_and_link(client):
    event = make_event(title="Festival Agir", starts_at=soon(4, hour=10))
    response = client.get(f"/evenements/{event.public_id}/evenement.ics")
    assert "attachment" in response["Content-Disposition"]
    [entry] = parsed(response)
    assert str(entry["UID"]) == f"{event.public_id}@evenements.immersio"
    assert entry.decoded("DTSTART") == event.starts_at.astimezone(UTC)
    assert entry.decoded("DTEND") == event.ends_at.astimezone(UTC)
    assert entry.decoded("DTSTART").astimezone(event.starts_at.tzinfo).hour == 10
    assert str(entry["SUMMARY"]) == "Festival Agir"
    assert str(entry["URL"]) == f"{settings.SITE_URL}/evenements/{event.public_id}/"
    assert "Place Bellecour, Lyon" in str(entry["LOCATION"])
    assert str(entry["STATUS"]) == "CONFIRMED"


def test_the_uid_stays_when_the_event_changes(client):
    event = make_event()
    first = parsed(client.get(f"/evenements/{event.public_id}/evenement.ics"))[0]["UID"]
    event.title = "Autre titre"
    event.starts_at += timedelta(days=1)
    event.ends_at += timedelta(days=1)
    event.save()
    again = parsed(client.get(f"/evenements/{event.public_id}/evenement.ics"))[0]
    assert again["UID"] == first
    assert str(again["SUMMARY"]) == "Autre titre"


def test_a_cancelled_event_says_so(client):
    event = make_event(status=Status.CANCELLED)
    [entry] = parsed(client.get(f"/evenements/{event.public_id}/evenement.ics"))
    assert str(entry["STATUS"]) == "CANCELLED"


def test_the_feed_holds_the_search_s_events(client):
    make_event(title="Forum", kind="forum")
    make_event(title="Festival", kind="festival", starts_at=soon(12))
    make_event(title="Passé", kind="forum", starts_at=soon(-3))
    make_event(title="En relecture", kind="forum", status=Status.SUBMITTED, published_at=None)
    every = parsed(client.get("/evenements/calendrier.ics"))
    assert [str(e["SUMMARY"]) for e in every] == ["Forum", "Festival"]
    forums = parsed(client.get("/evenements/calendrier.ics?type=forum"))
    assert [str(e["SUMMARY"]) for e in forums] == ["Forum"]


def test_the_search_page_links_to_its_feed(client):
    html = client.get("/evenements/?type=forum").text
    assert 'href="/evenements/calendrier.ics?type=forum"' in html
