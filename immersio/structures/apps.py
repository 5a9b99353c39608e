from django.apps import AppConfig


class StructuresConfig(AppConfig):
    name = "immersio.structures"
    label = "structures"
    verbose_name = "Structures d'accueil"
