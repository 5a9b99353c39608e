from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "immersio.contacts"
    label = "contacts"
    verbose_name = "Demandes d'immersion"

    def ready(self) -> None:
        # Fill the extension points of lower apps (models load only once apps are ready).
        from immersio.directory import hooks as directory

        from . import selectors

        directory.structure_page_context.register(self.label, selectors.structure_page_context)
        directory.no_result_links.register(self.label, selectors.board_links)
