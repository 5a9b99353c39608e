"""« Prénom N. »: one rule for every public page (testimonies, resource people, the
board)."""

import pytest

from immersio.contacts.models import BoardPost
from immersio.core.names import public_name
from immersio.resource_people.rules import display_name as person_name
from immersio.testimonies.rules import display_name as signature_of_testimony


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("Camille", "Durand", "Camille D."),
        ("  Camille ", " durand", "Camille D."),
        ("Camille", "", "Camille"),
        ("Camille", "D", "Camille D."),
        ("", "Durand", "Personne D."),
        ("", "", "Personne"),
    ],
)
def test_the_first_name_and_the_initial_only(first, last, expected):
    assert public_name(first, last, fallback="Personne") == expected


def test_without_a_fallback_the_initial_alone_is_shown():
    assert public_name("", "D", fallback="") == "D."


def test_each_page_keeps_its_own_fallback():
    assert person_name("", "") == "Une personne"
    assert signature_of_testimony("", "Durand", anonymous=False) == "Anonyme"
    assert signature_of_testimony("Camille", "Durand", anonymous=True) == "Anonyme"
    assert signature_of_testimony("Camille", "Durand", anonymous=False) == "Camille D."
    assert BoardPost(first_name="Camille", last_initial="D").display_name == "Camille D."
