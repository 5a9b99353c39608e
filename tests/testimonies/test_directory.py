"""Testimonies on the directory's pages, through its hooks: the structure they name, and
beside the results for the same métier or cause."""

import pytest

from immersio.directory import hooks
from immersio.testimonies import rules, selectors
from tests.directory.factories import MARAICHER, make_structure
from tests.testimonies.helpers import published, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("referentials")]


def test_the_hooks_are_filled():
    assert dict(hooks.structure_page_sections.items())["testimonies"] is (
        selectors.structure_section
    )
    assert dict(hooks.search_page_sections.items())["testimonies"] is selectors.search_section


def test_a_structure_page_shows_the_published_testimonies_naming_it(client):
    structure = make_structure("Jardins témoins")
    url = f"/structure/{structure.public_id}/"
    assert "Ils et elles y ont fait une immersion" not in client.get(url).text
    submitted(title="Pas encore relu", structure=structure)
    for number in range(rules.SHOWN_ON_STRUCTURE + 1):
        published(title=f"Récit {number}", structure=structure)
    page = client.get(url).text
    assert "Ils et elles y ont fait une immersion" in page
    assert "Pas encore relu" not in page
    assert page.count("Récit ") == rules.SHOWN_ON_STRUCTURE
    assert f"Récit {rules.SHOWN_ON_STRUCTURE}" in page  # the newest first


def test_a_search_shows_testimonies_for_the_same_metier(client):
    from immersio.referentials.models import Appellation

    make_structure("Ferme du coin")
    published(title="Au maraîchage", appellation=Appellation.objects.get(pk=MARAICHER))
    published(title="Ailleurs")
    page = client.get(
        "/trouver-une-immersion/",
        {"metier": "Maraîcher / Maraîchère", "appellation": str(MARAICHER), "commune": "69123"},
    ).text
    assert "Ils et elles l'ont vécu" in page
    assert "Au maraîchage" in page and "Ailleurs" not in page


def test_a_search_by_cause_shows_testimonies_for_that_cause(client):
    from immersio.structures.models import Cause

    make_structure("Asso de l'eau", causes=["eau"])
    published(title="Pour l'eau", causes=(Cause.objects.get(slug="eau"),))
    published(title="Autre cause", causes=(Cause.objects.exclude(slug="eau").first(),))
    page = client.get("/trouver-une-immersion/", {"lieu": "Lyon", "cause": "eau"}).text
    assert "Ils et elles l'ont vécu" in page
    assert "Pour l&#x27;eau" in page and "Autre cause" not in page


def test_a_search_without_metier_nor_cause_costs_no_query_for_testimonies(
    django_assert_num_queries,
):
    from immersio.directory.search import SearchQuery

    with django_assert_num_queries(0):
        assert selectors.search_section(SearchQuery(latitude=45.76, longitude=4.83)) is None
