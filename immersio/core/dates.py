"""Calendar arithmetic the rules of several apps share (pure functions, no Django)."""

import calendar
from datetime import date, timedelta


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
