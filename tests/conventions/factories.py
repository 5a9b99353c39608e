"""Plain-data builders for the rules tests: a valid adult convention by default."""

from dataclasses import replace
from datetime import date, time, timedelta

from immersio.conventions.rules import ConventionData, ImmersionObject, Signatories
from immersio.conventions.schedule import Schedule

# Monday 9 March 2026 → Friday 20 March 2026, no public holiday.
SUBMITTED = date(2026, 3, 2)
START = date(2026, 3, 9)
END = date(2026, 3, 20)
ADULT_BIRTH = date(1995, 6, 14)


def t(text: str) -> time:
    return time.fromisoformat(text)


def slots(*pairs: str) -> list[tuple[time, time]]:
    """slots("08:00-12:00", "13:00-17:00")"""
    return [(t(a), t(b)) for a, b in (pair.split("-") for pair in pairs)]


def weekdays(start: date, end: date, *pairs: str, weekend: bool = False) -> Schedule:
    mapping = {}
    day = start
    while day <= end:
        if weekend or day.weekday() < 5:
            mapping[day] = slots(*pairs)
        day += timedelta(days=1)
    return Schedule.of(mapping)


def convention(**changes) -> ConventionData:
    data = ConventionData(
        submitted_on=SUBMITTED,
        date_start=START,
        date_end=END,
        beneficiary_birth_date=ADULT_BIRTH,
        object=ImmersionObject.DISCOVER,
        objectives=(
            "Découvrir les gestes du métier",
            "Évaluation par le tuteur à la fin de l'immersion",
        ),
        schedule=weekdays(START, END, "08:00-12:00", "13:00-16:00"),
        signatories=Signatories(
            beneficiary="camille@example.org", host_representative="direction@example.com"
        ),
        tutor_email="tuteur@example.com",
    )
    return replace(data, **changes)


def minor(**changes) -> ConventionData:
    """A 17-year-old with a legal representative."""
    base = {
        "beneficiary_birth_date": date(2009, 1, 10),
        "has_legal_representative": True,
        "signatories": Signatories(
            beneficiary="camille@example.org",
            host_representative="direction@example.com",
            legal_representative="parent@example.net",
        ),
        "schedule": weekdays(START, END, "08:00-12:00", "13:00-16:00"),
    }
    base.update(changes)
    return convention(**base)


def on_days(mapping: dict[date, list[str]]) -> Schedule:
    return Schedule.of({day: slots(*pairs) for day, pairs in mapping.items()})
