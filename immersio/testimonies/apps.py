from django.apps import AppConfig


class TestimoniesConfig(AppConfig):
    """« Témoignages » (issue 13): short stories of immersions, written by the person who
    lived them, with their recorded consent, reviewed by the Immersio team before they
    are shown — on their page, on the host structure's page and beside the directory's
    results for the same métier or cause."""

    name = "immersio.testimonies"
    label = "testimonies"
    verbose_name = "Témoignages"

    def ready(self) -> None:
        # Fill the extension points of the directory (a lower app).
        from immersio.directory import hooks as directory

        from . import selectors

        directory.structure_page_sections.register(self.label, selectors.structure_section)
        directory.search_page_sections.register(self.label, selectors.search_section)
