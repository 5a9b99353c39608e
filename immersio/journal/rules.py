"""The journal's rules, pure functions: each returns violations (field, code, French
message). The limits are constants, stated by the texts from here."""

from datetime import date

from dateutil.relativedelta import relativedelta

from immersio.core.violations import Violation

#: The journal and the bilan open once the convention is validated and stay open this
#: many months after the immersion's end (then they are read-only; the retention table
#: deletes them later).
OPEN_MONTHS_AFTER_END = 12
#: Lengths (characters).
PROMPT_MAX = 1000
NOTE_MAX = 2000
NAME_MAX = 120
ROLE_MAX = 120
CONTACT_MAX = 200
REFLECTION_TEXT_MAX = 2000
STEP_TEXT_MAX = 300
#: At most this many people met per entry, and steps in an action plan.
PEOPLE_PER_ENTRY_MAX = 10
STEPS_MAX = 12
#: Reminders about an empty bilan, in days after the immersion's end (once each).
REMINDER_DAYS = (2, 7)


def open_until(date_end: date) -> date:
    """The last day the journal of an immersion ending on ``date_end`` can be written."""
    return date_end + relativedelta(months=OPEN_MONTHS_AFTER_END)


def earliest_open_end(today: date) -> date:
    """The earliest end of an immersion whose carnet is still open on ``today``."""
    return today - relativedelta(months=OPEN_MONTHS_AFTER_END)


def entry_day_violations(
    *, day: date | None, date_start: date, date_end: date, today: date
) -> list[Violation]:
    """An entry's day is a day of the immersion, and not a day still to come."""
    if day is None:
        return []
    if day < date_start or day > date_end:
        return [
            Violation(
                "day",
                "day_outside_convention",
                f"Choisissez un jour de l'immersion, entre le {date_start:%d/%m/%Y} et le "
                f"{date_end:%d/%m/%Y}.",
            )
        ]
    if day > today:
        return [
            Violation(
                "day",
                "day_in_future",
                "Ce jour n'est pas encore arrivé : vous pourrez l'écrire le jour même.",
            )
        ]
    return []


def target_date_violations(*, target: date | None, today: date) -> list[Violation]:
    """A step's target date is today or later."""
    if target is None:
        return []
    if target < today:
        return [
            Violation(
                "target_date",
                "target_in_past",
                "Cette date est passée : choisissez aujourd'hui ou une date à venir.",
            )
        ]
    return []


def person_violations(*, name: str, contact: str, contact_agreed: bool) -> list[Violation]:
    """A person met has a name; their contact is kept only if they agreed."""
    found = []
    if not name.strip():
        found.append(Violation("name", "name_missing", "Indiquez au moins un prénom."))
    if contact.strip() and not contact_agreed:
        found.append(
            Violation(
                "contact_agreed",
                "contact_without_consent",
                "Notez ses coordonnées seulement si cette personne est d'accord : cochez la "
                "case, ou effacez ses coordonnées.",
            )
        )
    return found


def length_violations(field: str, value: str, limit: int) -> list[Violation]:
    if len(value) > limit:
        return [
            Violation(
                field,
                "too_long",
                f"{len(value)} caractères : {limit} au plus.",
            )
        ]
    return []
