"""Calendar arithmetic the rules of several apps share (pure functions, no Django)."""

import calendar
from datetime import date, timedelta


def one_month_end(start: date) -> date:
    """Last allowed end date of a period of one month « de date à date » from ``start``:
    the day before the same day of the next month; when that day does not exist in the
    next month, the last day of the next month (31/01 → 28/02 or 29/02, 30/01 → 28/02 or
    29/02, 29/01 → 28/02, 03/02 → 02/03, 31/12 → 30/01)."""
    if start >= date(9999, 12, 1):
        return date.max
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    days_in_next = calendar.monthrange(year, month)[1]
    if start.day > days_in_next:
        return date(year, month, days_in_next)
    return date(year, month, start.day) - timedelta(days=1)
