"""Validators for French identifiers, with messages a person can act on."""

import re
from typing import Annotated

from django.core.exceptions import ValidationError
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

# La Poste's establishments share the SIREN 356 000 000; their SIRET numbers do not pass
# the Luhn check but the sum of their digits is a multiple of 5 (INSEE rule).
LA_POSTE_SIREN = "356000000"


def luhn_ok(number: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def normalize_siret(value: str) -> str:
    """Removes the spaces, dots and dashes people type inside a SIRET."""
    return "".join(char for char in str(value or "") if char not in " .-\u00a0\u202f\t")


def siret_error(value: str) -> str | None:
    """The reason a SIRET is invalid, in French, or None when it is valid."""
    siret = normalize_siret(value)
    if not siret:
        return "Indiquez le numéro SIRET (14 chiffres)."
    if not siret.isdigit() or not siret.isascii():
        return "Le SIRET ne doit contenir que des chiffres."
    if len(siret) != 14:
        return f"Le SIRET doit compter 14 chiffres ; vous en avez saisi {len(siret)}."
    if siret.startswith(LA_POSTE_SIREN) and not luhn_ok(siret):
        if sum(int(char) for char in siret) % 5 == 0:
            return None
        return "Ce SIRET n'existe pas : sa clé de contrôle est fausse. Vérifiez chaque chiffre."
    if not luhn_ok(siret):
        return "Ce SIRET n'existe pas : sa clé de contrôle est fausse. Vérifiez chaque chiffre."
    return None


def validate_siret(value: str) -> None:
    error = siret_error(value)
    if error:
        raise ValidationError(error, code="invalid_siret")


# French phone numbers -------------------------------------------------------------------
# International prefixes of numbers that follow the French 10-digit plan (metropolitan
# France, Réunion and Mayotte, Guadeloupe, Saint-Martin and Saint-Barthélemy, Guyane,
# Martinique): "+33 6 12 34 56 78" is dialled "06 12 34 56 78".
FRENCH_PREFIXES = ("262", "590", "594", "596", "33")
# Overseas territories with their own, shorter plan, kept in international form:
# Saint-Pierre-et-Miquelon, Nouvelle-Calédonie, Wallis-et-Futuna (6 digits), Polynésie
# française (8 digits).
OVERSEAS_PLANS = {"508": 6, "687": 6, "681": 6, "689": 8}
PHONE_ERROR = (
    "Saisissez un numéro de téléphone français à 10 chiffres, par exemple 06 12 34 56 78 "
    "ou +33 6 12 34 56 78."
)
_PHONE_SEPARATORS = re.compile(r"[\s.\-/()]")
_NATIONAL = re.compile(r"0[1-9]\d{8}")


def _pairs(digits: str) -> str:
    return " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))


def normalize_french_phone(value: str) -> str:
    """The number as « 06 12 34 56 78 » (or « +689 87 12 34 56 »), or ``ValidationError``.

    Accepts spaces, dots, dashes, an international prefix (+33, 0033, +262…) with or
    without the trunk « (0) ». An empty value stays empty. The one phone check of the
    project: every phone field of every form and model goes through it.
    """
    compact = _PHONE_SEPARATORS.sub("", str(value or ""))
    if not compact:
        return ""
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+"):
        digits = compact[1:]
        if not (digits.isascii() and digits.isdigit()):
            raise ValidationError(PHONE_ERROR, code="invalid_phone")
        for prefix, length in OVERSEAS_PLANS.items():
            if digits.startswith(prefix) and len(digits) == len(prefix) + length:
                return f"+{prefix} {_pairs(digits[len(prefix) :])}"
        prefix = next((p for p in FRENCH_PREFIXES if digits.startswith(p)), None)
        if prefix is None:
            raise ValidationError(PHONE_ERROR, code="invalid_phone")
        national = digits[len(prefix) :]
        compact = national if national.startswith("0") else "0" + national
    if not (compact.isascii() and _NATIONAL.fullmatch(compact)):
        raise ValidationError(PHONE_ERROR, code="invalid_phone")
    return _pairs(compact)


def validate_french_phone(value: str) -> None:
    normalize_french_phone(value)


# Mobile numbers of the French plan dialled 06 xx / 07 xx whose country code is not +33:
# the overseas departments' mobiles (ARCEP plan). An SMS provider needs the real E.164.
OVERSEAS_MOBILE_PREFIXES = {
    "0639": "262",  # Mayotte
    "0690": "590",  # Guadeloupe, Saint-Martin, Saint-Barthélemy
    "0691": "590",
    "0692": "262",  # La Réunion
    "0693": "262",
    "0694": "594",  # Guyane
    "0696": "596",  # Martinique
    "0697": "596",
}


def normalise_french_mobile(phone: str) -> str | None:
    """A French mobile number in E.164 (« +33612345678 »), or None.

    Accepts what :func:`normalize_french_phone` accepts (spaces, dots, dashes, +33, 0033,
    +262…). Only 06 and 07 numbers can receive an SMS: a landline (01 to 05), a 08 or 09
    number, an empty value or anything that is not a phone number gives None. The
    overseas mobiles dialled 06 9x / 06 39 get their own country code.
    """
    try:
        national = normalize_french_phone(phone).replace(" ", "")
    except ValidationError:
        return None
    if len(national) != 10 or national[:2] not in {"06", "07"}:
        return None
    country = OVERSEAS_MOBILE_PREFIXES.get(national[:4], "33")
    return f"+{country}{national[1:]}"


# --- control characters ---------------------------------------------------------------------
# No text a person types holds C0 control characters (but tab, line feed and carriage
# return), DEL or lone surrogates; PostgreSQL refuses NUL outright (a 500). Every text
# input is refused with a French message when it holds one: forms and query strings by
# ``core.middleware.ControlCharactersMiddleware``, the API by ``CleanStr``.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
CONTROL_CHARACTER_MESSAGE = (
    "Ce texte contient un caractère invisible non autorisé (caractère de contrôle) : "
    "retirez-le, par exemple en retapant le texte au lieu de le coller."
)


def has_control_characters(value: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(value))


def validate_no_control_characters(value) -> None:
    """The forms' check (``FormDefaultsMixin`` adds it to every text field): the error
    stands next to the field and what was typed is shown again."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(CONTROL_CHARACTER_MESSAGE, code="control_characters")


def _refuse_control_characters(value: str) -> str:
    if has_control_characters(value):
        raise PydanticCustomError("control_character", CONTROL_CHARACTER_MESSAGE)
    return value


# The same rule for the OpenAPI document (an ECMA-262 pattern).
NO_CONTROL_CHARACTERS_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


class _DocumentedAsControlFree:
    """Adds ``NO_CONTROL_CHARACTERS_PATTERN`` to a string's JSON schema (unless it has a
    stricter pattern of its own)."""

    def __get_pydantic_json_schema__(self, core_schema, handler):
        schema = handler(core_schema)
        if schema.get("type") == "string" and "pattern" not in schema and "enum" not in schema:
            schema["pattern"] = NO_CONTROL_CHARACTERS_PATTERN
        return schema


# A string for the API (django-ninja parameters and schema fields) that refuses control
# characters with the French message, as a 422 like every other invalid value.
# ``CONTROL_FREE`` adds the rule to a string with constraints of its own, after them:
# ``Annotated[str, Field(max_length=…), *CONTROL_FREE]``.
CONTROL_FREE = (AfterValidator(_refuse_control_characters), _DocumentedAsControlFree())
CleanStr = Annotated[str, *CONTROL_FREE]


def example_siret(number: int) -> str:
    """A deterministic, Luhn-valid SIRET (its SIREN is Luhn-valid too), outside the
    ranges of real companies as far as possible (SIREN starting with 99)."""
    siren = _with_luhn_digit(f"99{number:06d}")
    return _with_luhn_digit(f"{siren}0001")


def _with_luhn_digit(digits: str) -> str:
    for check in "0123456789":
        if luhn_ok(digits + check):
            return digits + check
    raise AssertionError("unreachable: one digit always completes a Luhn number")
