"""Working days: Monday to Friday except the French public holidays (core.dates)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from immersio.core.dates import (
    add_working_days,
    easter_sunday,
    french_public_holidays,
    is_working_day,
    working_days_between,
)

YEARS = range(2024, 2031)
DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),  # the latest possible date
        (2285, date(2285, 3, 22)),  # the earliest possible date
    ],
)
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter


def test_the_holidays_of_2027():
    assert sorted(french_public_holidays(2027)) == [
        date(2027, 1, 1),
        date(2027, 3, 29),  # lundi de Pâques
        date(2027, 5, 1),
        date(2027, 5, 6),  # Ascension
        date(2027, 5, 8),
        date(2027, 5, 17),  # lundi de Pentecôte
        date(2027, 7, 14),
        date(2027, 8, 15),
        date(2027, 11, 1),
        date(2027, 11, 11),
        date(2027, 12, 25),
    ]


def test_the_movable_holidays_of_2025_and_2026():
    assert {date(2025, 4, 21), date(2025, 5, 29), date(2025, 6, 9)} <= (
        french_public_holidays(2025)
    )
    assert {date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25)} <= (
        french_public_holidays(2026)
    )


def test_alsace_moselle_days_are_not_national_holidays():
    assert date(2025, 4, 18) not in french_public_holidays(2025)  # Vendredi saint
    assert is_working_day(date(2025, 12, 26))


@pytest.mark.parametrize("year", YEARS)
def test_eleven_holidays_a_year_every_movable_one_after_easter(year):
    holidays = french_public_holidays(year)
    easter = easter_sunday(year)
    assert len(holidays) == 11
    assert easter.weekday() == 6
    assert easter + timedelta(days=1) in holidays  # Monday
    assert easter + timedelta(days=39) in holidays  # Thursday
    assert easter + timedelta(days=50) in holidays  # Monday
    assert all(day.year == year for day in holidays)


def test_weekends_and_holidays_are_not_working_days():
    assert is_working_day(date(2027, 7, 12))  # Monday
    assert not is_working_day(date(2027, 7, 10))  # Saturday
    assert not is_working_day(date(2027, 7, 11))  # Sunday
    assert not is_working_day(date(2027, 7, 14))  # Wednesday, Fête nationale
    assert not is_working_day(date(2027, 5, 6))  # Ascension


def test_the_bridge_around_14_july_2026():
    # 14 July 2026 is a Tuesday: Monday 13 is a working day (a « pont » is not a holiday).
    assert is_working_day(date(2026, 7, 13))
    assert add_working_days(date(2026, 7, 10), 1) == date(2026, 7, 13)
    assert add_working_days(date(2026, 7, 13), 1) == date(2026, 7, 15)
    assert add_working_days(date(2026, 7, 15), -1) == date(2026, 7, 13)
    assert working_days_between(date(2026, 7, 10), date(2026, 7, 17)) == 4


def test_ascension_thursday_2027_is_skipped():
    assert add_working_days(date(2027, 5, 5), 1) == date(2027, 5, 7)
    assert add_working_days(date(2027, 5, 7), -1) == date(2027, 5, 5)
    # Wednesday 5 → Tuesday 11: Friday 7, Monday 10, Tuesday 11 (Thursday 6 is Ascension).
    assert working_days_between(date(2027, 5, 5), date(2027, 5, 11)) == 3


def test_easter_monday_and_a_weekend_together():
    # Thursday 2 April 2026 + 2: Friday 3, then Tuesday 7 (Monday 6 is lundi de Pâques).
    assert add_working_days(date(2026, 4, 2), 2) == date(2026, 4, 7)
    assert add_working_days(date(2026, 4, 7), -2) == date(2026, 4, 2)


def test_adding_zero_returns_the_day_even_a_holiday():
    assert add_working_days(date(2027, 7, 14), 0) == date(2027, 7, 14)
    assert add_working_days(date(2027, 7, 10), 0) == date(2027, 7, 10)


def test_the_start_never_counts_the_end_does():
    monday, tuesday, friday = date(2027, 6, 7), date(2027, 6, 8), date(2027, 6, 11)
    assert working_days_between(monday, monday) == 0
    assert working_days_between(monday, tuesday) == 1
    assert working_days_between(friday, date(2027, 6, 14)) == 1  # to the next Monday
    assert working_days_between(friday, date(2027, 6, 13)) == 0  # to the Sunday
    assert working_days_between(tuesday, monday) == -1


def test_the_new_year_crosses_years():
    # Thursday 31 December 2026 + 1: Friday 1 January is a holiday, so Monday 4.
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert working_days_between(date(2026, 12, 31), date(2027, 1, 4)) == 1


@given(day=DAYS, n=st.integers(min_value=0, max_value=60))
def test_adding_then_counting_gives_back_n(day, n):
    later = add_working_days(day, n)
    assert working_days_between(day, later) == n
    if n:
        assert is_working_day(later)
        assert later > day


@given(day=DAYS, n=st.integers(min_value=1, max_value=60))
def test_going_back_lands_on_the_nth_working_day_before(day, n):
    earlier = add_working_days(day, -n)
    assert is_working_day(earlier)
    assert earlier < day
    # The working days strictly between them are n - 1; ``day`` counts when it works.
    assert working_days_between(earlier, day) == n - 1 + is_working_day(day)


ALL_HOLIDAYS = frozenset().union(*(french_public_holidays(year) for year in range(2024, 2032)))


@given(start=DAYS, end=DAYS)
def test_counting_matches_a_day_by_day_walk(start, end):
    low, high = min(start, end), max(start, end)
    days = (low + timedelta(days=offset) for offset in range(1, (high - low).days + 1))
    walked = sum(1 for day in days if day.weekday() < 5 and day not in ALL_HOLIDAYS)
    assert working_days_between(low, high) == walked
    assert working_days_between(high, low) == -walked


@given(day=DAYS)
def test_a_week_holds_five_working_days_minus_its_holidays(day):
    week = [day + timedelta(days=offset) for offset in range(1, 8)]
    holidays = sum(1 for d in week if d.weekday() < 5 and d in french_public_holidays(d.year))
    assert working_days_between(day, day + timedelta(days=7)) == 5 - holidays
