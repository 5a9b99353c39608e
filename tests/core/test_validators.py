import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from immersio.core.validators import luhn_ok, normalize_siret, siret_error, validate_siret


@pytest.mark.parametrize(
    "siret",
    [
        "73282932000074",  # a real, Luhn-valid SIRET
        "732 829 320 00074",  # typed with spaces
        "35600000000048",  # La Poste head office, Luhn-valid
        "35600000049837",  # a La Poste establishment: digits sum to a multiple of 5
    ],
)
def test_valid_siret(siret):
    assert siret_error(siret) is None
    validate_siret(siret)


@pytest.mark.parametrize(
    ("siret", "message"),
    [
        ("", "Indiquez le numéro SIRET"),
        ("123", "14 chiffres ; vous en avez saisi 3"),
        ("7328293200007", "vous en avez saisi 13"),
        ("732829320000744", "vous en avez saisi 15"),
        ("7328293200007A", "que des chiffres"),
        ("73282932000075", "clé de contrôle est fausse"),
        ("35600000049838", "clé de contrôle est fausse"),
    ],
)
def test_invalid_siret_says_why(siret, message):
    error = siret_error(siret)
    assert error is not None and message in error
    with pytest.raises(ValidationError):
        validate_siret(siret)


def test_normalize_siret_removes_separators():
    assert normalize_siret(" 732.829.320-00074 ") == "73282932000074"


@given(st.text(max_size=40))
def test_siret_error_never_crashes(text):
    error = siret_error(text)
    assert error is None or isinstance(error, str)


@given(st.from_regex(r"\A[0-9]{13}\Z"))
def test_exactly_one_check_digit_completes_a_luhn_number(prefix):
    valid = [digit for digit in "0123456789" if luhn_ok(prefix + digit)]
    assert len(valid) == 1
