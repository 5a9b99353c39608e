"""Business rules of a PMSMP convention, as pure functions.

``check(data)`` takes plain data (frozen dataclasses, no database) and returns a list of
``Violation``. It picks the rule set in force on ``data.submitted_on``: a convention keeps
the rules it was submitted under. The interpretation of each rule and its exact boundaries
are written in ``docs/rules.md``, with the article of the Code du travail behind each one.
"""

import calendar
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import holidays
from django.db.models import TextChoices

from immersio.core import law
from immersio.core.dates import in_months, one_month_end, period_end  # noqa: F401
from immersio.core.law import Limits
from immersio.core.violations import ERROR, WARNING, Violation
from immersio.core.vocabulary import ImmersionObject

from .schedule import (
    MINUTES_PER_DAY,
    IsoWeek,
    Schedule,
    format_minutes,
    merged_blocks,
    presence_dates,
    presence_days,
    slot_minutes,
    to_minutes,
    weekly_totals,
)

# The single legal object of a convention (L5135-1), in lower case inside sentences.
OBJECT_LABELS = {o: o.in_sentence for o in ImmersionObject}


class ContractKind(TextChoices):
    """The insertion contract of an employee beneficiary (the only enum of this concept;
    the model adds « Aucun »)."""

    CUI = "cui", "Contrat unique d'insertion (PEC, CUI)"
    SIAE = "siae", "CDDI dans une SIAE (EI, AI, ACI)"


# --- input data -----------------------------------------------------------------------


@dataclass(frozen=True)
class InsertionContract:
    """The CUI or SIAE contract of an employee beneficiary (dates inclusive)."""

    kind: ContractKind
    start: date
    end: date


@dataclass(frozen=True)
class Period:
    """Another immersion (PMSMP) of the beneficiary, dates inclusive."""

    date_start: date
    date_end: date


@dataclass(frozen=True)
class PastConvention:
    """A convention of the same beneficiary with the same host structure."""

    date_start: date
    date_end: date
    presence_days: int
    object: ImmersionObject
    objectives: tuple[str, ...]
    is_renewal: bool = False


@dataclass(frozen=True)
class RenewalInfo:
    """What a renewal needs to know about the convention it renews."""

    parent_is_renewal: bool
    parent_object: ImmersionObject
    parent_objectives: tuple[str, ...]
    # The assessment of the parent: True = objectives not met, False = met, None = no
    # assessment (yet).
    parent_objectives_not_met: bool | None
    # Another convention already renews the parent (or the parent's original).
    parent_already_renewed: bool = False


@dataclass(frozen=True)
class PotentialDuplicate:
    """A convention with the same SIRET, appellation, beneficiary name and birth date
    (found by the caller); ``reference`` is shown to the person."""

    reference: str
    date_start: date
    date_end: date


@dataclass(frozen=True)
class Signatories:
    """E-mail addresses of the signatories (None: that signatory is absent)."""

    beneficiary: str
    host_representative: str
    legal_representative: str | None = None
    current_employer: str | None = None
    # Signatories without an e-mail address who have a mobile phone: they sign with a code
    # received by SMS (keys as in ``_SIGNATORY_LABELS``).
    by_sms: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ConventionData:
    submitted_on: date
    date_start: date
    date_end: date
    beneficiary_birth_date: date
    object: ImmersionObject
    objectives: tuple[str, ...]  # one to five short objectives
    schedule: Schedule
    signatories: Signatories
    tutor_email: str
    is_employee: bool = False
    insertion_contract: InsertionContract | None = None
    has_legal_representative: bool = False
    # History, provided by the caller.
    renewal: RenewalInfo | None = None  # set when this convention renews another one
    previous_conventions: tuple[PastConvention, ...] = ()  # same beneficiary and host
    other_immersions: tuple[Period, ...] = ()  # other PMSMP during the insertion contract
    potential_duplicates: tuple[PotentialDuplicate, ...] = ()

    @property
    def is_renewal(self) -> bool:
        return self.renewal is not None


# --- rule sets --------------------------------------------------------------------------


Check = Callable[[ConventionData, Limits], Iterator[Violation]]


@dataclass(frozen=True)
class RuleSet:
    version: str
    valid_from: date
    limits: Limits
    checks: tuple[Check, ...] = field(repr=False)


# --- helpers ----------------------------------------------------------------------------

FIELDS = frozenset(
    {
        "submitted_on",
        "date_start",
        "date_end",
        "object",
        "objectives",
        "schedule",
        "beneficiary.birth_date",
        "legal_representative",
        "signatories.beneficiary.email",
        "signatories.host_representative.email",
        "signatories.legal_representative.email",
        "signatories.current_employer.email",
        "tutor.email",
        "insertion_contract",
        "renewal",
        "previous_conventions",
        "other_immersions",
    }
)
_FIELD_PATTERNS = (
    re.compile(r"schedule\.\d{4}-\d{2}-\d{2}"),
    re.compile(r"schedule\.weeks\.\d{4}-W\d{2}"),
)


def is_known_field(path: str) -> bool:
    """Whether ``path`` is one of the field paths ``check`` can report."""
    return path in FIELDS or any(p.fullmatch(path) for p in _FIELD_PATTERNS)


def _d(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _day_field(day: date) -> str:
    return f"schedule.{day.isoformat()}"


def _week_field(week: IsoWeek) -> str:
    return f"schedule.weeks.{week}"


def _week_label(week: IsoWeek) -> str:
    return f"la semaine du {_d(week.monday)}"


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on ``day`` (someone born on 29 February has their birthday on
    1 March in common years)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def is_minor(data: ConventionData, limits: Limits) -> bool:
    return age_on(data.beneficiary_birth_date, data.date_start) < limits.majority_age


def months_before(day: date, months: int) -> date:
    """The same day ``months`` months earlier, clamped to the month's end."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    if year < 1:
        return date.min
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window_ending(day: date, months: int = 12) -> tuple[date, date]:
    """The ``months`` consecutive months ending on ``day`` (12: 20/03/2026 →
    21/03/2025–20/03/2026)."""
    return months_before(day, months) + timedelta(days=1), day


def twelve_month_windows(
    data: ConventionData, others: Iterable[tuple[date, date]] = (), months: int = 12
) -> list[tuple[date, date]]:
    """Every period of 12 consecutive months that overlaps this convention and could hold a
    different set of conventions, earliest first.

    A period holds the conventions that touch it. The set held by the period ending on a
    day ``e`` only grows when ``e`` moves back to the latest start of that set (its first
    day moves back too), so the periods ending on the start of a convention (this one or
    ``others``) cover every possible set; those overlapping this convention are kept.
    """
    ends = {data.date_start, data.date_end} | {start for start, _ in others}
    windows = [window_ending(e, months) for e in sorted(ends)]
    return [
        (first, last)
        for first, last in windows
        if _overlaps(first, last, data.date_start, data.date_end)
    ]


@cache
def _french_holidays(year: int) -> dict[date, str]:
    return dict(holidays.France(years=year).items())


def public_holiday(day: date) -> str | None:
    """Name of the French (metropolitan) public holiday on ``day``, if any."""
    return _french_holidays(day.year).get(day)


def normalize_objective(text: str) -> str:
    """An objective as compared: without case, accents, surrounding punctuation or extra
    spaces (« Découvrir  le Métier. » and « decouvrir le metier » are the same)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.split()).strip(" .;,:!?-•*")


def objectives_set(objectives: Iterable[str]) -> frozenset[str]:
    """The objectives compared as a set: order, case, accents and repeats do not matter."""
    return frozenset(n for n in map(normalize_objective, objectives) if n)


def split_objectives(text: str) -> tuple[str, ...]:
    """One objective per non-blank line (a leading bullet « - », « • » or « * » dropped)."""
    items = (line.strip().lstrip("-•*").strip() for line in text.splitlines())
    return tuple(item for item in items if item)


def _normalize_email(email: str | None) -> str:
    return (email or "").strip().casefold()


def _overlaps(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    return a_start <= b_end and b_start <= a_end


# --- checks -----------------------------------------------------------------------------


def check_object(data: ConventionData, limits: Limits) -> Iterator[Violation]:
    """R01, R02: one object among three (Code du travail, art. L5135-1), precise objectives
    written with how they are assessed (art. D5135-2, 5°)."""
    if data.object not in OBJECT_LABELS:
        yield Violation(
            "object",
            "object_invalid",
            "Choisissez l'objet de l'immersion : "
            f"{', '.join(list(OBJECT_LABELS.values())[:-1])} ou "
            f"{list(OBJECT_LABELS.values())[-1]}.",
        )
    objectives = [o.strip() for o in data.objectives if o.strip()]
    if not objectives:
        yield Violation(
            "objectives",
            "objectives_required",
            "Décrivez le ou les objectifs précis de l'immersion et la façon dont leur atteinte "
            "sera évaluée.",
        )
    if len(objectives) > limits.max_objectives:
        yield Violation(
            "objectives",
            "too_many_objectives",
            f"Indiquez au plus {limits.max_objectives} objectifs, un par ligne ; il y en a "
            f"{len(objectives)}.",
        )
    longest = max(objectives, key=len, default="")
    if len(longest) > limits.max_objective_length:
        yield Violation(
            "objectives",
            "objective_too_long",
            f"Chaque objectif tient en une phrase courte ({limits.max_objective_length} "
            f"caractères au plus) ; l'un d'eux en compte {len(longest)}.",
        )


def check_dates(data: ConventionData, limits: Limits) -> Iterator[Violation]:
    """R06, R10, R28: dates in order, after submission, at most ``max_period_months``
    « de date à date » (Code du travail, art. D5135-3)."""
    if data.date_start < data.submitted_on:
        yield Violation(
            "date_start",
            "start_before_submission",
            f"La date de début ({_d(data.date_start)}) ne peut pas précéder la date de dépôt "
            f"de la demande ({_d(data.submitted_on)}) : la convention doit être signée avant "
            "le début de l'immersion.",
        )
    if data.date_end < data.date_start:
        yield Violation(
            "date_end",
            "end_before_start",
            f"La date de fin ({_d(data.date_end)}) doit être postérieure ou égale à la date "
            f"de début ({_d(data.date_start)}).",
        )
        return
    last = period_end(data.date_start, limits.max_period_months)
    if data.date_end > last:
        yield Violation(
            "date_end",
            "period_too_long",
            f"Une immersion dure au plus {in_months(limits.max_period_months)} de date à date : "
            f"pour un début le "
            f"{_d(data.date_start)}, la date de fin doit être le {_d(last)} au plus tard.",
        )


def check_schedule_shape(data: ConventionData, limits: Limits) -> Iterator[Violation]:
    """Time slots well formed, not overlapping, inside the period; at least one."""
    if not any(day.slots for day in data.schedule.days):
        yield Violation(
            "schedule",
            "schedule_empty",
            "Indiquez au moins une plage horaire de présence.",
        )
        return
    seen: set[date] = set()
    for entry in data.schedule.days:
        day, field_ = entry.day, _day_field(entry.day)
        if day in seen:
            yield Violation(
                field_,
                "day_repeated",
                f"Le {_d(day)} apparaît plusieurs fois dans le planning : regroupez ses "
                "plages horaires.",
            )
        seen.add(day)
        if entry.slots and not data.date_start <= day <= data.date_end:
            yield Violation(
                field_,
                "slot_outside_period",
                f"Le {_d(day)} est en dehors de la période de l'immersion "
                f"(du {_d(data.date_start)} au {_d(data.date_end)}).",
            )
        for start, end in entry.slots:
            if start.second or start.microsecond or end.second or end.microsecond:
                yield Violation(
                    field_,
                    "slot_not_minutes",
                    f"Le {_d(day)}, les horaires s'indiquent en heures et minutes (HH:MM).",
                )
            if to_minutes(end) <= to_minutes(start):
                yield Violation(
                    field_,
                    "slot_end_before_start",
                    f"Le {_d(day)}, la plage {start:%H:%M}–{end:%H:%M} doit finir après son "
                    "début, le même jour.",
                )
        ordered = sorted(
            (to_minutes(a), to_minutes(b)) for a, b in entry.slots if to_minutes(b) > to_minutes(a)
        )
        if any(nxt[0] < prev[1] for prev, nxt in itertools.pairwise(ordered)):
            yield Violation(
                field_,
                "slots_overlap",
                f"Le {_d(day)}, des plages horaires se chevauchent.",
            )


def check_presence_days(data: ConventionData, limits: Limits) -> Iterator[Violation]:
    """R06: at most ``max_presence_days`` presence days per convention (our reading of the
    month of art. D5135-3)."""
    count = presence_days(data.schedule)
    if count > limits.max_presence_days:
        yield Violation(
            "schedule",
            "too_many_presence_days",
            f"Une immersion compte au plus {limits.max_presence_days} jours de présence ; "
            f"ce planning en compte {count}.",
        )


def _rest_violations(data: ConventionData, minimum: int, who: str) -> Iterator[Violation]:
    by_day = data.schedule.slots_by_day()
    dates = presence_dates(data.schedule)
    for previous, current in itertools.pairwise(dates):
        if current - previous != timedelta(days=1):
            continue
        last_end = max((to_minutes(b) for a, b in by_day[previous]), default=0)
        first_start = min((to_minutes(a) for a, b in by_day[current]), default=0)
        rest = MINUTES_PER_DAY - last_end + first_start
        if rest < minimum:
            yield Violation(
                _day_field(current),
                "rest_too_short",
                f"{who} doit avoir au moins {format_minutes(minimum)} de repos entre deux "
                f"journées : entre le {_d(previous)} et le {_d(current)}, le repos n'est que "
                f"de {format_minutes(rest)}.",
            )


def _who(minor: bool) -> str:
    return "Un bénéficiaire mineur" if minor else "Le bénéficiaire"


def check_daily_presence(data: ConventionData, limits: Limits) -> Iterator[Violation]:
    """Maximum daily presence (R15, R20).

    Adults: the host's rules apply (Code du travail, art. L5135-6), within the legal
    maximum of 10 hours of work a day (art. L3121-18). Minors: 8 hours a day (art. L3162-1).
    """
    minor = is_minor(data, limits)
    max_day = limits.minor_max_day_minutes if minor else limits.adult_max_day_minutes
    for day, slots in data.schedule.slots_by_day().items():
        total = sum(slot_minutes(s) for s in slots)
        if total > max_day:
            yield Violation(
                _day_field(day),
                "day_too_long",
                f"{_who(minor)} peut être présent au plus {format_minutes(max_day)} par jour ; "
                f"le {_d(day)}, le planning prévoit {format_minutes(total)}.",
            )


def check_minor_night(data: ConventionData, limits: Limits) -> Iterator[Violation]:
    """No night presence for minors (R22): Code du travail, art. L3163-1 and L3163-2 (no
    work between 22 h and 6 h from 16 to 18 years old)."""
    if not is_minor(data, limits):
        return
    start, end = (format_minutes(limits.minor_night_start), format_minutes(limits.minor_night_end))
    night = f"entre {start} et {end}"
    for day, slots in data.schedule.slots_by_day().items():
        if any(
            start < limits.minor_night_end or end > limits.minor_night_start
            for start, end in merged_blocks(slots)
        ):
            yield Violation(
                _day_field(day),
                "minor_night",
                f"Un bénéficiaire mineur ne peut pas être présent {night} ; revoyez les horaires "
                f"du {_d(day)}.",
            )


def check_minor_break(data: ConventionData, limits: Limits) -> Iterator[Violation]:
    """A break for minors (R20): Code du travail, art. L3162-3 (at least 30 consecutive
    minutes once presence reaches 4 h 30). A gap shorter than the break does not
    interrupt presence."""
    if not is_minor(data, limits):
        return
    for day, slots in data.schedule.slots_by_day().items():
        for start, end in _blocks_between_breaks(slots, limits.minor_min_break_minutes):
            if end - start > limits.minor_max_continuous_minutes:
                yield Violation(
                    _day_field(day),
                    "minor_continuous_too_long",
                    f"Un bénéficiaire mineur doit avoir une pause d'au moins "
                    f"{limits.minor_min_break_minutes} minutes après "
                    f"{format_minutes(limits.minor_max_continuous_minutes)} de présence "
                    f"continue ; le {_d(day)}, une plage dure {format_minutes(end - start)}.",
                )
                break


def _blocks_between_breaks(slots, min_break: int) -> list[tuple[int, int]]:
    """Presence blocks of a day, the slots separated by less than ``min_break`` minutes
    joined (a 15-minute gap is no break when the law asks for 30 minutes)."""
    blocks: list[tuple[int, int]] = []
    for start, end in merged_blocks(slots):
        if blocks and start - blocks[-1][1] < min_break:
            blocks[-1] = (blocks[-1][0], end)
        else:
            blocks.append((start, end))
    return blocks


def check_weekly_presence(data: ConventionData, limits: Limits) -> Iterator[Violation]:
    """Maximum weekly presence (R16, R20), per calendar week.

    Adults: the host's rules apply (art. L5135-6), within the legal maximum of 48 hours of
    work in a week (art. L3121-20). Minors: 35 hours a week (art. L3162-1)."""
    minor = is_minor(data, limits)
    max_week = limits.minor_max_week_minutes if minor else limits.adult_max_week_minutes
    for week, total in weekly_totals(data.schedule).items():
        if total.minutes > max_week:
            yield Violation(
                _week_field(week),
                "week_too_long",
                f"{_who(minor)} peut être présent au plus {format_minutes(max_week)} par "
                f"semaine ; {_week_label(week)}, le planning prévoit "
                f"{format_minutes(total.minutes)}.",
            )


def check_days_per_week(data: ConventionData, limits: Limits) -> Iterator[Violation]:
    """A day of rest every week (R17): Code du travail, art. L3132-1 (no more than six
    days of work a week)."""
    minor = is_minor(data, limits)
    rest_days = DAYS_PER_WEEK - limits.max_days_per_week
    for week, total in weekly_totals(data.schedule).items():
        if total.days > limits.max_days_per_week:
            yield Violation(
                _week_field(week),
                "too_many_days_in_week",
                f"{_who(minor)} doit avoir au moins {_days_in_words(rest_days)} de repos par "
                f"semaine (au plus {limits.max_days_per_week} jours de présence) ; "
                f"{_week_label(week)}, le planning prévoit {total.days} jours.",
            )


def check_minor_weekly_rest(data: ConventionData, limits: Limits) -> Iterator[Violation]:
    """Two consecutive days of weekly rest for minors (R21): Code du travail,
    art. L3164-2."""
    if not is_minor(data, limits):
        return
    days = limits.minor_weekly_rest_days
    for week in _weeks_without_rest_days(data, days):
        yield Violation(
            _week_field(week),
            "minor_weekly_rest",
            f"Un bénéficiaire mineur doit avoir {_days_in_words(days, bare=True)} jours de "
            f"repos consécutifs chaque semaine (un dimanche et le lundi qui suit "
            f"conviennent) ; ce n'est pas le cas {_week_label(week)}.",
        )


def check_daily_rest(data: ConventionData, limits: Limits) -> Iterator[Violation]:
    """Daily rest between two consecutive days of presence (R17, R21): Code du travail,
    art. L3131-1 (11 consecutive hours) and, for minors, art. L3164-1 (12 hours)."""
    minor = is_minor(data, limits)
    minimum = limits.minor_min_rest_minutes if minor else limits.adult_min_rest_minutes
    yield from _rest_violations(data, minimum, _who(minor))


DAYS_PER_WEEK = 7
_NUMBER_WORDS = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept")


def _days_in_words(count: int, *, bare: bool = False) -> str:
    """« un jour », « deux jours » (``bare``: the number alone, « deux »)."""
    word = _NUMBER_WORDS[count] if 0 <= count < len(_NUMBER_WORDS) else str(count)
    if bare:
        return word
    return f"{word} jour" if count <= 1 else f"{word} jours"


def _weeks_without_rest_days(data: ConventionData, days: int) -> list[IsoWeek]:
    """Calendar weeks with presence that get no ``days`` consecutive days of rest.

    The days may straddle two weeks (Sunday and the next Monday), but a day of rest
    serves one week only: weeks are served in order, each with the free run that ends
    first among those touching it and not used yet. Days outside the period are rest.
    """
    present = {d.toordinal() for d in presence_dates(data.schedule)}
    weeks = sorted({IsoWeek.of(date.fromordinal(d)) for d in present})
    used: set[int] = set()
    lacking = []
    for week in weeks:
        monday = week.monday.toordinal()
        for first in range(monday - days + 1, monday + DAYS_PER_WEEK):
            run = range(first, first + days)
            if not any(d in present or d in used for d in run):
                used.update(run)
                break
        else:
            lacking.append(week)
    return lacking


def check_public_holidays(data: ConventionData, limits: Limits) -> Iterator[Violation]:
    """R18, R22: public holidays — a warning for adults (the host's rules apply, Code du
    travail art. L5135-6), forbidden for minors (art. L3164-6)."""
    minor = is_minor(data, limits)
    for day in presence_dates(data.schedule):
        name = public_holiday(day)
        if name is None:
            continue
        if minor:
            yield Violation(
                _day_field(day),
                "minor_public_holiday",
                f"Le {_d(day)} est un jour férié ({name}) : un bénéficiaire mineur ne peut pas "
                "être présent ce jour-là.",
            )
        else:
            yield Violation(
                _day_field(day),
                "public_holiday",
                f"Le {_d(day)} est un jour férié ({name}) : vérifiez que les salariés de la "
                "structure d'accueil travaillent ce jour-là.",
                WARNING,
            )


def check_age(data: ConventionData, limits: Limits) -> Iterator[Violation]:
    """R19, R23: at least 16 on the start date; legal representative for a minor."""
    birth = data.beneficiary_birth_date
    if birth > data.submitted_on:
        yield Violation(
            "beneficiary.birth_date",
            "birth_date_in_future",
            "La date de naissance du bénéficiaire ne peut pas être dans le futur.",
        )
        return
    age = age_on(birth, data.date_start)
    if age < limits.minor_min_age:
        yield Violation(
            "beneficiary.birth_date",
            "beneficiary_too_young",
            f"Le bénéficiaire doit avoir au moins {limits.minor_min_age} ans le premier jour "
            f"de l'immersion ({_d(data.date_start)}).",
        )
    elif age > limits.max_age:
        yield Violation(
            "beneficiary.birth_date",
            "birth_date_implausible",
            "Vérifiez la date de naissance du bénéficiaire.",
        )
    if age < limits.majority_age and not data.has_legal_representative:
        yield Violation(
            "legal_representative",
            "legal_representative_required",
            "Le bénéficiaire sera mineur au début de l'immersion : son représentant légal doit "
            "être indiqué et signer la convention.",
        )


_SIGNATORY_LABELS = {
    "beneficiary": "du bénéficiaire",
    "legal_representative": "du représentant légal",
    "current_employer": "de l'employeur actuel du bénéficiaire",
    "host_representative": "du représentant de la structure d'accueil",
}


def check_signatories(data: ConventionData, limits: Limits) -> Iterator[Violation]:
    """R24, R27 and platform consistency: distinct signatories' e-mails, tutor ≠ beneficiary."""
    s = data.signatories
    present: list[tuple[str, str | None]] = [
        ("beneficiary", s.beneficiary),
        ("host_representative", s.host_representative),
    ]
    if data.has_legal_representative or s.legal_representative:
        present.append(("legal_representative", s.legal_representative))
    if data.is_employee or data.insertion_contract is not None or s.current_employer:
        present.append(("current_employer", s.current_employer))
    seen: dict[str, str] = {}
    for role, email in present:
        field_ = f"signatories.{role}.email"
        normalized = _normalize_email(email)
        if not normalized and role in s.by_sms:
            continue  # signs with a code sent by SMS to their own mobile phone
        if not normalized:
            yield Violation(
                field_,
                "email_required",
                f"Indiquez l'adresse e-mail {_SIGNATORY_LABELS[role]} (ou, à défaut, son "
                "téléphone mobile) : chaque signataire signe avec ses propres coordonnées.",
            )
            continue
        if normalized in seen:
            yield Violation(
                field_,
                "email_not_distinct",
                f"L'adresse e-mail {_SIGNATORY_LABELS[role]} est déjà celle "
                f"{_SIGNATORY_LABELS[seen[normalized]]} : chaque signataire doit avoir sa "
                "propre adresse.",
            )
        else:
            seen[normalized] = role
    tutor = _normalize_email(data.tutor_email)
    if not tutor:
        yield Violation(
            "tutor.email",
            "email_required",
            "Indiquez l'adresse e-mail du tuteur ou de la tutrice.",
        )
    elif tutor == _normalize_email(s.beneficiary):
        yield Violation(
            "tutor.email",
            "tutor_is_beneficiary",
            "Le tuteur ne peut pas être le bénéficiaire : indiquez l'adresse e-mail d'une "
            "personne de la structure d'accueil.",
        )


def check_renewal(data: ConventionData, limits: Limits) -> Iterator[Violation]:
    """R08–R10: one renewal only, objectives not met, same object and objectives (Code du
    travail, art. D5135-3)."""
    renewal = data.renewal
    if renewal is None:
        return
    if renewal.parent_is_renewal:
        yield Violation(
            "renewal",
            "renewal_of_renewal",
            "Une immersion ne peut être renouvelée qu'une fois : la convention d'origine est "
            "déjà un renouvellement.",
        )
    elif renewal.parent_already_renewed:
        yield Violation(
            "renewal",
            "already_renewed",
            "Une immersion ne peut être renouvelée qu'une fois : la convention d'origine a "
            "déjà été renouvelée.",
        )
    if renewal.parent_objectives_not_met is False:
        yield Violation(
            "renewal",
            "renewal_objectives_met",
            "Le bilan de la convention d'origine n'indique aucun objectif non atteint : un "
            "renouvellement n'est possible que si au moins un objectif n'a pas été atteint.",
        )
    elif renewal.parent_objectives_not_met is None:
        yield Violation(
            "renewal",
            "renewal_assessment_missing",
            "Le bilan de la convention d'origine n'est pas encore rempli : un renouvellement "
            "n'est possible que si ce bilan indique qu'au moins un objectif n'a pas été atteint.",
        )
    if data.object != renewal.parent_object:
        yield Violation(
            "object",
            "renewal_object_changed",
            "Un renouvellement garde l'objet de la convention d'origine ("
            f"{OBJECT_LABELS.get(renewal.parent_object, renewal.parent_object)}).",
        )
    if objectives_set(data.objectives) != objectives_set(renewal.parent_objectives):
        yield Violation(
            "objectives",
            "renewal_objectives_changed",
            "Un renouvellement garde les objectifs de la convention d'origine : reprenez-les à "
            "l'identique.",
        )


def check_same_host_history(data: ConventionData, limits: Limits) -> Iterator[Violation]:
    """R11, R12: same beneficiary and host over every ``history_window_months`` consecutive
    months overlapping this convention (Code du travail, art. D5135-3)."""
    past = [c for c in data.previous_conventions if c.date_start <= c.date_end]
    if len(past) < len(data.previous_conventions):
        yield Violation(
            "previous_conventions",
            "past_convention_dates_invalid",
            "Une convention passée finit avant de commencer : vérifiez ses dates.",
        )
    months = limits.history_window_months
    windows = twelve_month_windows(data, ((c.date_start, c.date_end) for c in past), months)
    this_days = presence_days(data.schedule)
    worst_count: tuple[int, tuple[date, date]] | None = None
    worst_days: tuple[int, tuple[date, date]] | None = None
    sharing: list[PastConvention] = []  # originals sharing a period with this one
    for window in windows:
        held = [c for c in past if _overlaps(c.date_start, c.date_end, *window)]
        originals = [c for c in held if not c.is_renewal]
        sharing.extend(c for c in originals if c not in sharing)
        count = len(originals) + (0 if data.is_renewal else 1)
        if worst_count is None or count > worst_count[0]:
            worst_count = (count, window)
        total = sum(c.presence_days for c in held) + this_days
        if worst_days is None or total > worst_days[0]:
            worst_days = (total, window)
    if worst_count is not None and worst_count[0] > limits.max_conventions_12_months:
        count, (window_start, window_end) = worst_count
        yield Violation(
            "date_start",
            "too_many_conventions_12_months",
            f"Un même bénéficiaire peut faire au plus {limits.max_conventions_12_months} "
            "immersions (hors renouvellement) dans la même structure sur "
            f"{months} mois consécutifs ; entre le {_d(window_start)} et le "
            f"{_d(window_end)}, ce serait la {count}ᵉ.",
        )
    if not data.is_renewal:
        this = (data.object, objectives_set(data.objectives))
        if any((c.object, objectives_set(c.objectives)) == this for c in sharing):
            yield Violation(
                "objectives",
                "same_object_and_objectives",
                f"Une autre immersion dans cette structure sur {months} mois consécutifs avait "
                "déjà le même objet et les mêmes objectifs : changez l'objet ou les objectifs, ou "
                "demandez un renouvellement.",
            )
    if worst_days is not None and worst_days[0] > limits.max_presence_days_12_months:
        total, (window_start, window_end) = worst_days
        yield Violation(
            "schedule",
            "too_many_days_12_months",
            f"Un même bénéficiaire peut passer au plus {limits.max_presence_days_12_months} "
            f"jours de présence dans la même structure sur {months} mois consécutifs, "
            f"renouvellements compris ; entre le {_d(window_start)} et le {_d(window_end)}, "
            f"ce serait {total} jours.",
        )


def _calendar_days(start: date, end: date) -> int:
    return max(0, (end - start).days + 1)


def check_insertion_contract(data: ConventionData, limits: Limits) -> Iterator[Violation]:
    """R14: all PMSMP of a CUI or SIAE employee within a share of the contract's duration
    (``insertion_contract_max_share``, 25 %; docs/rules.md gives the texts)."""
    contract = data.insertion_contract
    if contract is None:
        return
    if contract.end < contract.start:
        yield Violation(
            "insertion_contract",
            "contract_dates_invalid",
            "La date de fin du contrat doit être postérieure ou égale à sa date de début.",
        )
        return
    if any(p.date_end < p.date_start for p in data.other_immersions):
        yield Violation(
            "other_immersions",
            "other_immersion_dates_invalid",
            "Une autre immersion pendant le contrat finit avant de commencer : vérifiez ses dates.",
        )
        return
    contract_days = _calendar_days(contract.start, contract.end)
    periods = [*data.other_immersions, Period(data.date_start, data.date_end)]
    used = sum(_calendar_days(p.date_start, p.date_end) for p in periods)
    numerator, denominator = limits.insertion_contract_max_share
    if used * denominator > contract_days * numerator:
        label = "contrat unique d'insertion" if contract.kind == ContractKind.CUI else "SIAE"
        allowed = contract_days * numerator // denominator
        yield Violation(
            "insertion_contract",
            "insertion_contract_share_exceeded",
            f"Pour un salarié en {label}, l'ensemble des immersions ne peut dépasser "
            f"{_percent(numerator, denominator)} de la durée du contrat, soit {allowed} jours "
            f"sur {contract_days} ; avec celle-ci, elles en totalisent {used}.",
        )


def _percent(numerator: int, denominator: int) -> str:
    """1/4 → « 25 % », 1/3 → « 33,3 % »."""
    value = f"{100 * numerator / denominator:.1f}".removesuffix(".0").replace(".", ",")
    return f"{value} %"


def check_duplicates(data: ConventionData, limits: Limits) -> Iterator[Violation]:
    """Possible duplicate (same SIRET, appellation, beneficiary, overlapping dates)."""
    for other in data.potential_duplicates:
        if _overlaps(other.date_start, other.date_end, data.date_start, data.date_end):
            yield Violation(
                "date_start",
                "possible_duplicate",
                f"Une convention proche existe déjà ({other.reference}, du "
                f"{_d(other.date_start)} au {_d(other.date_end)}) pour le même bénéficiaire, "
                "la même structure et le même métier : vérifiez qu'il ne s'agit pas d'un "
                "doublon.",
                WARNING,
            )


ALL_CHECKS: tuple[Check, ...] = (
    check_object,
    check_dates,
    check_age,
    check_signatories,
    check_schedule_shape,
    check_presence_days,
    check_daily_presence,
    check_minor_night,
    check_minor_break,
    check_weekly_presence,
    check_days_per_week,
    check_minor_weekly_rest,
    check_daily_rest,
    check_public_holidays,
    check_renewal,
    check_same_host_history,
    check_insertion_contract,
    check_duplicates,
)

# Newest last. A convention is checked with the last set whose ``valid_from`` is on or
# before its submission date (the first set for older submissions): to change a rule,
# add a set, never edit one in force. A correction of our reading of unchanged texts (issue
# 8: 12-month periods, minors' rest across weeks, renewal once, objectives as a set) changes
# the checks of every set instead; docs/rules.md lists them.
RULE_SETS: tuple[RuleSet, ...] = tuple(
    RuleSet(version=version, valid_from=valid_from, limits=limits, checks=ALL_CHECKS)
    for version, valid_from, limits in law.LIMITS_IN_FORCE
)


def rule_set_for(submitted_on: date) -> RuleSet:
    chosen = RULE_SETS[0]
    for rule_set in RULE_SETS:
        if rule_set.valid_from <= submitted_on:
            chosen = rule_set
    return chosen


def check(data: ConventionData) -> list[Violation]:
    """Every violation of the rules in force on ``data.submitted_on``."""
    rule_set = rule_set_for(data.submitted_on)
    return [v for check_ in rule_set.checks for v in check_(data, rule_set.limits)]


def errors(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.severity == ERROR]


def is_valid(violations: list[Violation]) -> bool:
    return not errors(violations)
