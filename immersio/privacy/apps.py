from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Personal data by the book (issue 11): the register of processings, retention as
    code (``retention.py`` read by ``apply_retention``), « Mes données » (export, correction,
    deletion). The top app: it reads every other app, none imports it."""

    name = "immersio.privacy"
    label = "privacy"
    verbose_name = "Données personnelles"
