"""``core.otp``: codes made with ``secrets``, stored as an HMAC, masked for display."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from immersio.core import otp


def test_a_code_is_six_digits_and_they_vary():
    codes = {otp.generate_code() for _ in range(200)}
    assert all(len(code) == otp.CODE_LENGTH and code.isdigit() for code in codes)
    assert len(codes) > 190  # one in a million each: duplicates are rare


def test_leading_zeros_are_kept(monkeypatch):
    monkeypatch.setattr(otp.secrets, "randbelow", lambda n: 42)
    assert otp.generate_code() == "000042"


def test_the_hash_depends_on_the_code_the_purpose_the_subject_and_the_key(settings):
    base = otp.hash_code("123456", purpose="signature", subject="signatory:1")
    assert len(base) == 64 and base != "123456"
    assert otp.hash_code("123456", purpose="signature", subject="signatory:1") == base
    assert otp.hash_code("123457", purpose="signature", subject="signatory:1") != base
    assert otp.hash_code("123456", purpose="login", subject="signatory:1") != base
    assert otp.hash_code("123456", purpose="signature", subject="signatory:2") != base
    settings.SECRET_KEY = "another-test-key-0123456789abcdef0123456789abcdef0123"
    assert otp.hash_code("123456", purpose="signature", subject="signatory:1") != base


@pytest.mark.parametrize("typed", ["123456", " 123 456 ", "123-456", "12.34.56"])
def test_a_typed_code_matches_with_separators(typed):
    stored = otp.hash_code("123456", purpose="p", subject="s")
    assert otp.code_matches(typed, stored, purpose="p", subject="s")


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "123457", "12345a", "１２３４５６"])
def test_anything_else_does_not_match(typed):
    stored = otp.hash_code("123456", purpose="p", subject="s")
    assert not otp.code_matches(typed, stored, purpose="p", subject="s")


def test_the_comparison_is_constant_time(monkeypatch):
    calls = []
    real = otp.hmac.compare_digest
    monkeypatch.setattr(otp.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    otp.code_matches(
        "123456", otp.hash_code("123456", purpose="p", subject="s"), purpose="p", subject="s"
    )
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("camille@exemple.fr", "c•••@exemple.fr"),
        ("  c@exemple.fr ", "c•••@exemple.fr"),
        ("Jean.Dupont@mairie-lyon.fr", "J•••@mairie-lyon.fr"),
        ("pas-une-adresse", "•••"),
        ("", "•••"),
    ],
)
def test_mask_email(address, masked):
    assert otp.mask_email(address) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("06 12 34 56 12", "06 •• •• •• 12"),
        ("+33612345678", "06 •• •• •• 78"),
        ("0781234567", "07 •• •• •• 67"),
        ("+262692123456", "06 •• •• •• 56"),
        ("+689 87 12 34 56", "•• 56"),
        ("", "•••"),
    ],
)
def test_mask_phone(phone, masked):
    assert otp.mask_phone(phone) == masked


@given(st.text(max_size=40))
def test_masks_never_raise_nor_show_the_middle(text):
    for masked in (otp.mask_email(text), otp.mask_phone(text)):
        assert "•" in masked
    digits = "".join(c for c in text if c.isascii() and c.isdigit())
    if len(digits) == 10:
        assert digits[2:8] not in otp.mask_phone(text).replace(" ", "")
