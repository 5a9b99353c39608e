from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "immersio.core"
    label = "core"
    verbose_name = "Socle"
