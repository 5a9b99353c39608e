"""Reference rows for the examples of the notifications (see
``immersio.notifications.previews``): the real ones when the data is imported, else minimal
rows (the examples run in a transaction that is rolled back)."""

from .models import Appellation, Commune, RomeMetier

MARAICHER = 16384  # « Maraîcher / Maraîchère » (ROME A1414)


def lyon() -> Commune:
    commune, _ = Commune.objects.get_or_create(
        insee_code="69123",
        defaults={
            "name": "Lyon",
            "department": "69",
            "region": "84",
            "latitude": 45.75881,
            "longitude": 4.83533,
            "postal_codes": "69001 69002 69003",
            "normalized_name": "lyon",
        },
    )
    return commune


def maraicher() -> Appellation:
    rome, _ = RomeMetier.objects.get_or_create(
        code="A1414", defaults={"label": "Horticulture et maraîchage"}
    )
    appellation, _ = Appellation.objects.get_or_create(
        code=MARAICHER,
        defaults={
            "rome": rome,
            "label": "Maraîcher / Maraîchère",
            "short_label": "Maraîcher / Maraîchère",
            "search_text": "maraicher maraichere",
        },
    )
    return appellation
