"""The one error handler of the API: every refused parameter is a 422 in one shape.

``{"detail": [{"type": code, "loc": ["query", name], "msg": French message}]}``
(``schemas.ValidationErrorOut``) — whether the value was refused by django-ninja (its
schema: a control character, a type) or by the form that validates the parameters of an
endpoint (``InvalidParameters.from_form_errors``). ``install(api)`` registers it.

The convention check (``conventions.api``) keeps its own body shape (``violations``, as
the rules answer) and does not go through here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, get_args

from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from pydantic_core.core_schema import ErrorType

# Django's key for the errors of a form as a whole: the request as a whole here.
WHOLE = NON_FIELD_ERRORS

# French for pydantic's own errors (those the project's types raise carry their message).
PYDANTIC_MESSAGES = {
    "missing": "Paramètre obligatoire.",
    "string_type": "Texte attendu.",
    "int_type": "Nombre entier attendu.",
    "int_parsing": "Nombre entier attendu.",
    "int_from_float": "Nombre entier attendu.",
    "float_type": "Nombre attendu.",
    "float_parsing": "Nombre attendu.",
    "bool_type": "Valeur attendue : true ou false.",
    "bool_parsing": "Valeur attendue : true ou false.",
    "list_type": "Liste attendue.",
}
DEFAULT_MESSAGE = "Valeur invalide."
PYDANTIC_ERROR_TYPES = frozenset(get_args(ErrorType))


class InvalidParameters(Exception):
    """Parameters refused by an endpoint; ``detail`` is the body's list of errors."""

    def __init__(self, detail: list[dict[str, Any]]):
        self.detail = detail
        super().__init__("; ".join(item["msg"] for item in detail))

    @classmethod
    def from_form_errors(
        cls,
        errors: Mapping[str, str],
        *,
        codes: Mapping[str, str],
        where: str = "query",
    ) -> InvalidParameters:
        """From a form's messages by parameter (``__all__``: the request as a whole);
        ``codes`` gives the ``type`` of each parameter's errors (``invalid`` otherwise)."""
        return cls(
            [
                {
                    "type": codes.get(name, "invalid"),
                    "loc": [where] if name == WHOLE else [where, name],
                    "msg": message,
                }
                for name, message in errors.items()
            ]
        )

    @classmethod
    def one(cls, name: str, code: str, message: str, *, where: str = "query") -> InvalidParameters:
        """One parameter refused (e.g. a page past the last one, known after the search)."""
        return cls([{"type": code, "loc": [where, name], "msg": message}])


def _from_ninja(error: dict[str, Any]) -> dict[str, Any]:
    """One error of django-ninja in the API's shape: the project's own errors
    (``PydanticCustomError``, e.g. ``CleanStr``) keep their French message; pydantic's
    built-in ones are said in French."""
    kind = error.get("type", "invalid")
    message = str(error.get("msg", ""))
    if kind in PYDANTIC_ERROR_TYPES:
        message = PYDANTIC_MESSAGES.get(kind, DEFAULT_MESSAGE)
    return {"type": kind, "loc": list(error.get("loc", ())), "msg": message}


def response(detail: list[dict[str, Any]]) -> HttpResponse:
    return HttpResponse(
        json.dumps({"detail": detail}, ensure_ascii=False),
        status=422,
        content_type="application/json; charset=utf-8",
    )


def install(api: NinjaAPI) -> None:
    """Register the handler for both kinds of refusal on ``api``."""

    def invalid_parameters(request: HttpRequest, exc: InvalidParameters) -> HttpResponse:
        return response(exc.detail)

    def ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return response([_from_ninja(error) for error in exc.errors])

    api.add_exception_handler(InvalidParameters, invalid_parameters)
    api.add_exception_handler(NinjaValidationError, ninja_validation)
