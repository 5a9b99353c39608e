from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "immersio.api"
    label = "api"
