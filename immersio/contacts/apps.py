from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "immersio.contacts"
    label = "contacts"
    verbose_name = "Demandes d'immersion"
