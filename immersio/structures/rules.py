"""Pure rules about host structures: capacity and its spreading over the month.

A structure says how many requests it can take per month. So that they do not all arrive
the same week, at most a share of that (``WEEKLY_SHARE``: a quarter, rounded up) may arrive
in any ``ROLLING_DAYS`` days. Pages say these numbers from here (``capacity_rule``).
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

# Default monthly capacity by headcount range (the structure can change it).
DEFAULT_CAPACITY = {"0": 4, "1-9": 4, "10-49": 8, "50-249": 12, "250+": 12}
MAX_CAPACITY = 200
ROLLING_DAYS = 7
ROLLING_WINDOW = timedelta(days=ROLLING_DAYS)
WEEKLY_SHARE = 4  # at most 1/4 of the monthly capacity in any ROLLING_DAYS days
_SHARE_NAMES = {2: "demi", 3: "tiers", 4: "quart", 5: "cinquième"}


def share_name() -> str:
    """The share as a French noun: 4 → « quart » (« le quart », « un quart »)."""
    return _SHARE_NAMES.get(WEEKLY_SHARE, f"{WEEKLY_SHARE}ᵉ")


def capacity_rule() -> dict[str, int | str]:
    """The numbers pages explain: default capacities, the share and its window."""
    example = DEFAULT_CAPACITY["10-49"]
    return {
        "small": DEFAULT_CAPACITY["1-9"],
        "medium": example,
        "large": DEFAULT_CAPACITY["50-249"],
        "share": share_name(),
        "days": ROLLING_DAYS,
        "example_month": example,
        "example_week": weekly_cap(example),
    }


def default_capacity(headcount: str) -> int:
    return DEFAULT_CAPACITY.get(headcount, 4)


def weekly_cap(max_per_month: int) -> int:
    """At most a share of the monthly capacity in any ``ROLLING_DAYS`` days, rounded up
    (at least 1 if open)."""
    if max_per_month <= 0:
        return 0
    return math.ceil(max_per_month / WEEKLY_SHARE)


def month_start(moment: datetime) -> datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def next_month_start(moment: datetime) -> datetime:
    start = month_start(moment)
    return (start + timedelta(days=32)).replace(day=1)


@dataclass(frozen=True)
class Availability:
    this_month: int
    last_7_days: int
    max_per_month: int
    weekly_cap: int
    blocked_until: datetime | None  # None: the structure can receive a request now
    window_days: int
    share: str  # « quart »

    @property
    def is_available(self) -> bool:
        return self.blocked_until is None


def availability(*, max_per_month: int, received: list[datetime], now: datetime) -> Availability:
    """Whether a structure can receive one more request at ``now``, and if not, until when.

    ``received`` lists when the structure's recent requests arrived (at least those of the
    current month and of the last 7 days).
    """
    cap = weekly_cap(max_per_month)
    start = month_start(now)
    this_month = sorted(moment for moment in received if start <= moment <= now)
    recent = sorted(moment for moment in received if now - ROLLING_WINDOW < moment <= now)
    blocked: list[datetime] = []
    if max_per_month <= 0:
        blocked.append(next_month_start(now))
    else:
        if len(this_month) >= max_per_month:
            blocked.append(next_month_start(now))
        if len(recent) >= cap:
            # Free again once enough of the last week's requests are 7 days old.
            blocked.append(recent[len(recent) - cap] + ROLLING_WINDOW)
    return Availability(
        this_month=len(this_month),
        last_7_days=len(recent),
        max_per_month=max_per_month,
        weekly_cap=cap,
        blocked_until=max(blocked) if blocked else None,
        window_days=ROLLING_DAYS,
        share=share_name(),
    )
