from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "immersio.demo"
    label = "demo"
    verbose_name = "Données de démonstration"
