from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "immersio.accounts"
    label = "accounts"
    verbose_name = "Comptes"
