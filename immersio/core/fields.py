"""The fields every form of the project shares, so that one fix holds everywhere.

- Dates: one field class per purpose (birth, immersion, contract, pause, delegation), each
  with sane bounds, a French message next to the field and ``min``/``max`` on the input.
  A ``DateField`` without bounds is refused by ``tests/core/test_forms.py``.
- E-mail addresses: ``EmailAddressField``, one French message for a malformed address,
  the browser's e-mail keyboard without spell checking.
- Phones: ``PhoneField`` (forms) and ``PhoneNumberField`` (models) both run the one
  French phone check, ``core.validators.normalize_french_phone``.
- Long texts: ``FormDefaultsMixin`` shows the limit of every text area, lets people type
  or paste past it (the browser's ``maxlength`` cuts silently) and leaves the refusal to
  the server, with a French message that says the length; ``js/counter.js`` adds a live
  counter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.utils import timezone

from .validators import (
    normalize_french_phone,
    validate_french_phone,
    validate_no_control_characters,
)

# Dates ----------------------------------------------------------------------------------

INVALID_DATE = "Date invalide : indiquez une date qui existe, par exemple 04/03/2026."


def _years_from_today(years: int) -> Callable[[], date]:
    def bound() -> date:
        today = timezone.localdate()
        try:
            return today.replace(year=today.year + years)
        except ValueError:  # 29 February
            return today.replace(year=today.year + years, day=28)

    return bound


def _fixed(day: date) -> Callable[[], date]:
    return lambda: day


def _today() -> date:
    return timezone.localdate()


def french_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class DateBounds:
    """The dates a field accepts, for one purpose. Messages take ``{earliest}`` and
    ``{latest}`` (as 31/12/2026)."""

    purpose: str
    earliest: Callable[[], date]
    latest: Callable[[], date]
    too_early: str
    too_late: str

    def check(self, value: date | None) -> None:
        if value is None:
            return
        earliest, latest = self.earliest(), self.latest()
        words = {"earliest": french_date(earliest), "latest": french_date(latest)}
        if value < earliest:
            raise ValidationError(self.too_early.format(**words), code="date_too_early")
        if value > latest:
            raise ValidationError(self.too_late.format(**words), code="date_too_late")


BIRTH = DateBounds(
    "naissance",
    earliest=_fixed(date(1900, 1, 1)),
    latest=_today,
    too_early="Date de naissance impossible : indiquez une date à partir du {earliest}.",
    too_late="La date de naissance ne peut pas être dans le futur.",
)
IMMERSION = DateBounds(
    "immersion",
    earliest=_years_from_today(-1),
    latest=_years_from_today(2),
    too_early="Date trop ancienne pour une immersion : indiquez une date à partir du {earliest}.",
    too_late="Date trop lointaine pour une immersion : indiquez une date jusqu'au {latest}.",
)
CONTRACT = DateBounds(
    "contrat",
    earliest=_years_from_today(-10),
    latest=_years_from_today(10),
    too_early="Date de contrat trop ancienne : indiquez une date à partir du {earliest}.",
    too_late="Date de contrat trop lointaine : indiquez une date jusqu'au {latest}.",
)
# A filter over past and coming conventions (kept 5 years, validated up to 2 years ahead).
SEARCH = DateBounds(
    "recherche",
    earliest=_years_from_today(-10),
    latest=_years_from_today(3),
    too_early="Date trop ancienne pour une recherche : indiquez une date à partir du {earliest}.",
    too_late="Date trop lointaine pour une recherche : indiquez une date jusqu'au {latest}.",
)
PROPOSAL = DateBounds(
    "immersion proposée",
    earliest=_today,
    latest=_years_from_today(1),
    too_early="Cette date est passée : proposez le {earliest} ou plus tard.",
    too_late="Proposez une date dans l'année qui vient, au plus tard le {latest}.",
)
PAUSE = DateBounds(
    "pause",
    earliest=_today,
    latest=_years_from_today(1),
    too_early="Choisissez une date à venir.",
    too_late="Une pause dure un an au plus : indiquez une date jusqu'au {latest}.",
)
DELEGATION = DateBounds(
    "délégation",
    earliest=_today,
    latest=_years_from_today(10),
    too_early="La fin de la délégation doit être aujourd'hui ou plus tard.",
    too_late="Date trop lointaine : indiquez une fin de délégation jusqu'au {latest}.",
)


class BoundedDateInput(forms.DateInput):
    """``<input type="date">`` with ``min`` and ``max`` computed when it is shown."""

    input_type = "date"
    bounds: DateBounds | None = None

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs, format=format)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.bounds is not None:
            widget_attrs = context["widget"]["attrs"]
            widget_attrs.setdefault("min", self.bounds.earliest().isoformat())
            widget_attrs.setdefault("max", self.bounds.latest().isoformat())
        return context


class BoundedDateField(forms.DateField):
    """A date with the bounds of its purpose; subclasses set ``bounds``."""

    bounds: DateBounds
    widget = BoundedDateInput
    default_error_messages = {"invalid": INVALID_DATE}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.bounds = self.bounds

    def validate(self, value):
        super().validate(value)
        self.bounds.check(value)


class BirthDateField(BoundedDateField):
    bounds = BIRTH


class ImmersionDateField(BoundedDateField):
    bounds = IMMERSION


class SearchDateField(BoundedDateField):
    """A date to filter a list of conventions by."""

    bounds = SEARCH


class ProposedDateField(BoundedDateField):
    """A day a structure proposes when it accepts a request."""

    bounds = PROPOSAL


class ContractDateField(BoundedDateField):
    bounds = CONTRACT


class PauseDateField(BoundedDateField):
    bounds = PAUSE


class DelegationDateField(BoundedDateField):
    bounds = DELEGATION


# E-mail addresses -----------------------------------------------------------------------


class EmailAddressField(forms.EmailField):
    """An e-mail address typed by a person: at most 254 characters (RFC 5321), a French
    message when malformed, no spell checking; ``autocomplete`` says whose address it is
    (``"email"``, the person's own; ``"off"``, someone else's)."""

    default_error_messages = {
        "invalid": "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr.",
    }

    def __init__(self, *, autocomplete: str = "email", **kwargs):
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault(
            "widget",
            forms.EmailInput(attrs={"autocomplete": autocomplete, "spellcheck": "false"}),
        )
        super().__init__(**kwargs)


# Phones ---------------------------------------------------------------------------------


class PhoneField(forms.CharField):
    """A French phone number, cleaned to « 06 12 34 56 78 »."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"})
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)  # « +33 (0)6 12 34 56 78 » is longer than it is stored
        return attrs

    def to_python(self, value):
        return normalize_french_phone(super().to_python(value))


class PhoneNumberField(models.CharField):
    """A model's phone number: the same check, the same form field. Stored as a plain
    ``CharField`` (no migration: the column does not change)."""

    default_validators = [validate_french_phone]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhoneField, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


# Long texts and form-wide defaults ------------------------------------------------------


def french_number(number: int) -> str:
    """3000 → « 3 000 » (narrow no-break space, as French typography wants)."""
    return f"{number:,}".replace(",", "\u202f")


def is_long_text(field: forms.Field) -> bool:
    return (
        isinstance(field, forms.CharField)
        and isinstance(field.widget, forms.Textarea)
        and field.max_length is not None
    )


def _one_line_break(value):
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def apply_text_limit(field: forms.Field) -> None:
    """Shows the limit of a text area in its help text and to ``js/counter.js``; lets the
    server refuse a text that is too long rather than the browser cutting it."""
    if not is_long_text(field):
        return
    # Browsers send a line break as « \r\n »: count it as one character, as people do.
    to_python = field.to_python
    field.to_python = lambda value: _one_line_break(to_python(value))
    attrs = field.widget.attrs
    attrs.pop("maxlength", None)
    attrs["data-maxlength"] = str(field.max_length)
    help_text = str(field.help_text or "")
    if "caractères au maximum" not in help_text:
        limit = f"{french_number(field.max_length)} caractères au maximum."
        field.help_text = f"{help_text} {limit}".strip()
    message = field.error_messages.get("max_length", "")
    if "%(limit_value)d caractères" in message:
        field.error_messages = {
            **field.error_messages,
            "max_length": message.replace("%(limit_value)d", french_number(field.max_length)),
        }


def refuse_control_characters(field: forms.Field) -> None:
    """Every text field refuses control characters with the project's French message, next
    to the field (it replaces Django's NUL-only check, which would say it a second time)."""
    if not isinstance(field, forms.CharField):
        return
    field.validators = [
        v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
    ]
    if validate_no_control_characters not in field.validators:
        field.validators.append(validate_no_control_characters)


class FormDefaultsMixin:
    """What every form of the project does to its fields. The styled mixins of the apps
    (``StyledFormMixin``, ``BootstrapFormMixin``) inherit it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            apply_text_limit(field)
            refuse_control_characters(field)
