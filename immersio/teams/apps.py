from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "immersio.teams"
    label = "teams"
    verbose_name = "Équipes"
