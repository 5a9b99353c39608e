from django.apps import AppConfig


class ReferentialsConfig(AppConfig):
    name = "immersio.referentials"
    label = "referentials"
    verbose_name = "Référentiels"
