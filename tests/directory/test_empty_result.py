"""Issue 8 item 10: a search without result is not a dead end. It offers a wider radius,
related métiers (the whole ROME, the métiers the same sectors hire, ROME neighbours), the
nearest structures at any distance and the public board of requests — each a link that
works, with the number of structures it finds."""

import re
from html import unescape

import pytest

from immersio.directory import search
from immersio.referentials.models import Appellation

from .factories import LYON, MARAICHER, at, make_structure, north_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("referentials")]

SEARCH = "/trouver-une-immersion/"


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def links(html: str) -> dict[str, str]:
    """Link text → address, for the links of the empty result."""
    part = html.split('class="empty-state', 1)[1].split("</section>", 1)[0]
    return {
        text_of(label): unescape(href)
        for href, label in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', part, re.S)
    }


def test_empty_result_offers_ways_out_that_work(client):
    neighbour = search.related_romes("A1414")[0]
    appellation = Appellation.objects.filter(rome_id=neighbour).order_by("code").first()
    make_structure("Voisins", sites=[at(north_of(LYON, 4), appellation.code)])
    make_structure("Ferme lointaine", sites=[at(north_of(LYON, 60), MARAICHER)])
    make_structure("Ferme au bout du monde", sites=[at(north_of(LYON, 900), MARAICHER)])
    html = client.get(
        SEARCH, {"metier": "Maraîcher / Maraîchère", "appellation": "16384", "commune": "69123"}
    ).text
    text = text_of(html)
    assert "Aucune structure trouvée" in text
    found = links(html)

    # A wider radius: the smallest one that finds someone, with its count.
    assert "Élargir la recherche à 75 km (1 structure)" in text
    wider = client.get(SEARCH + found["Élargir la recherche à 75 km"]).text
    assert "1 structure trouvée" in text_of(wider) and "Ferme lointaine" in wider

    # A related métier, with its count.
    [label] = [label for label in found if label.startswith("Un métier voisin")]
    assert label.endswith(f"({neighbour})")
    assert f"{label} (1 structure)" in text
    related = client.get(SEARCH + found[label]).text
    assert "1 structure trouvée" in text_of(related) and "Voisins" in related
    assert f"({neighbour})" in related  # the field shows the label, never a raw code

    # The whole ROME finds nobody here: no link to nothing.
    assert "Chercher tous les métiers proches" not in text

    # The nearest structures at any distance, nearest first.
    assert "Les structures les plus proches, à toute distance" in text
    assert text.index("Ferme lointaine") < text.index("Ferme au bout du monde")
    assert "à 60 km" in text and "à 900 km" in text
    assert client.get(found["Ferme lointaine"]).status_code == 200

    # The public board of requests.
    board = next(href for label, href in found.items() if "Les demandes d'immersion" in label)
    assert board == "/demandes/tableau/publier/"
    assert client.get(board).status_code == 302  # to log in first
    published = next(href for label, href in found.items() if "déjà publiées" in label)
    assert client.get(published).status_code == 200
    assert "(0 demande)" in text
    # « Préparer ma demande », for a structure that is not on Immersio.
    prepare = next(href for label, href in found.items() if "Préparer ma demande" in label)
    assert prepare == "/demandes/preparer/"
    assert client.get(prepare).status_code == 200


def test_related_romes_are_the_rome_family_then_the_same_sectors():
    from immersio.referentials.models import RomeNafHiring

    related = search.related_romes("A1414")
    assert related and "A1414" not in related
    assert len(related) == len(set(related))
    family = [code for code in related if code.startswith("A14")]
    assert family and related[: len(family)] == family
    sector = (
        RomeNafHiring.objects.filter(rome_id="A1414")
        .order_by("-hirings", "naf_id")
        .values("naf_id")[:3]
    )
    hired = set(RomeNafHiring.objects.filter(naf_id__in=sector).values_list("rome_id", flat=True))
    assert set(related[len(family) :]) <= hired
