from django.apps import AppConfig


class JournalConfig(AppConfig):
    """The beneficiary's own reflection (issue 12): the « Carnet d'immersion » (a short
    entry per day, people met) and « Mon bilan » (did it fit, what next: an action plan).
    Private to the beneficiary; what they share, and only that, is read by their agency."""

    name = "immersio.journal"
    label = "journal"
    verbose_name = "Carnet et bilan"

    def ready(self) -> None:
        # Fill the extension points of conventions (« Mes conventions », the review page).
        from immersio.conventions import hooks as conventions

        from . import selectors

        conventions.mine_sections.register(self.label, selectors.mine_section)
        conventions.review_sections.register(self.label, selectors.review_section)
        conventions.shared_next_steps.register(self.label, selectors.shared_next_steps)
        # After an entretien-métier, offer to keep a trace of it in the bilan.
        from immersio.resource_people import hooks as resource_people

        resource_people.conversation_links.register(self.label, selectors.conversation_links)
