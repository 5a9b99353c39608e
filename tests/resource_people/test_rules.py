from datetime import datetime, timedelta

from django.utils import timezone

from immersio.contacts.rules import SIMILAR_REQUEST_DAYS
from immersio.resource_people import rules

NOW = timezone.make_aware(datetime(2026, 3, 10, 10, 0))


def test_the_quota_is_reached_at_its_number():
    assert not rules.quota_reached(asked_this_month=1, quota=2)
    assert rules.quota_reached(asked_this_month=2, quota=2)


def test_the_quota_is_bounded():
    assert rules.quota_violations(0) and rules.quota_violations(rules.MONTHLY_QUOTA_MAX + 1)
    assert rules.quota_violations(None)
    assert not rules.quota_violations(rules.MONTHLY_QUOTA_MAX)
    assert str(rules.MONTHLY_QUOTA_MAX) in rules.quota_violations(0)[0].message


def test_at_least_one_mode():
    assert rules.modes_violations([])[0].field == "modes"
    assert not rules.modes_violations(["visio"])


def test_the_seven_day_rule_of_structures_applies_to_people():
    assert not rules.similar_conversation(last_asked_at=None, now=NOW)
    recent = rules.similar_conversation(last_asked_at=NOW - timedelta(days=1), now=NOW)
    assert recent and "cette personne" in recent[0].message and "structure" not in recent[0].message
    old = NOW - timedelta(days=SIMILAR_REQUEST_DAYS)
    assert not rules.similar_conversation(last_asked_at=old, now=NOW)


def test_contact_details_are_refused_in_a_request():
    found = rules.message_violations(
        {
            "about_me": "Appelez-moi au 06 12 34 56 78",
            "why_you": "rien",
            "to_understand": "a at b point fr",
        }
    )
    assert [v.field for v in found] == ["about_me", "to_understand"]


def test_slots_one_to_three_in_the_future_and_distinct():
    soon = NOW + timedelta(hours=rules.SLOT_MIN_HOURS - 1)
    later = NOW + timedelta(days=2)
    far = NOW + timedelta(days=rules.SLOT_MAX_DAYS + 1)
    assert rules.slot_violations([None, None, None], now=NOW)[0].code == "no_slot"
    assert not rules.slot_violations([later, None, None], now=NOW)
    codes = [v.code for v in rules.slot_violations([soon, far, None], now=NOW)]
    assert codes == ["slot_too_soon", "slot_too_far"]
    twice = rules.slot_violations([later, later, None], now=NOW)
    assert [(v.field, v.code) for v in twice] == [("slot_2", "slot_twice")]


def test_only_the_first_name_and_an_initial_are_shown():
    assert rules.display_name("Hélène", "roux") == "Hélène R."
    assert rules.display_name("Hélène", "") == "Hélène"


def test_every_reminder_day_has_its_column_and_its_count():
    """The daily task writes ``reminded_<days>_at`` and counts ``reminders_<days>`` for
    each day of ``REMINDER_DAYS``: changing the days needs the column and the count."""
    from immersio.resource_people.models import Conversation
    from immersio.resource_people.services import DailyReport

    for days in rules.REMINDER_DAYS:
        Conversation._meta.get_field(Conversation.reminder_column(days))
        assert hasattr(DailyReport(), f"reminders_{days}")
