from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from immersio.structures import rules

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("headcount", "expected"),
    [("0", 4), ("1-9", 4), ("10-49", 8), ("50-249", 12), ("250+", 12)],
)
def test_default_capacity_follows_headcount(headcount, expected):
    assert rules.default_capacity(headcount) == expected


@pytest.mark.parametrize(("monthly", "weekly"), [(0, 0), (1, 1), (4, 1), (5, 2), (8, 2), (12, 3)])
def test_weekly_cap_is_a_quarter_rounded_up(monthly, weekly):
    assert rules.weekly_cap(monthly) == weekly


def test_available_when_nothing_received():
    result = rules.availability(max_per_month=8, received=[], now=NOW)
    assert result.is_available and result.this_month == 0 and result.weekly_cap == 2


def test_a_quarter_in_seven_days_blocks_until_the_oldest_is_seven_days_old():
    received = [NOW - timedelta(days=6), NOW - timedelta(hours=1)]
    result = rules.availability(max_per_month=8, received=received, now=NOW)
    assert not result.is_available
    assert result.blocked_until == NOW - timedelta(days=6) + timedelta(days=7)
    later = rules.availability(
        max_per_month=8, received=received, now=result.blocked_until + timedelta(seconds=1)
    )
    assert later.is_available


def test_monthly_capacity_blocks_until_next_month():
    received = [NOW.replace(day=day) for day in (1, 5, 10, 15)]
    result = rules.availability(max_per_month=4, received=received, now=NOW)
    assert result.this_month == 4
    assert result.blocked_until == datetime(2026, 12, 1, tzinfo=UTC)


def test_last_month_does_not_count_this_month():
    received = [datetime(2026, 10, 31, 23, 0, tzinfo=UTC)]
    result = rules.availability(
        max_per_month=4, received=received, now=datetime(2026, 11, 3, tzinfo=UTC)
    )
    assert result.this_month == 0 and result.last_7_days == 1
    assert not result.is_available  # 1 in 7 days = the weekly cap of 4/month


def test_zero_capacity_means_no_requests():
    assert not rules.availability(max_per_month=0, received=[], now=NOW).is_available


@given(
    st.integers(min_value=1, max_value=50),
    st.lists(st.integers(min_value=0, max_value=60 * 24 * 40), max_size=60),
)
def test_when_available_the_limits_are_not_reached(monthly, minutes_ago):
    received = [NOW - timedelta(minutes=m) for m in minutes_ago]
    result = rules.availability(max_per_month=monthly, received=received, now=NOW)
    if result.is_available:
        assert result.this_month < monthly and result.last_7_days < rules.weekly_cap(monthly)
    else:
        assert result.blocked_until > NOW


def test_pages_say_the_capacity_rule_from_the_rules(monkeypatch):
    """The explanation follows the rule's numbers (issue 9 item 8)."""
    from django.template.loader import render_to_string

    page = render_to_string("structures/includes/capacity_explained.html")
    assert "jamais plus du quart sur 7 jours : avec 8 demandes par mois, au plus 2" in page
    assert "4 demandes par mois jusqu'à 9 salariés, 8 de 10 à 49 salariés, 12 à partir" in page
    monkeypatch.setattr(rules, "WEEKLY_SHARE", 3)
    monkeypatch.setitem(rules.DEFAULT_CAPACITY, "10-49", 10)
    assert rules.weekly_cap(10) == 4
    page = render_to_string("structures/includes/capacity_explained.html")
    assert "jamais plus du tiers sur 7 jours : avec 10 demandes par mois, au plus 4" in page
    blocked = rules.availability(max_per_month=10, received=[], now=datetime(2026, 3, 2, 9))
    assert (blocked.share, blocked.window_days) == ("tiers", 7)
