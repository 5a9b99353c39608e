"""The numbers the law sets for a PMSMP (Code du travail art. L5135-1 to L5135-8 and
D5135-1 to D5135-8, and the working-time articles cited field by field), one ``Limits``
per version of the law. The convention rules (``conventions.rules``) check them and
requests (``contacts.rules``) read the same numbers, so that no message hard-codes one.
See ``docs/rules.md`` for the article behind each number."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Limits:
    max_period_months: int = 1  # « un mois de date à date »
    max_presence_days: int = 30
    adult_max_day_minutes: int = 10 * 60
    adult_max_week_minutes: int = 48 * 60
    max_days_per_week: int = 6
    adult_min_rest_minutes: int = 11 * 60
    minor_min_age: int = 16
    majority_age: int = 18
    max_age: int = 120
    minor_max_day_minutes: int = 8 * 60
    minor_max_week_minutes: int = 35 * 60
    minor_min_rest_minutes: int = 12 * 60
    minor_max_continuous_minutes: int = 4 * 60 + 30
    minor_min_break_minutes: int = 30  # the break after 4 h 30 lasts 30 minutes at least
    minor_weekly_rest_days: int = 2  # consecutive
    minor_night_start: int = 22 * 60  # no presence from 22:00…
    minor_night_end: int = 6 * 60  # …to 06:00
    history_window_months: int = 12  # « sur une période de douze mois consécutifs »
    max_conventions_12_months: int = 2
    max_presence_days_12_months: int = 60
    insertion_contract_max_share: tuple[int, int] = (1, 4)  # 25 %
    max_objectives: int = 5
    max_objective_length: int = 300


#: (version, in force from, limits): the latest version whose date has come applies.
LIMITS_IN_FORCE: tuple[tuple[str, date, Limits], ...] = (("2026-11", date(2014, 12, 1), Limits()),)


def limits_for(day: date) -> Limits:
    """The limits in force on ``day`` (the earliest version before the first date)."""
    chosen = LIMITS_IN_FORCE[0][2]
    for _version, valid_from, limits in LIMITS_IN_FORCE:
        if valid_from <= day:
            chosen = limits
    return chosen
