from datetime import date, datetime, timedelta

from django.utils import timezone

from immersio.contacts import rules

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.get_fixed_timezone(60))


def test_similar_request_within_seven_days_is_refused_with_the_date_it_opens_again():
    [violation] = rules.similar_request(last_sent_at=NOW - timedelta(days=6), now=NOW)
    assert violation.field == "appellation"
    assert "4 mars 2026" in violation.message
    assert "à partir du 11 mars 2026" in violation.message


def test_similar_request_after_seven_days_or_never_is_fine():
    assert rules.similar_request(last_sent_at=NOW - timedelta(days=7), now=NOW) == []
    assert rules.similar_request(last_sent_at=None, now=NOW) == []


def test_unavailable_reasons():
    today = date(2026, 3, 10)
    common = {"paused_until": None, "blocked_until": None, "today": today}
    assert rules.unavailable_reason(status="publiee", **common) == ""
    assert "suspendue" not in rules.unavailable_reason(status="suspendue", **common)
    assert "fermé" in rules.unavailable_reason(status="fermee", **common)
    assert "pas encore publiée" in rules.unavailable_reason(status="en_attente", **common)
    paused = rules.unavailable_reason(
        status="publiee", paused_until=today, blocked_until=None, today=today
    )
    assert "jusqu'au 10 mars 2026 inclus" in paused
    assert (
        rules.unavailable_reason(
            status="publiee",
            paused_until=today - timedelta(days=1),
            blocked_until=None,
            today=today,
        )
        == ""
    )
    blocked = rules.unavailable_reason(
        status="publiee", paused_until=None, blocked_until=NOW + timedelta(days=2), today=today
    )
    assert "12 mars 2026" in blocked


def test_reminders_due_once_each():
    sent = NOW - timedelta(days=3)
    assert rules.reminders_due(sent_at=sent, reminded={}, now=NOW) == [3]
    assert rules.reminders_due(sent_at=sent, reminded={3: NOW}, now=NOW) == []
    assert rules.reminders_due(sent_at=NOW - timedelta(days=8), reminded={3: NOW}, now=NOW) == [7]


def test_expiry_and_median_and_auto_hide():
    assert rules.is_expired(sent_at=NOW - timedelta(days=30), now=NOW)
    assert not rules.is_expired(sent_at=NOW - timedelta(days=29, hours=23), now=NOW)
    assert rules.median([]) is None
    assert rules.median([5, 1, 3]) == 3
    assert rules.median([4, 1, 3, 2]) == 2.5
    assert rules.should_auto_hide(unanswered=20, answered=0)
    assert not rules.should_auto_hide(unanswered=19, answered=0)
    assert not rules.should_auto_hide(unanswered=40, answered=1)


def test_the_proposed_period_says_the_numbers_of_the_rules(monkeypatch):
    """The longest period is the law's (``core.law``); the horizon is PROPOSED_START_MAX_DAYS."""
    from dataclasses import replace

    from immersio.core import law

    today = date(2026, 3, 2)
    [too_long] = rules.proposed_period(start=today, end=date(2026, 4, 2), today=today)
    assert "au plus un mois de date à date" in too_long.message
    version, valid_from, limits = law.LIMITS_IN_FORCE[-1]
    longer = (version, valid_from, replace(limits, max_period_months=2))
    monkeypatch.setattr(law, "LIMITS_IN_FORCE", (longer,))
    assert rules.proposed_period(start=today, end=date(2026, 4, 2), today=today) == []
    [too_long] = rules.proposed_period(start=today, end=date(2026, 5, 2), today=today)
    assert "au plus 2 mois de date à date" in too_long.message
    assert "fin doit être le 1er mai 2026 au plus tard" in too_long.message
    monkeypatch.setattr(rules, "PROPOSED_START_MAX_DAYS", 90)
    [too_far] = rules.proposed_period(start=date(2026, 7, 1), end=date(2026, 7, 2), today=today)
    assert "dans les 90 jours qui viennent, au plus tard le 31 mai 2026" in too_far.message
