"""Validators for the people's details: the project's one phone check lives in
``immersio.core.validators``; these names stay for the code that imports them here."""

from immersio.core.validators import PHONE_ERROR, normalize_french_phone, validate_french_phone

__all__ = ["PHONE_ERROR", "normalize_french_phone", "validate_french_phone"]
