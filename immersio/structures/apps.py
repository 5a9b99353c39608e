from functools import partial

from django.apps import AppConfig

# Rate limits of the public forms of this app: (attempts, window in seconds). The
# project's settings.RATE_LIMITS may set them; these apply when it does not.
RATE_LIMIT_DEFAULTS = {
    "structure_registration_per_ip": (10, 60 * 60),
    "structure_join_request_per_ip": (5, 60 * 60),
}


class StructuresConfig(AppConfig):
    name = "immersio.structures"
    label = "structures"
    verbose_name = "Structures d'accueil"

    def ready(self) -> None:
        from django.conf import settings

        from immersio.accounts.hooks import landing_pages
        from immersio.teams.selectors import landing_page

        from .team import TEAM

        landing_pages.register(self.label, partial(landing_page, TEAM))

        limits = getattr(settings, "RATE_LIMITS", None)
        if isinstance(limits, dict):
            for scope, limit in RATE_LIMIT_DEFAULTS.items():
                limits.setdefault(scope, limit)
