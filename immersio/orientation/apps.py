from django.apps import AppConfig


class OrientationConfig(AppConfig):
    """« Est-ce pour moi ? » (issue 13): before any request or convention, whether an
    immersion is open to a person, why, whom to contact first and what to prepare. No
    account, no model: the answers live in the page's address."""

    name = "immersio.orientation"
    label = "orientation"
    verbose_name = "Orientation"
