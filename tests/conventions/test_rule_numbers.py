"""Rules say their numbers from their rule set: change a limit, the message follows."""

from dataclasses import replace
from datetime import date

import pytest

from immersio.conventions import rules
from immersio.conventions.rules import (
    ContractKind,
    InsertionContract,
    Limits,
    PastConvention,
    RuleSet,
    check,
)

from .factories import END, START, convention, minor, on_days, weekdays


@pytest.fixture
def limits(monkeypatch):
    """Install a single rule set with the given limits; return a function to call."""

    def install(**changes) -> Limits:
        chosen = replace(Limits(), **changes)
        rule_set = RuleSet("test", date(2000, 1, 1), chosen, rules.ALL_CHECKS)
        monkeypatch.setattr(rules, "RULE_SETS", (rule_set,))
        return chosen

    return install


def messages(data, code: str) -> list[str]:
    return [v.message for v in check(data) if v.code == code]


def test_the_minor_night_follows_the_rule_set(limits):
    data = minor(schedule=on_days({START: ["07:00-12:00"]}))
    assert messages(data, "minor_night") == []
    limits(minor_night_start=21 * 60, minor_night_end=7 * 60 + 30)
    [message] = messages(data, "minor_night")
    assert "entre 21 h et 7 h 30" in message
    assert "22 h" not in message


def test_the_minor_break_follows_the_rule_set(limits):
    limits(minor_max_continuous_minutes=3 * 60, minor_min_break_minutes=45)
    data = minor(schedule=on_days({START: ["08:00-11:30"]}))
    [message] = messages(data, "minor_continuous_too_long")
    assert "une pause d'au moins 45 minutes après 3 h de présence continue" in message


def test_a_gap_shorter_than_the_break_is_no_break():
    """L3162-3: 30 consecutive minutes; a 15-minute gap does not end the presence."""
    short_gap = minor(schedule=on_days({START: ["08:00-11:00", "11:15-13:00"]}))
    assert [v.code for v in check(short_gap)] == ["minor_continuous_too_long"]
    real_break = minor(schedule=on_days({START: ["08:00-11:00", "11:30-13:00"]}))
    assert check(real_break) == []


def test_daily_weekly_and_rest_limits_follow_the_rule_set(limits):
    limits(
        adult_max_day_minutes=6 * 60, adult_max_week_minutes=30 * 60, adult_min_rest_minutes=17 * 60
    )
    data = convention(schedule=weekdays(START, END, "08:00-12:00", "13:00-16:00"))
    assert "au plus 6 h par jour" in messages(data, "day_too_long")[0]
    assert "au plus 30 h par semaine" in messages(data, "week_too_long")[0]
    assert "au moins 17 h de repos" in messages(data, "rest_too_short")[0]


def test_days_per_week_follow_the_rule_set(limits):
    limits(max_days_per_week=4)
    [first, *_] = messages(convention(), "too_many_days_in_week")
    assert "au moins trois jours de repos par semaine (au plus 4 jours de présence)" in first


def test_the_minor_weekly_rest_follows_the_rule_set(limits):
    limits(minor_weekly_rest_days=3)
    [first, *_] = messages(minor(), "minor_weekly_rest")
    assert "trois jours de repos consécutifs" in first


def test_the_period_and_the_twelve_months_follow_the_rule_set(limits):
    limits(max_period_months=2, history_window_months=18, max_conventions_12_months=1)
    past = PastConvention(date(2025, 1, 5), date(2025, 1, 20), 10, convention().object, ("Autre",))
    data = convention(date_end=date(2026, 6, 1), previous_conventions=(past,))
    assert "au plus 2 mois de date à date" in messages(data, "period_too_long")[0]
    [message] = messages(data, "too_many_conventions_12_months")
    assert "au plus 1 immersions" in message and "sur 18 mois consécutifs" in message


def test_the_insertion_share_follows_the_rule_set(limits):
    contract = InsertionContract(ContractKind.CUI, date(2026, 1, 1), date(2026, 1, 31))
    data = convention(is_employee=True, insertion_contract=contract)
    assert "25 %" in messages(data, "insertion_contract_share_exceeded")[0]
    limits(insertion_contract_max_share=(1, 3))
    [message] = messages(data, "insertion_contract_share_exceeded")
    assert "33,3 % de la durée du contrat, soit 10 jours sur 31" in message


def test_the_default_messages_keep_their_words():
    """The numbers of the rule set in force give the same French texts as before."""
    night = minor(schedule=on_days({START: ["05:00-09:00"]}))
    assert "entre 22 h et 6 h" in messages(night, "minor_night")[0]
    long_day = minor(schedule=on_days({START: ["08:00-13:00"]}))
    assert (
        "une pause d'au moins 30 minutes après 4 h 30 de présence continue"
        in messages(long_day, "minor_continuous_too_long")[0]
    )
    seven = convention(schedule=weekdays(START, END, "08:00-12:00", weekend=True))
    assert (
        "au moins un jour de repos par semaine (au plus 6 jours"
        in (messages(seven, "too_many_days_in_week")[0])
    )
    assert (
        "un mois de date à date"
        in messages(convention(date_end=date(2026, 5, 1)), "period_too_long")[0]
    )


def test_each_legal_rule_is_its_own_check_with_its_reference():
    """``check_working_time`` is split: one function per rule of the Code du travail."""
    assert not hasattr(rules, "check_working_time")
    for check_ in (
        rules.check_daily_presence,
        rules.check_weekly_presence,
        rules.check_days_per_week,
        rules.check_daily_rest,
        rules.check_minor_night,
        rules.check_minor_break,
        rules.check_minor_weekly_rest,
    ):
        assert check_ in rules.ALL_CHECKS
        assert "art. L3" in " ".join(check_.__doc__.split()), check_.__name__
