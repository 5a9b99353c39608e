from django.apps import AppConfig


class EventsConfig(AppConfig):
    """« Événements » (issue 13): forums, festivals, open days… where structures gather;
    submitted by structures, networks or the team, read by the team before publication,
    searched by date, place and cause, shown as a list, a calendar and iCalendar files."""

    name = "immersio.events"
    label = "events"
    verbose_name = "Événements"

    def ready(self) -> None:
        # A structure's public page (directory, below) shows its upcoming events.
        from immersio.directory.hooks import structure_page_context

        from . import selectors

        structure_page_context.register(
            self.label, lambda structure: selectors.structure_page_context(structure)
        )
