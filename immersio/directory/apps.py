from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "immersio.directory"
    label = "directory"
    verbose_name = "Annuaire et recherche"
