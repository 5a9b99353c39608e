"""Demonstration accounts. They have no password: log in with a link sent by e-mail
(in `make run`, e-mails are printed by the worker)."""

from django.contrib.auth import get_user_model

ORDER = 10

DEMO_USERS = [
    {
        "email": "equipe@immersio.example",
        "first_name": "Alix",
        "last_name": "Moreau",
        "is_staff": True,
        "is_superuser": True,
    },
    {
        "email": "camille.martin@immersio.example",
        "first_name": "Camille",
        "last_name": "Martin",
        "is_staff": False,
        "is_superuser": False,
    },
]


# One demo account per role, as listed in README.md (the accounts of the structure admin
# and of the agency are created by demo/structures.py and demo/agencies.py, the resource
# person's by demo/resource_people.py).
DEMO_ACCOUNTS = [
    ("equipe@immersio.example", "équipe Immersio (accès à /gestion/)"),
    ("camille.martin@immersio.example", "personne qui cherche une immersion"),
    ("nadia.benali@immersio.example", "administratrice d'une structure d'accueil"),
    ("conseiller.1@immersio.example", "conseillère d'un prescripteur (France Travail Lyon)"),
    ("valideur.1@immersio.example", "valideur d'un prescripteur (France Travail Lyon)"),
    (
        "helene.roux@immersio.example",
        "personne-ressource qui a changé de voie (une demande d'entretien-métier à traiter)",
    ),
]


def load() -> str:
    User = get_user_model()
    created = 0
    for data in DEMO_USERS:
        user, was_created = User.objects.get_or_create(
            email=data["email"], defaults={k: v for k, v in data.items() if k != "email"}
        )
        if was_created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            created += 1
    return f"{created} compte(s) créé(s), {len(DEMO_USERS) - created} déjà présent(s)"
