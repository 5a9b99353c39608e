"""Demonstration agencies around the demo cities, each with a conseiller and a valideur
(``@immersio.example``). Idempotent: created or updated by SIRET."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from immersio.agencies.models import Agency, AgencyMembership
from immersio.demo.structures import demo_siret
from immersio.referentials.models import Commune
from immersio.teams.people import get_or_create_user

ORDER = 15
FIRST_NUMBER = 900_000  # demo SIRETs 99900xxx…, apart from the host structures' ones

K = Agency.Kind
CITIES = {
    "lyon": ("69123", "Lyon"),
    "paris": ("75056", "Paris"),
    "nantes": ("44109", "Nantes"),
    "lille": ("59350", "Lille"),
    "marseille": ("13055", "Marseille"),
    "toulouse": ("31555", "Toulouse"),
    "bordeaux": ("33063", "Bordeaux"),
    "grenoble": ("38185", "Grenoble"),
}
# Towns around Lyon with a mission locale and a France Travail agency of their own, so
# that « Est-ce pour moi ? » (issue 13) lists several of each kind, nearest first.
TOWNS = {
    **CITIES,
    "villeurbanne": ("69266", "Villeurbanne"),
    "venissieux": ("69259", "Vénissieux"),
}
STREETS = {
    "lyon": "12 rue de la République",
    "paris": "45 boulevard de Magenta",
    "nantes": "8 quai de la Fosse",
    "lille": "21 rue Nationale",
    "marseille": "30 la Canebière",
    "toulouse": "14 allée Jean-Jaurès",
    "bordeaux": "5 cours de l'Intendance",
    "grenoble": "9 avenue Alsace-Lorraine",
    "villeurbanne": "3 avenue Henri-Barbusse",
    "venissieux": "7 avenue Jean-Jaurès",
}

# (number, kind, siae_kind, name, city, extra) — extra: delegation (delegating number,
# days until the end) or referring agency number.
AGENCIES = [
    *[
        (index + 1, K.FRANCE_TRAVAIL, "", f"France Travail {name}", city, {})
        for index, (city, (_insee, name)) in enumerate(CITIES.items())
    ],
    *[
        (index + 11, K.MISSION_LOCALE, "", f"Mission locale de {name}", city, {})
        for index, (city, (_insee, name)) in enumerate(CITIES.items())
    ],
    (21, K.CAP_EMPLOI, "", "Cap emploi Rhône", "lyon", {}),
    (22, K.CAP_EMPLOI, "", "Cap emploi Paris", "paris", {}),
    (23, K.CAP_EMPLOI, "", "Cap emploi Loire-Atlantique", "nantes", {}),
    (24, K.CAP_EMPLOI, "", "Cap emploi Haute-Garonne", "toulouse", {}),
    (31, K.CONSEIL_DEPARTEMENTAL, "", "Conseil départemental du Nord", "lille", {}),
    (32, K.CONSEIL_DEPARTEMENTAL, "", "Conseil départemental de la Gironde", "bordeaux", {}),
    (33, K.CONSEIL_DEPARTEMENTAL, "", "Conseil départemental de l'Isère", "grenoble", {}),
    (41, K.SIAE, "EI", "Les Jardins de la Croix-Rousse", "lyon", {}),
    (42, K.SIAE, "AI", "Trait d'union emploi", "marseille", {}),
    (43, K.SIAE, "ACI", "Chantier Vélo solidaire", "nantes", {}),
    (44, K.SIAE, "ACI", "Recyclerie du Vieux-Lille", "lille", {}),
    (51, K.PREPA_APPRENTISSAGE, "", "Prépa-apprentissage Bâtiment Occitanie", "toulouse", {}),
    (61, K.CONVENTIONNEE, "", "Association Passerelles Emploi", "lyon", {"delegation": (1, 400)}),
    (62, K.CONVENTIONNEE, "", "Solidarités Nouvelles Gironde", "bordeaux", {"delegation": (7, 20)}),
    (
        63,
        K.CONVENTIONNEE,
        "",
        "Foyer Jeunes Travailleurs Canebière",
        "marseille",
        {"delegation": (15, -10)},
    ),
    (71, K.ACCOMPAGNEMENT, "", "Accompagnement Insertion Grenoble", "grenoble", {"referring": 8}),
    (81, K.MISSION_LOCALE, "", "Mission locale de Villeurbanne", "villeurbanne", {}),
    (82, K.MISSION_LOCALE, "", "Mission locale de Vénissieux", "venissieux", {}),
    (83, K.FRANCE_TRAVAIL, "", "France Travail Villeurbanne", "villeurbanne", {}),
]

FIRST_NAMES = ["Camille", "Nadia", "Julien", "Sophie", "Karim", "Léa", "Thomas", "Inès"]
LAST_NAMES = ["Martin", "Benali", "Roux", "Lefèvre", "Diallo", "Moreau", "Garcia", "Nguyen"]


def agency_siret(number: int) -> str:
    return demo_siret(FIRST_NUMBER + number)


def _departments(commune: Commune) -> list[str]:
    return [commune.department]


def load() -> str:
    communes = Commune.objects.in_bulk([insee for insee, _ in TOWNS.values()])
    if len(communes) < len(TOWNS):
        return "référentiels absents : lancez d'abord « manage.py import_referentials »"
    today = timezone.localdate()
    by_number: dict[int, Agency] = {}
    created = updated = 0
    with transaction.atomic():
        for number, kind, siae_kind, name, city, extra in AGENCIES:
            insee, _city_name = TOWNS[city]
            commune = communes[insee]
            siret = agency_siret(number)
            agency = Agency.objects.filter(siret=siret).first()
            was_created = agency is None
            if was_created:
                agency = Agency(siret=siret)
            # Spread the agencies of one city a little so that their markers do not overlap.
            offset = (number % 10) * 0.004
            agency.kind = kind
            agency.siae_kind = siae_kind
            agency.name = name
            agency.address = STREETS[city]
            agency.postal_code = (commune.postal_code_list or [""])[0]
            agency.commune = commune
            agency.latitude = commune.latitude + offset
            agency.longitude = commune.longitude - offset
            agency.covered_departments = _departments(commune)
            agency.contact_email = f"prescripteur-{number}@immersio.example"
            agency.status = Agency.Status.ACTIVE
            agency.activated_at = agency.activated_at or timezone.now()
            agency.delegating_agency = None
            agency.delegation_end_date = None
            agency.referring_agency = None
            if "delegation" in extra:
                delegating, days = extra["delegation"]
                agency.delegating_agency = by_number[delegating]
                agency.delegation_end_date = today + timedelta(days=days)
            if "referring" in extra:
                agency.referring_agency = by_number[extra["referring"]]
            agency.full_clean()
            agency.save()
            by_number[number] = agency
            for offset_index, role in enumerate(
                (AgencyMembership.Role.COUNSELLOR, AgencyMembership.Role.VALIDATOR)
            ):
                person = number + offset_index
                user, _ = get_or_create_user(
                    email=f"{role}.{number}@immersio.example",
                    first_name=FIRST_NAMES[person % len(FIRST_NAMES)],
                    last_name=LAST_NAMES[(person * 3) % len(LAST_NAMES)],
                )
                AgencyMembership.objects.update_or_create(
                    agency=agency,
                    user=user,
                    defaults={"role": role, "is_active": True},
                )
            created += was_created
            updated += not was_created
    return f"{created} prescripteur(s) créé(s), {updated} mis à jour"
