"""The rules of an event's dates and place, pure."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from immersio.events import rules

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)


def codes(found):
    return [(v.field, v.code) for v in found]


def test_an_event_to_come_of_a_day_is_fine():
    start = NOW + timedelta(days=3)
    assert rules.check_dates(start, start + timedelta(hours=8), now=NOW) == []


def test_a_start_in_the_past_is_refused_even_by_a_minute():
    start = NOW - timedelta(minutes=1)
    assert codes(rules.check_dates(start, NOW + timedelta(hours=2), now=NOW)) == [
        ("starts_at", "start_in_past")
    ]


def test_the_end_must_come_after_the_start():
    start = NOW + timedelta(days=3)
    assert codes(rules.check_dates(start, start, now=NOW)) == [("ends_at", "end_before_start")]
    assert codes(rules.check_dates(start, start - timedelta(hours=1), now=NOW)) == [
        ("ends_at", "end_before_start")
    ]


def test_an_event_lasts_max_days_at_most():
    start = NOW + timedelta(days=3)
    longest = start + timedelta(days=rules.MAX_DAYS)
    assert rules.check_dates(start, longest, now=NOW) == []
    found = rules.check_dates(start, longest + timedelta(minutes=1), now=NOW)
    assert codes(found) == [("ends_at", "too_long")]
    assert f"{rules.MAX_DAYS} jours" in found[0].message


def test_an_event_is_announced_max_years_ahead_at_most():
    latest = rules.latest_start(NOW)
    assert latest.year == NOW.year + rules.MAX_YEARS_AHEAD
    assert rules.check_dates(latest, latest + timedelta(hours=1), now=NOW) == []
    later = latest + timedelta(minutes=1)
    assert codes(rules.check_dates(later, later + timedelta(hours=1), now=NOW)) == [
        ("starts_at", "start_too_far")
    ]


def test_a_29_february_announces_to_the_28th():
    leap = datetime(2028, 2, 29, 10, 0, tzinfo=PARIS)
    assert rules.latest_start(leap).date().isoformat() == "2030-02-28"


def test_both_dates_wrong_give_both_messages():
    start = NOW - timedelta(days=1)
    assert codes(rules.check_dates(start, start - timedelta(hours=1), now=NOW)) == [
        ("starts_at", "start_in_past"),
        ("ends_at", "end_before_start"),
    ]


def test_an_event_happens_somewhere():
    assert rules.check_place(has_place=True, has_address=True, online_url="") == []
    assert rules.check_place(has_place=False, has_address=False, online_url="https://x.fr") == []
    assert rules.check_place(has_place=True, has_address=False, online_url="https://x.fr") == []
    assert codes(rules.check_place(has_place=False, has_address=False, online_url="")) == [
        ("address", "nowhere")
    ]
    assert codes(rules.check_place(has_place=False, has_address=True, online_url="")) == [
        ("commune", "commune_missing")
    ]
