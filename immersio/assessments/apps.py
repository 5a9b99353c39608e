from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "immersio.assessments"
    label = "assessments"
    verbose_name = "Bilans d'immersion"

    def ready(self):
        from immersio.agencies import hooks as agencies
        from immersio.conventions import hooks

        from . import panels, selectors

        hooks.review_sections.register(self.label, panels.review_section)
        hooks.mine_links.register(self.label, panels.mine_links)
        agencies.space_links.register(self.label, panels.space_links)
        hooks.objectives_not_met.register(self.label, selectors.says_objectives_not_met)
