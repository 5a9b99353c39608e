from django.apps import AppConfig


class ConventionsConfig(AppConfig):
    name = "immersio.conventions"
    label = "conventions"
    verbose_name = "Conventions d'immersion"
