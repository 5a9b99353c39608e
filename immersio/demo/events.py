"""Demonstration events: forums, a festival, open days, the Mois de l'ESS and network
meetings around the demo structures (Lyon, Nantes, Paris, online); one waits for the
team's reading, one was cancelled, one is over (in the archives).

Idempotent: events are created or updated by title; their dates follow today, so they stay
to come (or past) whenever the demo is loaded.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from immersio.accounts.models import User
from immersio.events.models import Event, Kind, Status
from immersio.referentials.models import Commune
from immersio.structures.models import Cause, HostStructure, Network

from .structures import demo_siret

ORDER = 35  # after the structures and the directory

PROPOSER = "nadia.benali@immersio.example"  # the administrator of structure 1
STAFF = "equipe@immersio.example"

# (title, kind, days from today, start hour, duration in hours, insee, address, online URL,
#  host structure number, network slug, organiser, participants, causes, status, extra)
EVENTS = [
    (
        "Forum de l'emploi solidaire",
        Kind.FORUM,
        12,
        9,
        8,
        "69123",
        "Palais de la Mutualité, 1 place Antonin-Jutard",
        "",
        None,
        "cress",
        "CRESS Auvergne-Rhône-Alpes",
        [1, 2, 4, 5],
        ["solidarite-lien-social", "economie-circulaire", "alimentation"],
        Status.PUBLISHED,
        {
            "description": (
                "Une trentaine de structures de l'économie sociale et solidaire de la "
                "métropole présentent leurs métiers : maraîchage, réemploi, aide à domicile, "
                "restauration solidaire. Venez avec vos questions, pas forcément avec un CV : "
                "c'est l'occasion de parler immersion avec les équipes.\n\n"
                "Des conseillers France Travail et de la Mission locale sont présents."
            ),
            "registration_url": "https://cress-aura.example/forum-emploi-solidaire",
            "accessibility": "Salle de plain-pied, accessible en fauteuil. Métro A Guillotière.",
            "contact_email": "forum@cress-aura.example",
        },
    ),
    (
        "Portes ouvertes du Jardin de la Sauvegarde",
        Kind.OPEN_DAY,
        6,
        14,
        3,
        "69204",
        "12 chemin des Serres",
        "",
        1,
        "",
        "",
        [],
        ["alimentation", "agriculture-paysanne"],
        Status.PUBLISHED,
        {
            "description": (
                "Visite des serres et des parcelles avec l'équipe d'encadrement, puis goûter "
                "avec les salariés en insertion. Vous verrez à quoi ressemble une semaine "
                "d'immersion chez nous : semis, récolte, préparation des paniers."
            ),
            "accessibility": "Chemins en terre : prévoyez des chaussures fermées.",
        },
    ),
    (
        "Festival Agir à Lyon",
        Kind.FESTIVAL,
        25,
        10,
        32,
        "69123",
        "Parc de la Tête d'Or, entrée des Enfants du Rhône",
        "",
        None,
        "",
        "Collectif Agir à Lyon",
        [1, 2, 3, 5],
        ["climat-energie", "education-populaire", "biodiversite-nature"],
        Status.PUBLISHED,
        {
            "description": (
                "Deux jours de tables rondes, d'ateliers et de stands pour découvrir les "
                "associations et entreprises qui agissent pour la transition écologique à "
                "Lyon. Un « coin reconversion » accueille celles et ceux qui cherchent leur "
                "voie, avec des personnes qui ont changé de métier."
            ),
            "registration_url": "https://festival-agir.example",
        },
    ),
    (
        "Mois de l'ESS : rencontre des ateliers vélo et recycleries",
        Kind.ESS_MONTH,
        18,
        17,
        3,
        "44109",
        "3 quai des Antilles",
        "",
        6,
        "cress",
        "",
        [6],
        ["mobilites", "economie-circulaire"],
        Status.PUBLISHED,
        {
            "description": (
                "Dans le cadre du Mois de l'ESS, l'atelier ouvre ses portes aux ateliers "
                "vélo et recycleries de la métropole nantaise : démonstrations de réparation, "
                "présentation des métiers de mécanicien cycle et de valoriste."
            ),
        },
    ),
    (
        "Rencontre du réseau TEE : accueillir en immersion",
        Kind.NETWORK_MEETING,
        9,
        12,
        1,
        "",
        "",
        "https://visio.reseau-tee.example/rencontre-immersion",
        None,
        "reseau-tee",
        "",
        [1],
        ["climat-energie"],
        Status.PUBLISHED,
        {
            "description": (
                "Une heure en visio pour les structures du réseau et les personnes curieuses : "
                "comment se passe une immersion, qui la prescrit, ce qu'elle apporte. "
                "Témoignage d'une ancienne stagiaire devenue coordinatrice."
            ),
        },
    ),
    (
        "Job dating de l'économie circulaire",
        Kind.JOB_DATING,
        32,
        9,
        4,
        "75111",
        "58 rue Oberkampf",
        "",
        9,
        "",
        "",
        [9, 20],
        ["economie-circulaire", "alimentation"],
        Status.PUBLISHED,
        {
            "description": (
                "Dix minutes pour rencontrer chaque structure : boulangerie, café associatif, "
                "ressourcerie. Les immersions proposées ce jour-là commencent le mois suivant."
            ),
            "is_free": True,
        },
    ),
    (
        "Atelier découverte du maraîchage",
        Kind.WORKSHOP,
        30,
        9,
        3,
        "69204",
        "12 chemin des Serres",
        "",
        1,
        "",
        "",
        [],
        ["alimentation", "agriculture-paysanne"],
        Status.SUBMITTED,
        {
            "description": (
                "Une matinée les mains dans la terre pour savoir si le maraîchage est fait "
                "pour vous, avant de demander une immersion."
            ),
            "is_free": False,
            "price": "5 € (gratuit pour les demandeurs d'emploi)",
        },
    ),
    (
        "Visite de la ferme urbaine sur les toits",
        Kind.OPEN_DAY,
        15,
        10,
        2,
        "69256",
        "5 rue Jacquard",
        "",
        2,
        "",
        "",
        [],
        ["alimentation", "tiers-lieux"],
        Status.CANCELLED,
        {
            "description": "Visite des toits cultivés et présentation des métiers de la ferme.",
        },
    ),
    (
        "Forum des métiers de la transition",
        Kind.FORUM,
        -40,
        9,
        8,
        "69123",
        "Halle Tony-Garnier, 20 place des Docteurs-Charles-et-Christophe-Mérieux",
        "",
        None,
        "reseau-tee",
        "",
        [1, 3, 5],
        ["climat-energie", "economie-circulaire"],
        Status.PUBLISHED,
        {"description": "Le forum de l'an passé : quarante structures, six cents visiteurs."},
    ),
]


def _at(today: date, days: int, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour, 0)))


def _network_name(slug: str, row) -> str:
    """The network's name; its slug in capitals when the vocabulary was emptied (the
    transactional tests flush the rows the migrations seeded)."""
    return row.name if row is not None else slug.replace("-", " ").upper()


def load() -> str:
    numbers = {n for item in EVENTS for n in [item[8], *item[11]] if n}
    structures = {
        number: HostStructure.objects.filter(siret=demo_siret(number)).first() for number in numbers
    }
    communes = Commune.objects.in_bulk([item[5] for item in EVENTS if item[5]])
    if None in structures.values() or len(communes) < len({i[5] for i in EVENTS if i[5]}):
        return "structures ou référentiels de démonstration absents"
    proposer = User.objects.filter(email=PROPOSER).first()
    staff = User.objects.filter(email=STAFF).first()
    today = timezone.localdate()
    now = timezone.now()
    created = 0
    with transaction.atomic():
        for (
            title,
            kind,
            days,
            hour,
            hours,
            insee,
            address,
            online_url,
            host,
            network,
            organiser,
            participants,
            causes,
            status,
            extra,
        ) in EVENTS:
            structure = structures[host] if host else None
            network_row = Network.objects.filter(slug=network).first() if network else None
            commune = communes.get(insee) if insee else None
            start = _at(today, days, hour)
            values = {
                "kind": kind,
                "starts_at": start,
                "ends_at": start + timedelta(hours=hours),
                "address": address,
                "commune": commune,
                "latitude": commune.latitude if commune else None,
                "longitude": commune.longitude if commune else None,
                "online_url": online_url,
                "host_structure": structure,
                "network": network_row,
                "organiser_name": organiser
                or (structure.display_name if structure else _network_name(network, network_row)),
                "status": status,
                "submitted_by": proposer if host == 1 else staff,
                "is_free": True,
                "price": "",
                "registration_url": "",
                "accessibility": "",
                "contact_email": "",
                **extra,
            }
            published = status in (Status.PUBLISHED, Status.CANCELLED)
            values["published_at"] = now - timedelta(days=3) if published else None
            values["reviewed_by"] = staff if published else None
            values["reviewed_at"] = values["published_at"]
            values["cancelled_at"] = now if status == Status.CANCELLED else None
            event, was_created = Event.objects.update_or_create(title=title, defaults=values)
            created += was_created
            event.causes.set(Cause.objects.filter(slug__in=causes))
            event.participants.set(
                [structures[n] for n in participants] + ([structure] if structure else [])
            )
    return f"{created} événement(s) créé(s), {len(EVENTS) - created} mis à jour"
