from django.apps import AppConfig


class ConventionsConfig(AppConfig):
    name = "immersio.conventions"
    label = "conventions"
    verbose_name = "Conventions d'immersion"

    def ready(self) -> None:
        # Fill the extension points of lower apps (models load only once apps are ready).
        from immersio.core.hooks import privacy_durations

        from . import models

        privacy_durations.register("draft_days", lambda: models.DRAFT_LIFETIME.days)
