"""The rules of an event, pure: its dates (not past, end after start, not longer than
:data:`MAX_DAYS`, not more than :data:`MAX_YEARS_AHEAD` years ahead) and where it happens
(a place, an address online, or both). Each rule returns ``Violation`` (field, code, French
message); the form ties them to its fields."""

from __future__ import annotations

from datetime import datetime, timedelta

from immersio.core.violations import Violation

#: The longest event (a festival, the Mois de l'ESS's programme of one organiser), in days.
MAX_DAYS = 31
#: How far ahead an event may be announced, in years.
MAX_YEARS_AHEAD = 2
#: The longest description, and the longest accessibility note.
MAX_DESCRIPTION = 3000
MAX_ACCESSIBILITY = 1000
#: How many participating structures an event may list.
MAX_PARTICIPANTS = 30
#: How many upcoming events a structure's page shows.
STRUCTURE_PAGE_EVENTS = 5


def latest_start(now: datetime) -> datetime:
    try:
        return now.replace(year=now.year + MAX_YEARS_AHEAD)
    except ValueError:  # 29 February
        return now.replace(year=now.year + MAX_YEARS_AHEAD, day=28)


def check_dates(starts_at: datetime, ends_at: datetime, *, now: datetime) -> list[Violation]:
    """The dates of an event submitted or edited at ``now``."""
    found = []
    if starts_at < now:
        found.append(
            Violation(
                "starts_at",
                "start_in_past",
                "Cette date est passée : un événement s'annonce avant d'avoir lieu.",
            )
        )
    elif starts_at > latest_start(now):
        found.append(
            Violation(
                "starts_at",
                "start_too_far",
                f"Annoncez un événement au plus {MAX_YEARS_AHEAD} ans à l'avance.",
            )
        )
    if ends_at <= starts_at:
        found.append(
            Violation(
                "ends_at",
                "end_before_start",
                "La fin doit venir après le début : vérifiez la date et l'heure de fin.",
            )
        )
    elif ends_at - starts_at > timedelta(days=MAX_DAYS):
        found.append(
            Violation(
                "ends_at",
                "too_long",
                f"Un événement dure {MAX_DAYS} jours au plus : pour un programme plus long, "
                "annoncez chaque rendez-vous séparément.",
            )
        )
    return found


def check_place(*, has_place: bool, has_address: bool, online_url: str) -> list[Violation]:
    """An event happens somewhere: an address in a commune, online, or both."""
    if has_address and not has_place:
        return [
            Violation(
                "commune",
                "commune_missing",
                "Indiquez la commune de l'adresse, en la choisissant dans les suggestions.",
            )
        ]
    if not has_place and not online_url:
        return [
            Violation(
                "address",
                "nowhere",
                "Indiquez où a lieu l'événement : une adresse et sa commune, ou le lien pour "
                "y participer en ligne (ou les deux).",
            )
        ]
    return []
