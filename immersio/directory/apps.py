from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "immersio.directory"
    label = "directory"
    verbose_name = "Annuaire et recherche"

    def ready(self) -> None:
        # Fill the extension points of lower apps (models load only once apps are ready).
        from immersio.structures.hooks import structures_changed

        from . import indexing

        # Looked up at each call, so that a test may wrap ``indexing.reindex_structures``.
        structures_changed.register(self.label, lambda ids: indexing.reindex_structures(ids))
