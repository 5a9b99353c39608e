"""Demo: Camille's validated past immersion, with three pages of her carnet (one marked
important and shared with her conseillère), a person met and a bilan with two steps."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from immersio.accounts.models import User
from immersio.agencies.models import Agency
from immersio.conventions.models import Convention
from immersio.demo.agencies import agency_siret
from immersio.demo.conventions import free_monday, market_garden_week
from immersio.demo.structures import MARAICHER, demo_siret
from immersio.journal.models import ActionStep, JournalEntry, PersonMet, Reflection
from immersio.referentials.models import Appellation
from immersio.structures.models import HostStructure

ORDER = 60  # after the conventions

CAMILLE = "camille.martin@immersio.example"
#: The convention's address: Camille's, capitalised. ``demo.conventions`` finds its own
#: stories by their exact address and rebuilds them; this one is not among them. The
#: journal finds its beneficiary case-insensitively, as every address lookup does.
CONVENTION_EMAIL = "Camille.Martin@immersio.example"

PAGES = [
    (
        0,
        {
            "observed": (
                "L'équipe commence par un tour des serres à 8 h 30 : chacun dit ce qu'il a vu "
                "la veille. Les semis de tomates ont levé."
            ),
            "tried": "Repiquer des plants de salade, et préparer les paniers du mercredi.",
            "met": "Julien, le tuteur : il m'a dit que le plus dur, c'est l'été.",
            "questions": (
                "Combien de temps faut-il pour se former ? Le BPREA se fait-il en alternance ?"
            ),
        },
        False,
    ),
    (
        2,
        {
            "observed": (
                "La vente directe : les clients connaissent les maraîchers par leur prénom."
            ),
            "surprised": "Le temps passé à planifier les cultures sur ordinateur.",
            "note": "Journée fatigante mais j'ai aimé être dehors toute la journée.",
        },
        True,
    ),
    (
        4,
        {
            "tried": "Conduire le motoculteur, avec Julien à côté.",
            "questions": "Pourrais-je faire une autre immersion dans une ferme plus grande ?",
        },
        False,
    ),
]


@transaction.atomic
def load() -> str:
    camille = User.objects.filter(email=CAMILLE).first()
    agency = Agency.objects.filter(siret=agency_siret(1)).first()
    structure = HostStructure.objects.filter(siret=demo_siret(1)).first()
    appellation = Appellation.objects.filter(pk=MARAICHER).first()
    if not (camille and agency and structure and appellation):
        return "compte, prescripteur, structure ou référentiels de démonstration absents"
    today = timezone.localdate()
    start = free_monday(today - timedelta(days=35))
    end = start + timedelta(days=4)
    convention = Convention.objects.filter(
        agency=agency, beneficiary_email=CONVENTION_EMAIL
    ).first()
    if convention is not None and (convention.date_start, convention.date_end) == (start, end):
        return "carnet et bilan de Camille déjà présents"
    if convention is not None:  # the dates moved with today: built again
        JournalEntry.objects.filter(convention=convention).delete()
        Reflection.objects.filter(convention=convention).delete()
    fields = market_garden_week(
        agency=agency,
        structure=structure,
        appellation=appellation,
        start=start,
        end=end,
        objectives="Découvrir les gestes du maraîchage biologique avant une formation.",
    ) | {
        "submitted_at": timezone.now() - timedelta(days=50),
        "validated_at": timezone.now() - timedelta(days=40),
        "beneficiary_first_name": "Camille",
        "beneficiary_last_name": "Martin",
        "beneficiary_birth_date": date(1996, 3, 12),
        "beneficiary_phone": "0612345602",
        "beneficiary_situation": "demandeur",
        "emergency_contact_name": "Dominique Martin",
        "emergency_contact_phone": "0412345602",
        "host_rep_function": "Encadrante technique",
    }
    if convention is None:
        convention = Convention.objects.create(beneficiary_email=CONVENTION_EMAIL, **fields)
    else:
        Convention.objects.filter(pk=convention.pk).update(**fields)
    for offset, texts, shared in PAGES:
        entry = JournalEntry.objects.create(
            owner=camille,
            convention=convention,
            day=start + timedelta(days=offset),
            important=shared,
            shared_at=timezone.now() - timedelta(days=30) if shared else None,
            **texts,
        )
        if offset == 0:
            PersonMet.objects.create(
                entry=entry,
                name="Julien Lefèvre",
                role="Maraîcher encadrant, tuteur",
                contact="julien.lefevre@immersio.example",
                contact_agreed=True,
                recontact=True,
            )
    reflection = Reflection.objects.create(
        owner=camille,
        convention=convention,
        metier_fit="oui",
        metier_why="Être dehors, voir pousser ce qu'on a semé, vendre à des gens qu'on connaît.",
        missions_fit="en_partie",
        missions_why="La planification et la gestion me plaisent moins que le travail au champ.",
        setting_fit="oui",
        setting_why="Une petite équipe qui se parle chaque matin.",
        learned="Les rotations de cultures, le repiquage, la préparation des paniers.",
        unexpected="La part de travail sur ordinateur, et la fatigue physique de l'été.",
        people="Julien, qui a changé de métier à 40 ans : il m'a montré que c'était possible.",
        needs=["formation", "experience"],
        needs_text="Le BPREA (brevet professionnel) en alternance, dans un CFPPA près de Lyon.",
        written=True,
    )
    ActionStep.objects.create(
        reflection=reflection,
        kind="me_former",
        text="Me renseigner sur le BPREA en alternance au CFPPA",
        target_date=today + timedelta(days=14),
        done=True,
    )
    ActionStep.objects.create(
        reflection=reflection,
        kind="immersion",
        text="Une autre immersion dans une ferme plus grande",
        target_date=today + timedelta(days=45),
    )
    return "carnet (3 pages, 1 personne rencontrée) et bilan (2 étapes) de Camille créés"
