"""Demonstration host structures: twenty fictitious structures around Lyon, Paris,
Nantes, Lille, Marseille, Toulouse, Bordeaux and Grenoble, most of them from the
ecological and solidarity transition. Names, people and SIRETs are invented (the SIRETs
pass the Luhn check); communes, métiers and NAF codes are real reference data.

Idempotent: structures are created or updated by SIRET, people by e-mail. Needs the
reference data (``import_referentials``); without it, nothing is loaded.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from immersio.core.validators import example_siret
from immersio.referentials.models import Appellation, Commune, NafCode
from immersio.structures import rules, services
from immersio.structures.models import (
    Cause,
    HostStructure,
    Network,
    ReceivedRequest,
    StructureMembership,
)

ORDER = 20

MARAICHER = 16384  # « Maraîcher / Maraîchère » (ROME A1414)
AIDE_MARAICHER = 10853  # « Aide maraîcher / maraîchère » (A1402)


def demo_siret(number: int) -> str:
    """A deterministic, Luhn-valid SIRET outside the ranges of real companies."""
    return example_siret(number)


# (number, fields, sites [(label, address, insee, [appellation codes])], causes, networks,
#  contact person (first, last, job), situation: "" | "paused" | "full")
STRUCTURES = [
    (
        1,
        {
            "name": "Association Les Jardins de la Sauvegarde",
            "brand_name": "Jardins de la Sauvegarde",
            "kind": "siae",
            "ess_status": "association",
            "naf": "0113Z",
            "headcount": "10-49",
            "website": "https://jardins-sauvegarde.example",
            "description": (
                "Jardin d'insertion en maraîchage biologique sur 3 hectares à Saint-Genis-Laval. "
                "Nous cultivons une quarantaine de légumes vendus en paniers à 300 familles."
            ),
            "immersion_description": (
                "Vous travaillez en équipe de six avec un encadrant technique : semis sous serre, "
                "plantations, désherbage, récolte et préparation des paniers du jeudi. Horaires "
                "8 h 30 – 16 h, bottes et vêtements de pluie prêtés."
            ),
            "max_requests_per_month": 8,
            "public_transport": True,
            "welcomes_minors": True,
            "contact_mode": "message",
        },
        [
            (
                "Jardin de la Sauvegarde",
                "12 chemin des Serres",
                "69204",
                [MARAICHER, AIDE_MARAICHER, 16068],
            )
        ],
        ["alimentation", "agriculture-paysanne", "solidarite-lien-social"],
        ["cress", "reseau-tee"],
        ("Nadia", "Benali", "Encadrante technique"),
        "",
    ),
    (
        2,
        {
            "name": "Ferme urbaine du Carré Soie",
            "kind": "association",
            "ess_status": "association",
            "naf": "0113Z",
            "headcount": "1-9",
            "description": (
                "Une ferme maraîchère sur les toits et les friches de Vaulx-en-Velin, avec un "
                "marché paysan chaque samedi."
            ),
            "immersion_description": (
                "Trois jours avec notre maraîcher : culture en bacs, compost, vente au marché "
                "du samedi matin."
            ),
            "contact_mode": "message",
        },
        [("Toits du Carré Soie", "5 rue Jacquard", "69256", [MARAICHER, 11079])],
        ["alimentation", "biodiversite-nature", "tiers-lieux"],
        ["france-tiers-lieux"],
        ("Hugo", "Fontaine", "Maraîcher"),
        "",
    ),
    (
        3,
        {
            "name": "SCOP Terres de Brindas",
            "kind": "entreprise",
            "ess_status": "scop",
            "naf": "0113Z",
            "headcount": "1-9",
            "website": "https://terres-brindas.example",
            "description": (
                "Coopérative de quatre maraîchers installés dans les monts du Lyonnais, en "
                "agriculture biologique et vente directe."
            ),
            "immersion_description": (
                "Journées au champ selon la saison : plantation des poireaux, récolte des "
                "tomates, livraison des AMAP le mardi soir."
            ),
            "contact_mode": "telephone",
            "contact_phone": "04 78 00 12 34",
            "contact_instructions": "Appelez le lundi ou le vendredi entre 13 h et 14 h.",
        },
        [("Ferme des Côtes", "240 route du Plateau", "69028", [MARAICHER, 12118])],
        ["agriculture-paysanne", "alimentation", "climat-energie"],
        ["cress"],
        ("Léa", "Garnier", "Associée gérante"),
        "",
    ),
    (
        4,
        {
            "name": "AMAP des Pentes",
            "kind": "association",
            "ess_status": "association",
            "naf": "9499Z",
            "headcount": "0",
            "description": (
                "Une AMAP de 80 familles de la Croix-Rousse, partenaire d'une ferme maraîchère "
                "à Écully où les adhérents donnent un coup de main."
            ),
            "immersion_description": (
                "Vous rejoignez notre paysanne partenaire à la ferme d'Écully pour une semaine "
                "de travaux maraîchers, puis tenez la distribution du jeudi."
            ),
            "max_requests_per_month": 2,
            "contact_mode": "message",
        },
        [("Ferme partenaire", "18 chemin de la Sauvegarde", "69081", [MARAICHER])],
        ["alimentation", "agriculture-paysanne", "education-populaire"],
        [],
        ("Claire", "Duval", "Coordinatrice bénévole"),
        "paused",
    ),
    (
        5,
        {
            "name": "Ressourcerie La Remise",
            "kind": "siae",
            "ess_status": "association",
            "naf": "3832Z",
            "headcount": "10-49",
            "description": (
                "Collecte, tri, réparation et revente d'objets à Villeurbanne : 400 tonnes "
                "détournées de l'enfouissement chaque année."
            ),
            "immersion_description": (
                "Au quai de réception puis à l'atelier : tri des dons, petites réparations, "
                "mise en rayon et caisse de la boutique."
            ),
            "public_transport": True,
            "contact_mode": "sur_place",
            "contact_instructions": (
                "Présentez-vous à l'accueil de la boutique, 27 rue Francis-de-Pressensé, du "
                "mardi au vendredi de 10 h à 12 h."
            ),
        },
        [
            (
                "Boutique et atelier",
                "27 rue Francis-de-Pressensé",
                "69266",
                [20503, 17175, 38508],
            )
        ],
        ["economie-circulaire", "solidarite-lien-social"],
        ["cress", "reseau-tee"],
        ("Karim", "Haddad", "Responsable d'atelier"),
        "full",
    ),
    (
        6,
        {
            "name": "Atelier Vélo Solidaire Nantais",
            "brand_name": "Vélocité Solidaire",
            "kind": "association",
            "ess_status": "association",
            "naf": "9529Z",
            "headcount": "1-9",
            "description": (
                "Atelier participatif de réparation de vélos et vélo-école pour adultes, sur "
                "l'île de Nantes."
            ),
            "immersion_description": (
                "Accueil des adhérents à l'atelier, diagnostic et réparation, remise en état "
                "de vélos de récupération, séances de vélo-école le samedi."
            ),
            "public_transport": True,
            "contact_mode": "message",
        },
        [("Atelier de l'île", "3 quai des Antilles", "44109", [16548, 20290])],
        ["mobilites", "economie-circulaire", "education-populaire"],
        ["reseau-tee"],
        ("Thomas", "Le Goff", "Mécanicien animateur"),
        "",
    ),
    (
        7,
        {
            "name": "Épicerie solidaire Le Panier Commun",
            "kind": "association",
            "ess_status": "association",
            "naf": "4711B",
            "headcount": "1-9",
            "description": (
                "Épicerie solidaire de Roubaix : des produits à petits prix pour les familles "
                "orientées par les travailleurs sociaux, et un espace convivial."
            ),
            "immersion_description": (
                "Réception des livraisons, mise en rayon, accueil et caisse, animation de "
                "l'atelier cuisine du mercredi."
            ),
            "contact_mode": "message",
            "fit_for_disabled_workers": True,
        },
        [("Épicerie", "44 rue de Lannoy", "59512", [20576, 14769, 10374])],
        ["alimentation", "solidarite-lien-social"],
        ["cress"],
        ("Fatou", "Diop", "Coordinatrice"),
        "",
    ),
    (
        8,
        {
            "name": "EHPAD Les Tilleuls",
            "kind": "public",
            "naf": "8710A",
            "headcount": "50-249",
            "description": (
                "Établissement public de 90 résidents au cœur de "
                "Rezé, avec un jardin thérapeutique."
            ),
            "immersion_description": (
                "Découverte des métiers du soin et de l'accompagnement, en binôme avec une "
                "aide-soignante : toilettes, repas, animations."
            ),
            "contact_mode": "telephone",
            "contact_phone": "02 40 00 45 67",
            "contact_instructions": "Secrétariat de direction, du lundi au vendredi de 9 h à 17 h.",
        },
        [("EHPAD Les Tilleuls", "10 rue des Tilleuls", "44143", [10891, 10698, 11065])],
        ["sante", "intergenerationnel"],
        [],
        ("Sophie", "Morel", "Cadre de santé"),
        "",
    ),
    (
        9,
        {
            "name": "Boulangerie Au Levain d'Antan",
            "kind": "entreprise",
            "naf": "1071C",
            "headcount": "1-9",
            "description": (
                "Boulangerie au levain naturel et farines de meuniers paysans, dans le 11e "
                "arrondissement de Paris."
            ),
            "immersion_description": (
                "Fournil dès 5 h : pétrissage, façonnage, cuisson au four à bois, puis vente "
                "en boutique."
            ),
            "contact_mode": "sur_place",
            "contact_instructions": "Passez à la boutique l'après-midi et demandez Julien.",
        },
        [("Boutique", "58 rue Oberkampf", "75111", [11573])],
        ["alimentation", "agriculture-paysanne"],
        [],
        ("Julien", "Petit", "Artisan boulanger"),
        "",
    ),
    (
        10,
        {
            "name": "SCOP Bâtir en Terre et Paille",
            "brand_name": "Terre & Paille",
            "kind": "entreprise",
            "ess_status": "scop",
            "naf": "4391A",
            "headcount": "10-49",
            "website": "https://terre-paille.example",
            "description": (
                "Coopérative d'éco-construction : charpente, ossature bois, isolation paille, "
                "enduits terre, rénovation énergétique."
            ),
            "immersion_description": (
                "Sur un chantier de l'agglomération toulousaine avec un compagnon : pose "
                "d'ossature, remplissage paille, enduits. Chaussures de sécurité fournies."
            ),
            "contact_mode": "message",
        },
        [
            ("Atelier", "7 chemin de la Flambère", "31555", [11952, 16787, 16250]),
        ],
        ["habitat", "climat-energie"],
        ["cress", "reseau-tee"],
        ("Antoine", "Roux", "Chef de chantier"),
        "",
    ),
    (
        11,
        {
            "name": "Ville de Grenoble — Direction des espaces verts",
            "brand_name": "Espaces verts de Grenoble",
            "kind": "public",
            "naf": "8411Z",
            "headcount": "250+",
            "description": (
                "Les jardiniers de la ville : parcs, jardins partagés, arbres d'alignement."
            ),
            "immersion_description": (
                "Une semaine dans une équipe de secteur : entretien des massifs, gestion "
                "différenciée, plantation, découverte de l'élagage."
            ),
            "max_requests_per_month": 6,
            "contact_mode": "message",
        },
        [
            ("Centre horticole", "2 rue de la Bajatière", "38185", [16068, 14609]),
            ("Parc Paul-Mistral", "Avenue de Valmy", "38185", [16068]),
        ],
        ["biodiversite-nature", "eau"],
        [],
        ("Marion", "Chevalier", "Responsable de secteur"),
        "",
    ),
    (
        12,
        {
            "name": "Association Nature Isère Vivante",
            "kind": "association",
            "ess_status": "association",
            "naf": "9499Z",
            "headcount": "10-49",
            "description": (
                "Association de protection de la nature membre de France Nature Environnement : "
                "études, sorties nature, éducation à l'environnement."
            ),
            "immersion_description": (
                "Préparer et animer des sorties nature avec des classes, participer à un "
                "inventaire de biodiversité."
            ),
            "contact_mode": "message",
        },
        [("Maison de la nature", "5 place Bir-Hakeim", "38421", [11059, 38585])],
        ["biodiversite-nature", "education-populaire", "eau"],
        ["fne", "frene", "graine"],
        ("Élise", "Bonnet", "Chargée d'éducation à l'environnement"),
        "",
    ),
    (
        13,
        {
            "name": "Tiers-lieu La Fabrique des Communs",
            "kind": "association",
            "ess_status": "scic",
            "naf": "5610A",
            "headcount": "10-49",
            "description": (
                "Un ancien entrepôt de Bègles devenu cantine, atelier bois, jardin et salle "
                "d'événements, géré en coopérative."
            ),
            "immersion_description": (
                "En cuisine ou en salle à la cantine, à l'atelier de menuiserie ou à l'accueil "
                "des événements, selon votre projet."
            ),
            "contact_mode": "message",
            "public_transport": True,
        },
        [("La Fabrique", "12 rue des Terres-Neuves", "33039", [13861, 200104, 16611, 11065])],
        ["tiers-lieux", "economie-circulaire", "culture"],
        ["france-tiers-lieux", "cress"],
        ("Romain", "Lefèvre", "Coordinateur"),
        "",
    ),
    (
        14,
        {
            "name": "Recyclerie Sportive du Bordelais",
            "kind": "association",
            "ess_status": "association",
            "naf": "3832Z",
            "headcount": "1-9",
            "description": "Collecte et revente de matériel de sport d'occasion à Bordeaux.",
            "immersion_description": "Tri, nettoyage et petites réparations, vente en boutique.",
            "contact_mode": "message",
        },
        [("Boutique", "80 cours de la Somme", "33063", [20503, 18343])],
        ["economie-circulaire"],
        ["reseau-tee"],
        ("Yanis", "Girard", "Valoriste"),
        "paused",
    ),
    (
        15,
        {
            "name": "Cuisine Solidaire du Panier",
            "kind": "siae",
            "ess_status": "association",
            "naf": "5610A",
            "headcount": "10-49",
            "description": (
                "Restaurant d'insertion dans le quartier du Panier à Marseille : cuisine de "
                "saison avec les producteurs de Provence."
            ),
            "immersion_description": (
                "En cuisine avec notre cheffe : préparations, cuisson, dressage, plonge ; ou en "
                "salle au service du midi."
            ),
            "contact_mode": "message",
        },
        [("Restaurant", "6 rue du Refuge", "13055", [13861, 19427])],
        ["alimentation", "solidarite-lien-social"],
        ["cress"],
        ("Inès", "Marchand", "Cheffe de cuisine"),
        "",
    ),
    (
        16,
        {
            "name": "Les Paysans de l'Huveaune",
            "kind": "entreprise",
            "ess_status": "cooperative",
            "naf": "0113Z",
            "headcount": "1-9",
            "description": (
                "Coopérative de maraîchers et d'arboriculteurs de la vallée de l'Huveaune."
            ),
            "immersion_description": "Récolte, conditionnement et vente au marché d'Aubagne.",
            "contact_mode": "message",
        },
        [("Ferme", "Chemin des Paluds", "13005", [MARAICHER, 11103])],
        ["agriculture-paysanne", "alimentation"],
        [],
        ("Baptiste", "Arnaud", "Maraîcher associé"),
        "",
    ),
    (
        17,
        {
            "name": "Compagnie Solidaire de l'Aide à Domicile",
            "brand_name": "Aide & Vie Toulouse",
            "kind": "association",
            "ess_status": "association",
            "naf": "8899B",
            "headcount": "50-249",
            "description": "Service d'aide et d'accompagnement à domicile des personnes âgées.",
            "immersion_description": (
                "Accompagner une auxiliaire de vie chez trois ou quatre personnes par jour : "
                "aide au repas, courses, conversation."
            ),
            "contact_mode": "message",
        },
        [("Agence", "22 allées Jean-Jaurès", "31555", [11453, 140949])],
        ["sante", "intergenerationnel", "solidarite-lien-social"],
        ["cress"],
        ("Aurélie", "Blanc", "Responsable de secteur"),
        "",
    ),
    (
        18,
        {
            "name": "Menuiserie Coopérative Le Copeau",
            "kind": "entreprise",
            "ess_status": "scop",
            "naf": "4332A",
            "headcount": "1-9",
            "description": "Menuiserie en bois local, agencement et mobilier de réemploi à Lille.",
            "immersion_description": (
                "À l'atelier : débit, usinage, assemblage, finitions naturelles."
            ),
            "contact_mode": "message",
        },
        [("Atelier", "15 rue Gantois", "59350", [16611, 16616])],
        ["economie-circulaire", "habitat"],
        ["cress"],
        ("Mathieu", "Lambert", "Menuisier associé"),
        "",
    ),
    (
        19,
        {
            "name": "Régie de quartier Montreuil Est",
            "kind": "siae",
            "ess_status": "association",
            "naf": "8130Z",
            "headcount": "10-49",
            "description": (
                "Entretien des espaces verts et des parties communes des cités de Montreuil."
            ),
            "immersion_description": (
                "Équipes espaces verts et propreté, avec un encadrant technique."
            ),
            "contact_mode": "message",
        },
        [("Base vie", "3 rue de Rosny", "93048", [16068, 10432])],
        ["solidarite-lien-social", "biodiversite-nature"],
        ["reseau-tee"],
        ("Samir", "Benhamou", "Encadrant technique"),
        "",
    ),
    (
        20,
        {
            "name": "Café associatif Le Poulpe",
            "kind": "association",
            "ess_status": "association",
            "naf": "5630Z",
            "headcount": "1-9",
            "description": "Café associatif et lieu de concerts du 20e arrondissement de Paris.",
            "immersion_description": (
                "Service au bar, barista, accueil des associations du quartier."
            ),
            "contact_mode": "message",
        },
        [("Café", "9 rue des Pyrénées", "75120", [200104, 19425])],
        ["culture", "solidarite-lien-social"],
        ["france-tiers-lieux"],
        ("Lucie", "Marty", "Coordinatrice"),
        "paused",
    ),
]

# The demo structure admin (see demo/accounts.py) is the person of structure 1. The demo
# candidate used to be a member of it too: that membership is removed, so that the
# candidate and the structure admin are two people.
FORMER_DEMO_MEMBERS = ["camille.martin@immersio.example"]


def _slug(text: str) -> str:
    from immersio.referentials.text import normalize

    return normalize(text).replace(" ", "-")


def load() -> str:
    needed = {insee for item in STRUCTURES for site in item[2] for insee in [site[2]]}
    communes = Commune.objects.in_bulk(list(needed))
    if len(communes) < len(needed):
        return "référentiels absents : lancez d'abord « manage.py import_referentials »"
    created = updated = 0
    ids = []
    with transaction.atomic():
        for number, fields, sites, causes, networks, person, situation in STRUCTURES:
            structure, was_created = _load_structure(
                number, fields, sites, causes, networks, person, situation, communes
            )
            ids.append(structure.pk)
            created += was_created
            updated += not was_created
        services.reindex(ids)
    return f"{created} structure(s) créée(s), {updated} mise(s) à jour"


def _load_structure(number, fields, sites, causes, networks, person, situation, communes):
    siret = demo_siret(number)
    values = dict(fields)
    values["naf"] = NafCode.objects.filter(code=values.pop("naf")).first()
    values.setdefault("is_ess", bool(values.get("ess_status")))
    values.setdefault(
        "max_requests_per_month", rules.default_capacity(values.get("headcount", "1-9"))
    )
    if situation == "full":
        values["max_requests_per_month"] = 4
    today = timezone.localdate()
    values["paused_until"] = today + timedelta(days=21 + number) if situation == "paused" else None
    structure = (
        HostStructure.objects.filter(siret=siret)
        .exclude(status=HostStructure.Status.CLOSED)
        .first()
    )
    was_created = structure is None
    if was_created:
        structure = HostStructure(siret=siret, source="démonstration")
    for name, value in values.items():
        setattr(structure, name, value)
    structure.status = HostStructure.Status.PUBLISHED
    structure.published_at = structure.published_at or timezone.now()
    if not structure.siret_checked_by:
        structure.siret_checked_by = HostStructure.SiretCheck.STAFF
        structure.siret_checked_at = structure.published_at
    structure.full_clean()
    structure.save()
    structure.causes.set(Cause.objects.filter(slug__in=causes))
    structure.networks.set(Network.objects.filter(slug__in=networks))
    existing = list(structure.sites.order_by("id"))
    site_data = []
    for index, (label, address, insee, codes) in enumerate(sites):
        site_data.append(
            services.SiteData(
                public_id=existing[index].public_id if index < len(existing) else None,
                label=label,
                address=address,
                commune=communes[insee],
                appellations=list(Appellation.objects.filter(code__in=codes)),
            )
        )
    services.write_sites(structure, site_data)
    first, last, job = person
    email = f"{_slug(first)}.{_slug(last)}@immersio.example"
    _member(structure, email, first, last, job)
    StructureMembership.objects.filter(
        structure=structure, user__email__in=FORMER_DEMO_MEMBERS
    ).delete()
    if situation == "full" and not structure.received_requests.exists():
        now = timezone.localtime()
        start = rules.month_start(now)
        for index in range(structure.max_requests_per_month):
            moment = max(start, now - timedelta(hours=6 * (index + 1)))
            ReceivedRequest.objects.create(structure=structure, received_at=moment)
    return structure, was_created


def _member(structure, email, first, last, job):
    user, _ = services.get_or_create_user(email=email, first_name=first, last_name=last)
    StructureMembership.objects.update_or_create(
        structure=structure,
        user=user,
        defaults={"role": StructureMembership.Role.ADMIN, "is_active": True, "job_title": job},
    )
