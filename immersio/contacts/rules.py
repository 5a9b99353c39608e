"""Pure rules about immersion requests (plain data in, French messages out)."""

import re
from datetime import date, datetime, timedelta

from django.utils import timezone

from immersio.core.dates import format_day, in_months, period_end
from immersio.core.law import limits_for
from immersio.core.violations import Violation
from immersio.structures.models import HostStructure

SIMILAR_REQUEST_DAYS = 7
REMINDER_DAYS = (3, 7)
# An automatic reminder « acted upon »: its recipient acted within this many hours (the
# staff's page of reminders' effect, for requests and conventions alike).
REMINDER_ACTED_HOURS = 48
EXPIRY_DAYS = 30
ANSWER_RATE_DAYS = 365
ANSWER_RATE_MONTHS = 12  # the same window, as people say it (« sur 12 mois »)
VERIFY_HOURS = 48  # the e-mail verification link of a request
AUTO_HIDE_DAYS = 150  # 5 months of 30 days
AUTO_HIDE_UNANSWERED = 20
PROPOSED_START_MAX_DAYS = 365


def _day(moment: datetime) -> str:
    return format_day(timezone.localtime(moment), "j F Y")


def similar_request(*, last_sent_at: datetime | None, now: datetime) -> list[Violation]:
    """The same person cannot write twice to a structure for a métier within 7 days."""
    if last_sent_at is None or now - last_sent_at >= timedelta(days=SIMILAR_REQUEST_DAYS):
        return []
    again = last_sent_at + timedelta(days=SIMILAR_REQUEST_DAYS)
    return [
        Violation(
            "appellation",
            "similar_request",
            "Vous avez déjà écrit à cette structure pour ce métier le "
            f"{_day(last_sent_at)}. Laissez-lui le temps de répondre : vous pourrez lui "
            f"écrire de nouveau à partir du {_day(again)}.",
        )
    ]


def unavailable_reason(
    *,
    status: str,
    paused_until: date | None,
    blocked_until: datetime | None,
    today: date,
) -> str:
    """Why a structure cannot be contacted now ('' when it can)."""
    Status = HostStructure.Status
    if status == Status.SUSPENDED:
        return (
            "Cette structure n'apparaît plus sur Immersio pour le moment : elle ne reçoit "
            "pas de demande."
        )
    if status == Status.CLOSED:
        return "Cette structure a fermé son espace sur Immersio : elle ne reçoit plus de demande."
    if status != Status.PUBLISHED:
        return "Cette structure n'est pas encore publiée : elle ne reçoit pas encore de demande."
    if paused_until is not None and paused_until >= today:
        return (
            "Cette structure fait une pause : elle ne reçoit pas de nouvelle demande jusqu'au "
            f"{format_day(paused_until, 'j F Y')} inclus."
        )
    if blocked_until is not None:
        return (
            "Cette structure a reçu toutes les demandes qu'elle peut traiter pour le moment. "
            "Elle en recevra de nouveau à partir du "
            f"{format_day(timezone.localtime(blocked_until), 'j F Y à H\\hi')}."
        )
    return ""


def _date(day: date) -> str:
    return format_day(day, "j F Y")


def _within_days(days: int) -> str:
    """« dans l'année qui vient » (365 days), else « dans les 90 jours qui viennent »."""
    return "dans l'année qui vient" if days == 365 else f"dans les {days} jours qui viennent"


def describe_period(start: date | None, end: date | None) -> str:
    if start is None or end is None:
        return ""
    if start == end:
        return f"le {_date(start)}"
    return f"du {_date(start)} au {_date(end)}"


def proposed_period(*, start: date | None, end: date | None, today: date) -> list[Violation]:
    """The dates a structure proposes when it accepts: both given, the end on or after
    the start, the start not in the past, within the longest period of the convention rules
    in force (one month « de date à date », Code du travail art. D5135-3), each message next
    to its field."""
    months = limits_for(today).max_period_months

    found = []
    if start is None:
        found.append(Violation("proposed_start", "required", "Indiquez la date de début."))
    if end is None:
        found.append(Violation("proposed_end", "required", "Indiquez la date de fin."))
    if found:
        return found
    if start < today:
        found.append(
            Violation(
                "proposed_start",
                "start_in_past",
                f"La date de début ({_date(start)}) est passée : proposez le {_date(today)} "
                "ou plus tard.",
            )
        )
    elif start > today + timedelta(days=PROPOSED_START_MAX_DAYS):
        found.append(
            Violation(
                "proposed_start",
                "start_too_far",
                f"Proposez une date de début {_within_days(PROPOSED_START_MAX_DAYS)}, au plus "
                f"tard le {_date(today + timedelta(days=PROPOSED_START_MAX_DAYS))}.",
            )
        )
        return found
    if end < start:
        found.append(
            Violation(
                "proposed_end",
                "end_before_start",
                f"La date de fin ({_date(end)}) doit être le même jour que la date de début "
                f"({_date(start)}) ou après.",
            )
        )
    elif end > (last := period_end(start, months)):
        found.append(
            Violation(
                "proposed_end",
                "period_too_long",
                f"Une immersion dure au plus {in_months(months)} de date à date : pour un "
                f"début le {_date(start)}, la fin doit être le {_date(last)} au plus tard.",
            )
        )
    return found


def reminders_due(
    *, sent_at: datetime, reminded: dict[int, datetime | None], now: datetime
) -> list[int]:
    """Which reminders (days after sending) are due and not sent yet."""
    return [
        days
        for days in REMINDER_DAYS
        if reminded.get(days) is None and now - sent_at >= timedelta(days=days)
    ]


def is_expired(*, sent_at: datetime, now: datetime) -> bool:
    return now - sent_at >= timedelta(days=EXPIRY_DAYS)


def median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def should_auto_hide(*, unanswered: int, answered: int) -> bool:
    return answered == 0 and unanswered >= AUTO_HIDE_UNANSWERED


# Contact details in public texts -------------------------------------------------------

MASKED = "[coordonnées masquées]"
_SEP = r"[\s.\-/]*"
_AT = r"\s*(?:@|[\[(<{]\s*(?:at|arobase|arobas|@)\s*[\])>}]|\b(?:at|arobase|arobas)\b)\s*"
_DOT = r"\s*(?:\.|[\[(<{]\s*(?:point|dot|\.)\s*[\])>}]|\b(?:point|dot)\b)\s*"
_EMAIL = re.compile(
    rf"[\w.+\-]+{_AT}[\w\-]+(?:{_DOT}[\w\-]+)*{_DOT}[a-z]{{2,6}}\b",
    re.IGNORECASE,
)
# A French number (0X XX XX XX XX, +33 X…, 0033 X…) with any separators, or any other
# run of at least nine digits (a foreign number).
_PHONE = re.compile(
    rf"(?:(?:\+|00){_SEP}33{_SEP}(?:\(0\){_SEP})?|\b0){_SEP}[1-9](?:{_SEP}\d){{8}}\b"
    rf"|\+?\d(?:[\s.\-]*\d){{8,}}"
)


def mask_contact_details(text: str) -> str:
    """``text`` with its phone numbers and e-mail addresses (also written « prenom at
    exemple point fr ») replaced: on the public board, contact goes through Immersio."""
    return _PHONE.sub(MASKED, _EMAIL.sub(MASKED, text or ""))


def has_contact_details(text: str) -> bool:
    return mask_contact_details(text) != (text or "")
