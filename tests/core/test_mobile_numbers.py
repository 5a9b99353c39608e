"""``core.validators.normalise_french_mobile``: the E.164 number an SMS goes to."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from immersio.core.validators import normalise_french_mobile


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("0612345678", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("07-81-23-45-67", "+33781234567"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+33 (0)6 12 34 56 78", "+33612345678"),
        ("0033612345678", "+33612345678"),
        ("  +33 7 81 23 45 67 ", "+33781234567"),
        ("06 92 12 34 56", "+262692123456"),  # La Réunion
        ("+262 692 12 34 56", "+262692123456"),
        ("06 39 12 34 56", "+262639123456"),  # Mayotte
        ("06 90 12 34 56", "+590690123456"),  # Guadeloupe
        ("06 94 12 34 56", "+594694123456"),  # Guyane
        ("06 96 12 34 56", "+596696123456"),  # Martinique
    ],
)
def test_mobiles_become_e164(typed, e164):
    assert normalise_french_mobile(typed) == e164


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "01 23 45 67 89",  # Paris landline
        "04 72 00 00 00",  # Lyon landline
        "09 70 00 00 00",
        "08 00 00 00 00",
        "+33 1 23 45 67 89",
        "06 12 34 56",  # too short
        "06 12 34 56 78 90",
        "+44 7700 900123",  # not French
        "+689 87 12 34 56",  # Polynésie: its own plan
        "zéro six douze",
        "06 12 34 56 7a",
    ],
)
def test_landlines_and_garbage_give_none(typed):
    assert normalise_french_mobile(typed) is None


@given(st.text(max_size=30))
def test_never_raises(text):
    result = normalise_french_mobile(text)
    assert result is None or (result.startswith("+") and result[1:].isdigit())


@given(st.sampled_from("67"), st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_every_metropolitan_mobile_is_kept_whole(first, rest):
    number = f"0{first}{rest}"
    result = normalise_french_mobile(number)
    assert result is not None
    assert result.endswith(number[1:])
    assert normalise_french_mobile(" ".join(number[i : i + 2] for i in range(0, 10, 2))) == result
