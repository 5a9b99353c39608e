"""Public API of the reference data: autocomplete of métiers and communes.

Read-only, anonymous, cacheable for an hour (the data changes a few times a year).
"""

import json
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from pydantic import AfterValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from immersio.api.schemas import ValidationErrorOut
from immersio.core.validators import NO_CONTROL_CHARACTERS_PATTERN, CleanStr

from . import search

router = Router(tags=["Référentiels"])

CACHE_CONTROL = "public, max-age=3600"


def _json(items) -> HttpResponse:
    """The response, serialised here rather than by django-ninja.

    The items are built from the typed results of ``search.py`` in the shape of the
    declared schemas, which document the API (the tests check that both agree). Having
    ninja validate them again would cost about 250 µs a request, more than the search.
    """
    response = HttpResponse(json.dumps(list(items)), content_type="application/json; charset=utf-8")
    response["Cache-Control"] = CACHE_CONTROL
    return response


class AppellationOut(Schema):
    code: str = Field(
        description="Code OGR de l'appellation (identifiant France Travail), en texte.",
        examples=["11573"],
    )
    label: str = Field(
        description="Intitulé de l'appellation, au masculin et au féminin.",
        examples=["Boulanger / Boulangère"],
    )
    rome_code: str = Field(
        description="Code de la fiche métier ROME à laquelle l'appellation appartient.",
        examples=["D1102"],
    )
    rome_label: str = Field(
        description="Intitulé de la fiche métier ROME.", examples=["Boulangerie - viennoiserie"]
    )


class CommuneOut(Schema):
    insee_code: str = Field(description="Code officiel géographique (INSEE).", examples=["69123"])
    name: str = Field(description="Nom de la commune.", examples=["Lyon"])
    department: str = Field(description="Code du département.", examples=["69"])
    postal_codes: list[str] = Field(
        description="Codes postaux de la commune.", examples=[["69001", "69002"]]
    )
    latitude: float | None = Field(
        description="Latitude (WGS 84) du centre de la commune ; absente pour quelques communes.",
        examples=[45.75881],
    )
    longitude: float | None = Field(
        description="Longitude (WGS 84) du centre de la commune ; absente pour quelques communes.",
        examples=[4.83533],
    )


def _check_query(value: str) -> str:
    if len(value) > search.MAX_QUERY_LENGTH:
        raise PydanticCustomError(
            "query_too_long",
            f"La recherche ne doit pas dépasser {search.MAX_QUERY_LENGTH} caractères.",
        )
    return value


def _check_limit(value: int) -> int:
    if not 1 <= value <= search.MAX_LIMIT:
        raise PydanticCustomError(
            "limit_out_of_range",
            f"Le nombre de résultats (limit) doit être compris entre 1 et {search.MAX_LIMIT}.",
        )
    return value


# The validators check the constraints with French messages; WithJsonSchema documents
# them in the OpenAPI schema.
SearchText = Annotated[
    CleanStr,
    AfterValidator(_check_query),
    WithJsonSchema(
        {
            "type": "string",
            "maxLength": search.MAX_QUERY_LENGTH,
            "pattern": NO_CONTROL_CHARACTERS_PATTERN,
        }
    ),
]
Limit = Annotated[
    int,
    AfterValidator(_check_limit),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": search.MAX_LIMIT}),
]
Q = Query(
    "",
    description=(
        f"Texte recherché, {search.MAX_QUERY_LENGTH} caractères au plus. Majuscules, accents, "
        "tirets et apostrophes sont ignorés. Vide : liste vide."
    ),
)
LIMIT = Query(
    search.DEFAULT_LIMIT,
    description=(
        f"Nombre maximal de résultats, de 1 à {search.MAX_LIMIT} "
        f"({search.DEFAULT_LIMIT} par défaut)."
    ),
)


@router.get(
    "/appellations",
    response={200: list[AppellationOut], 422: ValidationErrorOut},
    summary="Rechercher un métier (appellation ROME)",
    description=(
        "Autocomplétion des 11 000 appellations du ROME. Chaque mot tapé doit commencer un mot "
        "de l'intitulé (« conduc engin »), une faute de frappe est tolérée sur les mots de cinq "
        "lettres ou plus, un code ROME (« D1102 ») donne ses appellations. Les métiers qui "
        "recrutent le plus viennent en premier à pertinence égale."
    ),
    operation_id="referentials_appellations",
)
def appellations(request: HttpRequest, q: SearchText = Q, limit: Limit = LIMIT):
    return _json(
        {
            "code": str(result.code),
            "label": result.label,
            "rome_code": result.rome_code,
            "rome_label": result.rome_label,
        }
        for result in search.search_appellations(q, limit)
    )


@router.get(
    "/communes",
    response={200: list[CommuneOut], 422: ValidationErrorOut},
    summary="Rechercher une commune",
    description=(
        "Autocomplétion des communes et arrondissements municipaux par nom (avec ou sans "
        "accents, tirets, « st » pour « saint ») ou par début de code postal (« 69 », "
        "« 69001 »). Le nom exact vient d'abord, puis les communes les plus peuplées."
    ),
    operation_id="referentials_communes",
)
def communes(request: HttpRequest, q: SearchText = Q, limit: Limit = LIMIT):
    return _json(
        {
            "insee_code": result.insee_code,
            "name": result.name,
            "department": result.department,
            "postal_codes": list(result.postal_codes),
            "latitude": result.latitude,
            "longitude": result.longitude,
        }
        for result in search.search_communes(q, limit)
    )
