import itertools
from datetime import date, time

from hypothesis import given
from hypothesis import strategies as st

from immersio.conventions.schedule import (
    DaySlots,
    IsoWeek,
    Schedule,
    WeekTotal,
    day_minutes,
    expand_weekly_pattern,
    format_minutes,
    merged_blocks,
    presence_dates,
    presence_days,
    slot_minutes,
    total_minutes,
    weekly_totals,
)

from .factories import slots, t

MONDAY = date(2026, 3, 9)


def test_slot_and_day_minutes():
    assert slot_minutes((t("08:00"), t("12:30"))) == 270
    assert slot_minutes((t("12:00"), t("08:00"))) == 0
    assert slot_minutes((t("00:00"), t("23:59"))) == 1439
    assert day_minutes(slots("08:00-12:00", "13:00-17:15")) == 495


def test_expand_weekly_pattern_with_exceptions():
    pattern = {0: slots("09:00-12:00"), 2: slots("14:00-18:00")}
    exceptions = {date(2026, 3, 11): [], date(2026, 3, 14): slots("10:00-11:00")}
    schedule = expand_weekly_pattern(MONDAY, date(2026, 3, 22), pattern, exceptions)
    assert schedule.slots_by_day() == {
        date(2026, 3, 9): tuple(slots("09:00-12:00")),
        date(2026, 3, 14): tuple(slots("10:00-11:00")),
        date(2026, 3, 16): tuple(slots("09:00-12:00")),
        date(2026, 3, 18): tuple(slots("14:00-18:00")),
    }
    assert total_minutes(schedule) == 3 * 60 + 60 + 3 * 60 + 4 * 60
    assert presence_days(schedule) == 4


def test_exceptions_outside_the_period_are_kept_for_the_rules_to_report():
    schedule = expand_weekly_pattern(MONDAY, MONDAY, {}, {date(2026, 4, 1): slots("09:00-10:00")})
    assert presence_dates(schedule) == [date(2026, 4, 1)]


def test_empty_period_gives_an_empty_schedule():
    assert expand_weekly_pattern(MONDAY, date(2026, 3, 1), {0: slots("09:00-10:00")}) == Schedule()


def test_weekly_totals_by_iso_week():
    # Sunday 8 March is in week 10, Monday 9 March starts week 11.
    schedule = Schedule.of(
        {
            date(2026, 3, 8): slots("09:00-10:00"),
            date(2026, 3, 9): slots("09:00-12:00"),
            date(2026, 3, 15): slots("09:00-11:30"),
        }
    )
    assert weekly_totals(schedule) == {
        IsoWeek(2026, 10): WeekTotal(60, 1),
        IsoWeek(2026, 11): WeekTotal(330, 2),
    }
    assert str(IsoWeek(2026, 11)) == "2026-W11"
    assert IsoWeek(2026, 11).monday == MONDAY


def test_iso_week_across_new_year():
    assert IsoWeek.of(date(2026, 12, 31)) == IsoWeek(2026, 53)
    assert IsoWeek.of(date(2027, 1, 4)) == IsoWeek(2027, 1)


def test_repeated_day_is_merged_by_slots_by_day():
    schedule = Schedule(
        (
            DaySlots(MONDAY, tuple(slots("08:00-09:00"))),
            DaySlots(MONDAY, tuple(slots("10:00-11:00"))),
        )
    )
    assert schedule.slots_by_day() == {MONDAY: tuple(slots("08:00-09:00", "10:00-11:00"))}
    assert presence_days(schedule) == 1
    assert weekly_totals(schedule)[IsoWeek.of(MONDAY)] == WeekTotal(120, 1)


def test_merged_blocks_join_touching_and_overlapping_slots():
    assert merged_blocks(slots("12:00-14:00", "08:00-12:00", "15:00-16:00", "15:30-15:45")) == [
        (480, 840),
        (900, 960),
    ]
    assert merged_blocks(slots("10:00-09:00")) == []


def test_format_minutes():
    assert format_minutes(600) == "10 h"
    assert format_minutes(615) == "10 h 15"
    assert format_minutes(5) == "0 h 05"


times = st.times().map(lambda v: v.replace(second=0, microsecond=0))
slot_lists = st.lists(st.tuples(times, times), max_size=3)


@given(
    start=st.dates(date(2025, 1, 1), date(2027, 12, 31)),
    length=st.integers(0, 40),
    pattern=st.dictionaries(st.integers(0, 6), slot_lists, max_size=7),
)
def test_expansion_matches_the_pattern(start, length, pattern):
    end = date.fromordinal(start.toordinal() + length)
    schedule = expand_weekly_pattern(start, end, pattern)
    for day in schedule.days:
        assert start <= day.day <= end
        assert list(day.slots) == list(pattern[day.day.weekday()])
    assert total_minutes(schedule) == sum(w.minutes for w in weekly_totals(schedule).values())
    assert presence_days(schedule) == sum(w.days for w in weekly_totals(schedule).values())


@given(st.lists(st.tuples(times, times), max_size=6))
def test_merged_blocks_cover_the_same_minutes(pairs):
    covered = set()
    for a, b in pairs:
        covered.update(range(a.hour * 60 + a.minute, b.hour * 60 + b.minute))
    blocks = merged_blocks(pairs)
    assert covered == {m for a, b in blocks for m in range(a, b)}
    assert all(a < b for a, b in blocks)
    assert all(prev[1] < nxt[0] for prev, nxt in itertools.pairwise(blocks))


def test_time_helpers_ignore_seconds():
    assert slot_minutes((time(8, 0, 30), time(9, 0))) == 60


def test_expansion_up_to_the_last_representable_day():
    schedule = expand_weekly_pattern(date(9999, 12, 30), date.max, {4: slots("09:00-10:00")})
    assert presence_dates(schedule) == [date.max]
