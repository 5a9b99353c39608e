from functools import partial

from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "immersio.agencies"
    label = "agencies"
    verbose_name = "Prescripteurs et structures d'accompagnement"

    def ready(self) -> None:
        # Fill the extension points of lower apps (models load only once apps are ready).
        from immersio.accounts.hooks import landing_pages
        from immersio.teams.selectors import landing_page

        from .team import TEAM

        landing_pages.register(self.label, partial(landing_page, TEAM))
