"""Validators for the people's details."""

import re

from django.core.exceptions import ValidationError

# International prefixes of numbers that follow the French 10-digit plan (metropolitan
# France, Réunion and Mayotte, Saint-Pierre-et-Miquelon, Guadeloupe and the French
# Antilles, Guyane, Martinique): "+33 6 12 34 56 78" is dialled "06 12 34 56 78".
FRENCH_PREFIXES = ("262", "508", "590", "594", "596", "33")
PHONE_ERROR = (
    "Saisissez un numéro de téléphone français à 10 chiffres, par exemple 06 12 34 56 78 "
    "ou +33 6 12 34 56 78."
)
_SEPARATORS = re.compile(r"[\s.\-/()]")
_NATIONAL = re.compile(r"0[1-9]\d{8}")


def normalize_french_phone(value: str) -> str:
    """Return the number as « 06 12 34 56 78 », or raise ``ValidationError`` in French.

    Accepts spaces, dots, dashes, an international prefix (+33, 0033, +262…) with or
    without the trunk « (0) ». An empty value stays empty.
    """
    compact = _SEPARATORS.sub("", value or "")
    if not compact:
        return ""
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+"):
        digits = compact[1:]
        prefix = next((p for p in FRENCH_PREFIXES if digits.startswith(p)), None)
        if prefix is None:
            raise ValidationError(PHONE_ERROR, code="invalid_phone")
        national = digits[len(prefix) :]
        compact = national if national.startswith("0") else "0" + national
    if not _NATIONAL.fullmatch(compact):
        raise ValidationError(PHONE_ERROR, code="invalid_phone")
    return " ".join(compact[i : i + 2] for i in range(0, 10, 2))
