from django.apps import AppConfig


class ResourcePeopleConfig(AppConfig):
    """« Ils et elles ont changé de voie » (issue 13): people who changed careers publish a
    profile, reviewed by the Immersio team; candidates ask them for an « entretien-métier »
    (a conversation), which they accept with slots or decline kindly."""

    name = "immersio.resource_people"
    label = "resource_people"
    verbose_name = "Personnes ressources"
