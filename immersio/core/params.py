"""Form fields for parameters read from a query string (the directory search of the page
and of the API), and the OpenAPI schema of each: the bounds, choices and patterns of a
parameter are written once, on its field, and documented from it (``openapi_schema``).

Each field reads text as typed in a page or an URL and refuses, with the message of its
``error_messages``, what it cannot read; blank is "not given" (None, or False for a flag).
"""

from __future__ import annotations

import math
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from immersio.core.validators import NO_CONTROL_CHARACTERS_PATTERN

TRUE = frozenset({"1", "true", "on", "oui", "yes"})
FALSE = frozenset({"", "0", "false", "off", "non", "no"})
MAX_INTEGER_DIGITS = 9


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# Fields ------------------------------------------------------------------------------------


class NumberField(forms.Field):
    """A finite number, a decimal comma accepted (« 45,5 »), within [min_value, max_value]
    (``out_of_range`` otherwise). Blank: None."""

    def __init__(
        self, *, min_value: float | None = None, max_value: float | None = None, **kwargs: Any
    ):
        self.min_value, self.max_value = min_value, max_value
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> float | None:
        if _blank(value):
            return None
        try:
            number = float(str(value).strip().replace(",", "."))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not math.isfinite(number):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if (self.min_value is not None and value < self.min_value) or (
            self.max_value is not None and value > self.max_value
        ):
            raise ValidationError(self.error_messages["out_of_range"], code="out_of_range")


class WholeNumberField(NumberField):
    """An integer written with ASCII digits (and a minus sign), nine at most."""

    def to_python(self, value: Any) -> int | None:
        if _blank(value):
            return None
        text = str(value).strip()
        digits = text.removeprefix("-")
        if not (text.isascii() and digits.isdigit() and len(text) <= MAX_INTEGER_DIGITS):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)


class YesNoField(forms.Field):
    """A flag: true/false, 1/0, on/off, oui/non, yes/no; blank is false."""

    def __init__(self, **kwargs: Any):
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = "" if value is None else str(value).strip().lower()
        if text in TRUE:
            return True
        if text not in FALSE:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return False


class OptionalChoiceField(forms.ChoiceField):
    """One of ``choices``, or nothing (blank)."""

    def __init__(self, **kwargs: Any):
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> str:
        return "" if _blank(value) else str(value)


class CodeField(forms.CharField):
    """A code (ROME, INSEE), upper-cased; ``pattern`` is its format, documented for the
    API; the form says in one message that a code is malformed or unknown."""

    def __init__(self, *, pattern: str, **kwargs: Any):
        self.pattern = re.compile(pattern)
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> str:
        return super().to_python(value).upper()


class SlugsField(forms.Field):
    """A repeated parameter: a list of identifiers (blank ones dropped)."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs: Any):
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        return [item.strip() for item in value if isinstance(item, str) and item.strip()]


def openapi_schema(field: forms.Field) -> dict[str, Any]:
    """The JSON Schema (OpenAPI 3.1) of one query parameter, read from its form field."""
    if isinstance(field, YesNoField):
        return {"type": "boolean"}
    if isinstance(field, NumberField):
        schema: dict[str, Any] = {
            "type": "integer" if isinstance(field, WholeNumberField) else "number"
        }
        if field.min_value is not None:
            schema["minimum"] = field.min_value
        if field.max_value is not None:
            schema["maximum"] = field.max_value
        return schema
    if isinstance(field, forms.ChoiceField):
        return {"type": "string", "enum": [value for value, _ in field.choices if value]}
    if isinstance(field, SlugsField):
        return {
            "type": "array",
            "items": {"type": "string", "pattern": NO_CONTROL_CHARACTERS_PATTERN},
        }
    if isinstance(field, CodeField):
        return {"type": "string", "pattern": f"^{field.pattern.pattern}$"}
    schema = {"type": "string", "pattern": NO_CONTROL_CHARACTERS_PATTERN}
    if getattr(field, "max_length", None):
        schema["maxLength"] = field.max_length
    return schema
