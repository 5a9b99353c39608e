"""Database conventions for the service and view tests."""

from datetime import date, timedelta

from django.utils import timezone

from immersio.conventions import rules
from immersio.conventions.models import Convention
from tests.agencies.factories import AgencyFactory
from tests.structures.factories import HostStructureFactory, lyon, maraicher

PATTERN = {str(d): [["08:00", "12:00"], ["13:00", "16:00"]] for d in range(5)}


def next_free_week(after_days: int = 7) -> date:
    """A Monday at least ``after_days`` from today, in a week without public holiday."""
    day = timezone.localdate() + timedelta(days=after_days)
    day += timedelta(days=(7 - day.weekday()) % 7)
    while any(rules.public_holiday(day + timedelta(days=n)) for n in range(7)):
        day += timedelta(days=7)
    return day


def valid_convention(**changes) -> Convention:
    """A complete draft for an adult job seeker: submittable as is."""
    start = next_free_week()
    structure = changes.pop("structure", None) or HostStructureFactory(with_site=True)
    fields = {
        "beneficiary_first_name": "Camille",
        "beneficiary_last_name": "Durand",
        "beneficiary_birth_date": date(1995, 6, 14),
        "beneficiary_email": "camille@exemple.fr",
        "beneficiary_phone": "0600000000",
        "beneficiary_situation": "demandeur",
        "emergency_contact_name": "Dominique Durand",
        "emergency_contact_phone": "0611111111",
        "structure": structure,
        "host_siret": structure.siret,
        "host_name": structure.name,
        "host_rep_name": "Alex Martin",
        "host_rep_function": "Gérant",
        "host_rep_email": "direction@exemple.com",
        "tutor_name": "Sam Petit",
        "tutor_function": "Chef de culture",
        "tutor_email": "tuteur@exemple.com",
        "replaces_no_job": True,
        "object": "discover",
        "objectives": "Découvrir les gestes du métier ; évaluation par le tuteur.",
        "appellation": maraicher(),
        "tasks": "Semis, récoltes.",
        "place_address": "1 rue des Jardins",
        "place_commune": lyon(),
        "date_start": start,
        "date_end": start + timedelta(days=4),
        "weekly_pattern": PATTERN,
        "agency": changes.pop("agency", None) or AgencyFactory(),
        "counsellor_name": "Claude Bernard",
        "counsellor_email": "claude@agence.fr",
    }
    fields.update(changes)
    convention = Convention(**fields)
    convention.presence_days = 5
    convention.total_minutes = 5 * 7 * 60
    convention.save()
    return convention


def another_draft(parent: Convention) -> Convention:
    """A second draft renewing ``parent`` next to an open one, as if two people had each
    started one (``services.start_renewal`` returns the open draft instead)."""
    from immersio.conventions.services import RENEWAL_COPIED

    return Convention.objects.create(
        renews=parent, **{name: getattr(parent, name) for name in RENEWAL_COPIED}
    )
