"""Calendar arithmetic the rules of several apps share (pure functions, no Django), and
``format_day``, the one French date format of pages, e-mails and messages (it reads
Django's date formats, imported when called)."""

import calendar
import re
from datetime import date, datetime, timedelta
from functools import cache


def period_end(start: date, months: int) -> date:
    """Last allowed end date of a period of ``months`` months « de date à date » from
    ``start``: the day before the same day ``months`` months later; when that day does not
    exist in that month, the month's last day (one month: 31/01 → 28/02 or 29/02, 30/01 →
    28/02 or 29/02, 29/01 → 28/02, 03/02 → 02/03, 31/12 → 30/01)."""
    year, month = divmod(start.year * 12 + start.month - 1 + months, 12)
    month += 1
    if year > 9999:
        return date.max
    days_in_month = calendar.monthrange(year, month)[1]
    if start.day > days_in_month:
        return date(year, month, days_in_month)
    return date(year, month, start.day) - timedelta(days=1)


def one_month_end(start: date) -> date:
    """:func:`period_end` of one month (the limit of every rule set so far)."""
    return period_end(start, 1)


def in_months(months: int) -> str:
    """« un mois », « 2 mois »."""
    return "un mois" if months == 1 else f"{months} mois"


# Working days ------------------------------------------------------------------------------
# « Jours ouvrés » as the platform counts them: Monday to Friday, except French public
# holidays. Used for the convention reminders (3 and 1 working days before the start) and
# the prescriber's « starts within 2 working days ».


def easter_sunday(year: int) -> date:
    """Easter Sunday of ``year`` (Gregorian calendar; anonymous algorithm, Meeus/Jones/
    Butcher), valid for every year of the Gregorian calendar."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


@cache
def french_public_holidays(year: int) -> frozenset[date]:
    """The eleven national public holidays of ``year`` (Code du travail, L3133-1):
    1er janvier, lundi de Pâques, 1er mai, 8 mai, Ascension (Easter + 39 days), lundi de
    Pentecôte (Easter + 50 days), 14 juillet, 15 août, 1er novembre, 11 novembre,
    25 décembre.

    Not included: the two extra days of Alsace-Moselle (Vendredi saint, 26 décembre) and
    the days of the overseas departments and territories (abolition of slavery, etc.); a
    convention there is counted with the national days only.
    """
    easter = easter_sunday(year)
    return frozenset(
        {
            date(year, 1, 1),
            easter + timedelta(days=1),
            date(year, 5, 1),
            date(year, 5, 8),
            easter + timedelta(days=39),
            easter + timedelta(days=50),
            date(year, 7, 14),
            date(year, 8, 15),
            date(year, 11, 1),
            date(year, 11, 11),
            date(year, 12, 25),
        }
    )


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a French public holiday."""
    return day.weekday() < 5 and day not in french_public_holidays(day.year)


def add_working_days(day: date, n: int) -> date:
    """The ``n``-th working day after ``day`` (before it when ``n`` is negative).

    ``day`` itself need not be a working day and never counts: ``add_working_days(friday,
    1)`` is the next Monday (or Tuesday after a holiday Monday). ``n == 0`` returns ``day``
    unchanged, working day or not.
    """
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """The number of working days after ``start`` up to and including ``end``.

    ``start`` never counts, ``end`` does (when it is a working day): from a Monday to the
    next day is 1, from a Friday to the next Monday is 1, from a day to itself is 0. So
    ``working_days_between(d, add_working_days(d, n)) == n`` for ``n >= 0``. When ``end``
    is before ``start`` the count is negative: minus the working days after ``end`` up to
    and including ``start``.
    """
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


# « j F » (day and month name) in a Django date format, ``j`` not escaped by a backslash.
_DAY_BEFORE_MONTH = re.compile(r"(?<!\\)j(?= F)")


def format_day(value: date | datetime, fmt: str | None = None) -> str:
    """``value`` (a date, or a datetime already in local time) in the Django date format
    ``fmt`` (or a format setting's name; the project's ``DATE_FORMAT`` by default), with the
    French ordinal of the first of the month before its name: « 1er décembre 2026 »,
    « lundi 1er juin », but « 01/06/2026 »."""
    from django.utils.dateformat import format as django_format
    from django.utils.formats import get_format

    pattern = get_format(fmt or "DATE_FORMAT")
    if value.day == 1:
        pattern = _DAY_BEFORE_MONTH.sub(r"\\1\\e\\r", pattern)
    return django_format(value, pattern)
