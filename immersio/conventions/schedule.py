"""Presence schedules of a convention: plain data and pure helpers.

A schedule is a list of presence days, each with its time slots ``(start, end)``
(``datetime.time``, same day, start < end). Durations are counted in whole minutes, so
totals are exact (no floating point). Used by ``rules.py``, the API and, later, the form.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import NamedTuple

Slot = tuple[time, time]

MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class DaySlots:
    """The time slots of one presence day."""

    day: date
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class Schedule:
    """Presence days in the order given (a well-formed schedule has each date once)."""

    days: tuple[DaySlots, ...] = ()

    @classmethod
    def of(cls, mapping: Mapping[date, Sequence[Slot]]) -> "Schedule":
        """Build from ``{date: [(start, end), …]}``; days are sorted, empty days dropped."""
        return cls(
            tuple(DaySlots(day, tuple(slots)) for day, slots in sorted(mapping.items()) if slots)
        )

    def slots_by_day(self) -> dict[date, tuple[Slot, ...]]:
        """Slots per date, sorted by date; slots of a date given twice are merged."""
        result: dict[date, tuple[Slot, ...]] = {}
        for day in sorted(self.days, key=lambda d: d.day):
            result[day.day] = result.get(day.day, ()) + tuple(day.slots)
        return result


class IsoWeek(NamedTuple):
    """A calendar week, Monday to Sunday (ISO 8601)."""

    year: int
    week: int

    @classmethod
    def of(cls, day: date) -> "IsoWeek":
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-W{self.week:02d}"


@dataclass(frozen=True)
class WeekTotal:
    minutes: int
    days: int


def to_minutes(value: time) -> int:
    """Minutes since midnight (seconds are ignored)."""
    return value.hour * 60 + value.minute


def slot_minutes(slot: Slot) -> int:
    """Length of a slot in minutes; 0 for a malformed slot (end not after start)."""
    return max(0, to_minutes(slot[1]) - to_minutes(slot[0]))


def day_minutes(slots: Iterable[Slot]) -> int:
    return sum(slot_minutes(slot) for slot in slots)


def total_minutes(schedule: Schedule) -> int:
    return sum(day_minutes(day.slots) for day in schedule.days)


def presence_days(schedule: Schedule) -> int:
    """Number of distinct dates with at least one slot."""
    return len({day.day for day in schedule.days if day.slots})


def presence_dates(schedule: Schedule) -> list[date]:
    return sorted({day.day for day in schedule.days if day.slots})


def weekly_totals(schedule: Schedule) -> dict[IsoWeek, WeekTotal]:
    """Minutes and presence days per ISO week, in week order."""
    minutes: dict[IsoWeek, int] = {}
    days: dict[IsoWeek, set[date]] = {}
    for day in schedule.days:
        if not day.slots:
            continue
        week = IsoWeek.of(day.day)
        minutes[week] = minutes.get(week, 0) + day_minutes(day.slots)
        days.setdefault(week, set()).add(day.day)
    return {week: WeekTotal(minutes[week], len(days[week])) for week in sorted(minutes)}


def merged_blocks(slots: Iterable[Slot]) -> list[tuple[int, int]]:
    """Continuous presence blocks of a day, in minutes: overlapping or touching slots merged
    (08:00–12:00 and 12:00–14:00 are one block of 6 h)."""
    blocks: list[tuple[int, int]] = []
    for start, end in sorted((to_minutes(a), to_minutes(b)) for a, b in slots):
        if end <= start:
            continue
        if blocks and start <= blocks[-1][1]:
            blocks[-1] = (blocks[-1][0], max(blocks[-1][1], end))
        else:
            blocks.append((start, end))
    return blocks


def expand_weekly_pattern(
    start: date,
    end: date,
    pattern: Mapping[int, Sequence[Slot]],
    exceptions: Mapping[date, Sequence[Slot]] | None = None,
) -> Schedule:
    """Concrete daily slots from a weekly pattern.

    ``pattern`` maps a weekday (0 = Monday … 6 = Sunday, as ``date.weekday()``) to its
    slots; ``exceptions`` replaces the slots of given dates (an empty list: no presence that
    day). Exceptions outside ``[start, end]`` are kept, so that the rules can report them
    rather than silently dropping what the person typed. An empty period (end before
    start) gives only the exceptions.
    """
    exceptions = exceptions or {}
    mapping: dict[date, Sequence[Slot]] = {}
    for ordinal in range(start.toordinal(), end.toordinal() + 1):
        day = date.fromordinal(ordinal)
        mapping[day] = pattern.get(day.weekday(), ())
    mapping.update(exceptions)
    return Schedule.of(mapping)


def format_minutes(minutes: int) -> str:
    """French duration: 600 → « 10 h », 615 → « 10 h 15 »."""
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"
