from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "immersio.agencies"
    label = "agencies"
    verbose_name = "Prescripteurs et structures d'accompagnement"
