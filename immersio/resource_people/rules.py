"""Pure rules about resource people and their conversations (plain data in, French
messages out). The rules shared with requests to structures (7 days between two similar
requests, contact details in a text) are those of ``contacts.rules``, not copies."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from immersio.contacts.rules import SIMILAR_REQUEST_DAYS, has_contact_details, similar_request
from immersio.core.dates import format_day
from immersio.core.names import public_name
from immersio.core.violations import Violation

#: How many conversations a person may accept in a month, at most (the form's bound).
MONTHLY_QUOTA_MAX = 8
MONTHLY_QUOTA_DEFAULT = 2
#: How many slots a person proposes when accepting.
SLOTS_MIN = 1
SLOTS_MAX = 3
#: A slot is proposed this many days ahead at most, and at least this many hours ahead.
SLOT_MAX_DAYS = 60
SLOT_MIN_HOURS = 2
#: Reminders to the resource person who did not answer, then expiry (days after asking).
REMINDER_DAYS = (3, 7)
EXPIRY_DAYS = 14

PROFILE_TEXT_MAX = 2000
SHORT_TEXT_MAX = 500
TITLE_MAX = 150
MESSAGE_MAX = 1000
DETAIL_MAX = 300


def _moment(value: datetime) -> str:
    return format_day(timezone.localtime(value), "l j F Y à H\\hi")


def month_start(day: date) -> date:
    return day.replace(day=1)


def quota_reached(*, asked_this_month: int, quota: int) -> bool:
    """A profile whose month is full shows « complet ce mois-ci » and takes no request."""
    return asked_this_month >= quota


def quota_violations(quota: int | None) -> list[Violation]:
    if quota is None or not 1 <= quota <= MONTHLY_QUOTA_MAX:
        return [
            Violation(
                "monthly_quota",
                "quota_out_of_bounds",
                f"Indiquez un nombre d'entretiens par mois entre 1 et {MONTHLY_QUOTA_MAX}.",
            )
        ]
    return []


def modes_violations(modes: list[str]) -> list[Violation]:
    if not modes:
        return [
            Violation(
                "modes",
                "no_mode",
                "Choisissez au moins une façon d'échanger : visio, téléphone ou en personne.",
            )
        ]
    return []


def similar_conversation(*, last_asked_at: datetime | None, now: datetime) -> list[Violation]:
    """The 7-day rule of requests to structures (``contacts.rules.similar_request``),
    said of a person."""
    found = similar_request(last_sent_at=last_asked_at, now=now)
    if not found or last_asked_at is None:
        return []
    again = last_asked_at + timedelta(days=SIMILAR_REQUEST_DAYS)
    return [
        Violation(
            "why_me",
            found[0].code,
            "Vous avez déjà écrit à cette personne le "
            f"{format_day(timezone.localtime(last_asked_at), 'j F Y')}. Laissez-lui le temps "
            "de répondre : vous pourrez lui écrire de nouveau à partir du "
            f"{format_day(timezone.localtime(again), 'j F Y')}.",
        )
    ]


def message_violations(texts: dict[str, str]) -> list[Violation]:
    """No phone number or e-mail address in a request: contact details are exchanged in
    Immersio once the conversation is confirmed."""
    return [
        Violation(
            field,
            "contact_details",
            "N'écrivez ni téléphone ni adresse e-mail ici : vos coordonnées sont échangées "
            "sur Immersio une fois l'entretien confirmé.",
        )
        for field, text in texts.items()
        if has_contact_details(text)
    ]


def slot_violations(slots: list[datetime | None], *, now: datetime) -> list[Violation]:
    """1 to 3 distinct slots, at least ``SLOT_MIN_HOURS`` hours ahead and within
    ``SLOT_MAX_DAYS`` days; each message next to its slot (``slot_1``…)."""
    found = []
    given = [slot for slot in slots if slot is not None]
    if len(given) < SLOTS_MIN:
        return [
            Violation("slot_1", "no_slot", "Proposez au moins un créneau : un jour et une heure.")
        ]
    seen: set[datetime] = set()
    for index, slot in enumerate(slots, start=1):
        if slot is None:
            continue
        field = f"slot_{index}"
        if slot < now + timedelta(hours=SLOT_MIN_HOURS):
            found.append(
                Violation(
                    field,
                    "slot_too_soon",
                    f"Ce créneau ({_moment(slot)}) est passé ou trop proche : proposez-le au "
                    f"moins {SLOT_MIN_HOURS} heures à l'avance.",
                )
            )
        elif slot > now + timedelta(days=SLOT_MAX_DAYS):
            found.append(
                Violation(
                    field,
                    "slot_too_far",
                    f"Proposez un créneau dans les {SLOT_MAX_DAYS} jours qui viennent.",
                )
            )
        elif slot in seen:
            found.append(
                Violation(field, "slot_twice", "Vous avez proposé deux fois ce même créneau.")
            )
        seen.add(slot)
    return found


def display_name(first_name: str, last_name: str) -> str:
    """« Prénom N. »: the only name the public pages show."""
    return public_name(first_name, last_name, fallback="Une personne")
