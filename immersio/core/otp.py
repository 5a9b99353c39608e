"""One-time codes: making, hashing, comparing and masking (pure functions).

A code proves that a person controls an e-mail address or a mobile phone at this moment
(the signature's « Je signe »). Only its hash is stored: HMAC-SHA256 keyed with the
``SECRET_KEY`` (``salted_hmac``) and the code's purpose, over its subject and the code, so
a code of one purpose or subject never matches another, and a database dump alone does
not give the codes. ``accounts.services.issue_code`` / ``check_code`` keep the rows
(lifetime, attempts, single use).
"""

import hmac
import re
import secrets

from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac

from .validators import normalize_french_phone

#: Digits of a code.
CODE_LENGTH = 6
#: Wrong attempts after which a code is dead (a new one must be asked for).
MAX_WRONG_ATTEMPTS = 5
#: What hides the middle of an address or number on screen.
MASK = "•"

_TYPED_SEPARATORS = re.compile(r"[\s.\-]")


def generate_code() -> str:
    """A random code of ``CODE_LENGTH`` digits (leading zeros kept), from ``secrets``."""
    return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"


def clean_typed_code(typed: str) -> str | None:
    """The code as typed, without spaces, dots or dashes; None unless ``CODE_LENGTH``
    ASCII digits remain."""
    compact = _TYPED_SEPARATORS.sub("", str(typed or ""))
    if len(compact) == CODE_LENGTH and compact.isascii() and compact.isdigit():
        return compact
    return None


def hash_code(code: str, *, purpose: str, subject: str) -> str:
    """The stored form of ``code`` (64 hexadecimal characters)."""
    return salted_hmac(
        f"immersio.core.otp.{purpose}", f"{subject}\n{code}", algorithm="sha256"
    ).hexdigest()


def code_matches(typed: str, code_hash: str, *, purpose: str, subject: str) -> bool:
    """Whether ``typed`` is the code of ``code_hash``, compared in constant time."""
    code = clean_typed_code(typed)
    if code is None:
        return False
    return hmac.compare_digest(hash_code(code, purpose=purpose, subject=subject), code_hash)


def mask_email(address: str) -> str:
    """« c•••@exemple.fr »: the first letter and the domain, to say where a code went."""
    local, at, domain = str(address or "").strip().rpartition("@")
    if not at or not local:
        return MASK * 3
    return f"{local[0]}{MASK * 3}@{domain}"


def mask_phone(phone: str) -> str:
    """« 06 •• •• •• 12 »: the first and last pairs of the national number."""
    try:
        national = normalize_french_phone(phone)
    except ValidationError:
        national = ""
    pairs = national.split(" ")
    if national and not national.startswith("+") and len(pairs) == 5:
        return " ".join([pairs[0], *([MASK * 2] * 3), pairs[-1]])
    digits = "".join(char for char in str(phone or "") if char.isdigit())
    return f"{MASK * 2} {digits[-2:]}" if len(digits) >= 2 else MASK * 3
