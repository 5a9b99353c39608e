"""Demo: five published testimonies linked to demo structures, métiers and causes (each by
its own demo author), and Camille's, waiting for the team's review."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from immersio.demo.structures import MARAICHER, demo_siret
from immersio.referentials.models import Appellation
from immersio.structures.models import Cause, HostStructure
from immersio.structures.services import get_or_create_user
from immersio.testimonies import rules
from immersio.testimonies.models import Display, Status, Testimony

ORDER = 70  # after the structures and the journal

CAMILLE = "camille.martin@immersio.example"

#: (author's address, first name, last name, display, structure number, appellation code,
#: causes, title, text, status)
STORIES = [
    (
        "lea.fontaine@immersio.example",
        "Léa",
        "Fontaine",
        Display.NAME,
        1,
        MARAICHER,
        ["alimentation", "agriculture-paysanne"],
        "De la comptabilité aux serres : une semaine pour oser",
        "J'étais comptable depuis douze ans et je rêvais de travailler dehors, sans savoir si "
        "j'en étais capable. Ma conseillère m'a proposé une immersion d'une semaine aux "
        "Jardins de la Sauvegarde. J'ai semé, désherbé, préparé les paniers du jeudi avec "
        "une équipe qui m'a tout de suite fait une place. J'ai découvert que le plus dur "
        "n'était pas la fatigue, mais l'organisation des cultures sur toute une saison : "
        "c'est ce qui m'a donné envie de me former. Je commence un BPREA en septembre.",
        Status.PUBLISHED,
    ),
    (
        "karim.benali@immersio.example",
        "Karim",
        "Benali",
        Display.NAME,
        2,
        MARAICHER,
        ["alimentation", "tiers-lieux"],
        "Une ferme en ville, et des voisins qui passent dire bonjour",
        "Après un licenciement dans la logistique, je cherchais un métier qui ait du sens. "
        "J'ai publié ma demande sur le tableau d'Immersio et la Ferme urbaine du Carré Soie "
        "m'a répondu le lendemain. Trois jours d'immersion : arrosage, récolte, vente sur "
        "place. Ce qui m'a surpris, c'est le lien avec les habitants du quartier. Je ne "
        "suis pas sûr de devenir maraîcher, mais je sais maintenant que je veux un travail "
        "au contact des gens et de l'alimentation.",
        Status.PUBLISHED,
    ),
    (
        "sofia.marchand@immersio.example",
        "Sofia",
        "Marchand",
        Display.ANONYMOUS,
        5,
        20503,
        ["economie-circulaire"],
        "Donner une seconde vie aux objets, et à mon parcours",
        "Je sortais d'un long arrêt maladie et je n'osais plus postuler. À la Ressourcerie "
        "La Remise, on m'a confié le tri, puis la remise en état de petits meubles. "
        "L'équipe prend le temps d'expliquer, et chacun trouve sa place. En deux semaines, "
        "j'ai repris confiance et confirmé que je voulais travailler dans le réemploi. "
        "Mon conseiller Cap emploi m'aide maintenant à trouver une formation.",
        Status.PUBLISHED,
    ),
    (
        "thomas.giraud@immersio.example",
        "Thomas",
        "Giraud",
        Display.NAME,
        6,
        16548,
        ["mobilites", "education-populaire"],
        "Réparer des vélos et apprendre aux autres à le faire",
        "Étudiant en reconversion, je voulais savoir si la mécanique vélo pouvait devenir "
        "un métier. À l'Atelier Vélo Solidaire, j'ai réparé des freins, des dérailleurs, "
        "mais surtout accompagné des adhérents qui apprenaient à réparer eux-mêmes. C'est "
        "ce côté transmission que je n'attendais pas, et qui m'a le plus plu. L'immersion "
        "a duré une semaine et m'a convaincu de passer le CQP.",
        Status.PUBLISHED,
    ),
    (
        "nadia.roussel@immersio.example",
        "Nadia",
        "Roussel",
        Display.NAME,
        9,
        11573,
        ["alimentation"],
        "Se lever à quatre heures, et aimer ça",
        "Je voulais ouvrir une boulangerie bio dans mon village et je n'avais jamais fait de "
        "pain ailleurs que chez moi. Le Levain d'Antan m'a accueillie dix jours : pétrissage, "
        "façonnage, cuisson au feu de bois, vente. J'ai vu la réalité des horaires et du "
        "métier d'artisan, avec ses joies et sa fatigue. Mon projet a mûri : je commence "
        "par un CAP et je garde contact avec l'équipe.",
        Status.PUBLISHED,
    ),
    (
        CAMILLE,
        "Camille",
        "Martin",
        Display.NAME,
        1,
        MARAICHER,
        ["alimentation"],
        "Mon immersion aux Jardins de la Sauvegarde",
        "Je voulais savoir si le maraîchage était fait pour moi après dix ans de bureau. "
        "Ce que j'ai appris : le travail en équipe, la planification des cultures et la "
        "vente directe. Ce à quoi je ne m'attendais pas : le temps passé à planifier sur "
        "ordinateur. Je pense faire une autre immersion dans une ferme plus grande.",
        Status.PENDING,
    ),
]


def load() -> str:
    structures = {
        number: HostStructure.objects.filter(siret=demo_siret(number)).first()
        for number in {story[4] for story in STORIES}
    }
    if not Appellation.objects.filter(code=MARAICHER).exists() or None in structures.values():
        return "structures ou référentiels de démonstration absents"
    now = timezone.now()
    made = 0
    with transaction.atomic():
        for index, (
            email,
            first,
            last,
            display,
            number,
            code,
            causes,
            title,
            text,
            status,
        ) in enumerate(STORIES):
            author, _ = get_or_create_user(email=email, first_name=first, last_name=last)
            anonymous = display == Display.ANONYMOUS
            # Newest first on the page: the first story is the most recent; the dates are
            # set once, so that a second run changes nothing. The one waiting for review
            # (Camille's, after her immersion five weeks ago: demo.journal) came yesterday.
            day = now - timedelta(days=1 if status == Status.PENDING else 9 * index)
            published_at = day if status == Status.PUBLISHED else None
            values = {
                "text": text,
                "appellation": Appellation.objects.filter(code=code).first(),
                "structure": structures[number],
                "display": display,
                "display_name": rules.display_name(first, last, anonymous=anonymous),
                "status": status,
                "consent_version": rules.CONSENT_VERSION,
                "consent_text": rules.CONSENT_TEXT,
            }
            testimony, created = Testimony.objects.update_or_create(
                author=author,
                title=title,
                defaults=values,
                create_defaults=values
                | {
                    "consent_given_at": day,
                    "submitted_at": day,
                    "reviewed_at": published_at,
                    "published_at": published_at,
                },
            )
            made += created
            testimony.causes.set(Cause.objects.filter(slug__in=causes))
    return f"{len(STORIES)} témoignages ({made} créés), dont un en attente de relecture"
