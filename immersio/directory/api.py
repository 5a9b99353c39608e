"""Public API of the directory: search of host structures.

Mounted under ``/api/v1/structures/`` (``immersio/api/urls.py``). Read-only, anonymous.
Every parameter is read as text and checked by ``search.build_query``, so that every
error is a 422 with a French message, in the shape django-ninja uses for its own:
``{"detail": [{"type", "loc", "msg"}]}``.
"""

import json
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from pydantic import WithJsonSchema

from immersio.core.validators import NO_CONTROL_CHARACTERS_PATTERN, CleanStr

from . import search

router = Router(tags=["Annuaire"])


class AppellationOut(Schema):
    code: str = Field(description="Code OGR de l'appellation, en texte.", examples=["16384"])
    label: str = Field(description="Intitulé du métier.", examples=["Maraîcher / Maraîchère"])


class StructureOut(Schema):
    id: str = Field(
        description="Identifiant public (UUID) de la structure.",
        examples=["0b8f5a52-6f0e-4a55-9d1e-2f6f3c1b7a10"],
    )
    name: str = Field(description="Nom d'usage, sinon raison sociale.")
    distance_km: float | None = Field(
        description="Distance à vol d'oiseau (km) du lieu d'accueil le plus proche ; "
        "absente sans lieu de recherche.",
        examples=[3.42],
    )
    commune: str = Field(description="Commune de ce lieu d'accueil.", examples=["Vaulx-en-Velin"])
    latitude: float = Field(description="Latitude (WGS 84) de ce lieu.")
    longitude: float = Field(description="Longitude (WGS 84) de ce lieu.")
    appellations: list[AppellationOut] = Field(
        description="Métiers proposés à ce lieu (ceux qui correspondent au métier cherché)."
    )
    causes: list[str] = Field(description="Causes de la structure (identifiants).")
    networks: list[str] = Field(description="Réseaux de la structure (identifiants).")
    answer_rate: float | None = Field(
        description="Part des demandes des 12 derniers mois auxquelles la structure a "
        "répondu (0 à 1) ; absente sans demande.",
        examples=[0.9],
    )
    url: str = Field(description="Adresse de la page publique de la structure.")


class SearchOut(Schema):
    count: int = Field(description="Nombre total de structures trouvées.")
    page: int = Field(description="Numéro de la page (à partir de 1).")
    page_size: int = Field(description="Nombre de résultats par page.")
    results: list[StructureOut]


class ErrorItem(Schema):
    type: str = Field(description="Code de l'erreur.", examples=["unknown_appellation"])
    loc: list[str | int] = Field(
        description="Paramètre en cause (et rang de la valeur s’il est répété).",
        examples=[["query", "page"]],
    )
    msg: str = Field(description="Explication, en français.")


class ErrorOut(Schema):
    detail: list[ErrorItem]


def _text(schema: dict):
    """A parameter read as text (checked by ``build_query``), documented as ``schema``;
    control characters are refused (``CleanStr``)."""
    if schema.get("type") == "string" and not {"pattern", "enum"} & schema.keys():
        schema = schema | {"pattern": NO_CONTROL_CHARACTERS_PATTERN}
    return Annotated[CleanStr | None, WithJsonSchema(schema)]


# Not ``Annotated``: django-ninja recognises repeated parameters by the plain list type.
Slugs = list[CleanStr] | None

APPELLATION = Query(
    None,
    description="Code OGR d'un métier (voir /api/v1/referentials/appellations).",
    examples=["16384"],
)
METIER = Query(
    None,
    description="Un métier en toutes lettres, sans code : la recherche porte sur toutes "
    "les appellations qui y correspondent (synonymes et noms d'activité compris : "
    "« maraîchage » → « Maraîcher / Maraîchère »…). Erreur 422 (unknown_metier) si aucune "
    "ne correspond. À la place d'appellation et de rome.",
    examples=["maraîchage"],
)
ROME = Query(None, description="Code d'une fiche ROME : tous ses métiers.", examples=["A1414"])
LATITUDE = Query(None, description="Latitude du lieu de recherche (avec la longitude).")
LONGITUDE = Query(None, description="Longitude du lieu de recherche (avec la latitude).")
COMMUNE = Query(
    None,
    description="Code INSEE d'une commune, à la place des coordonnées.",
    examples=["69123"],
)
DISTANCE = Query(
    None,
    description=(
        f"Rayon en km, de {search.MIN_DISTANCE_KM} à {search.MAX_DISTANCE_KM} "
        f"({search.DEFAULT_DISTANCE_KM} par défaut)."
    ),
)
TEXT = Query(
    None,
    description="Mots-clés cherchés au début des mots du nom et de la présentation "
    "(sans accents ni majuscules).",
)
CAUSE = Query(None, description="Cause (identifiant) ; répétable : au moins une des causes.")
NETWORK = Query(None, description="Réseau (identifiant) ; répétable : au moins un des réseaux.")
KIND = Query(None, description="Type de structure.")
SORT = Query(
    None,
    description="Ordre : relevance (pertinence, par défaut ; mélangée chaque jour entre "
    "structures proches), distance, date (récemment mises à jour).",
)
PAGE = Query(None, description="Numéro de page, à partir de 1.")
PAGE_SIZE = Query(
    None,
    description=f"Résultats par page, de 1 à {search.MAX_PAGE_SIZE} "
    f"({search.DEFAULT_PAGE_SIZE} par défaut).",
)
FLAG = Query(None, description="true pour ne garder que ces structures.")

KINDS = [value for value, _ in search.HostStructure.Kind.choices]


@router.get(
    "/search",
    response={200: SearchOut, 422: ErrorOut},
    summary="Chercher des structures d'accueil",
    description=(
        "Structures publiées qui proposent un métier (code OGR, ou en toutes lettres) ou "
        "une fiche ROME autour "
        "d'un lieu (coordonnées ou commune) dans un rayon donné, filtrées par mots-clés, "
        "causes, réseaux, type. Un résultat par structure : son lieu d'accueil le plus "
        "proche. Les structures en pause ou qui ont atteint leur capacité n'apparaissent "
        "pas. Il faut au moins un métier, un lieu ou des mots-clés."
    ),
    operation_id="directory_search",
    url_name="directory_search",
)
def search_structures(
    request: HttpRequest,
    appellation: _text({"type": "integer"}) = APPELLATION,
    rome: _text({"type": "string", "pattern": "^[A-N][0-9]{4}$"}) = ROME,
    metier: _text({"type": "string", "maxLength": search.MAX_TEXT_LENGTH}) = METIER,
    latitude: _text({"type": "number", "minimum": -90, "maximum": 90}) = LATITUDE,
    longitude: _text({"type": "number", "minimum": -180, "maximum": 180}) = LONGITUDE,
    commune: _text({"type": "string", "pattern": "^[0-9][0-9AB][0-9]{3}$"}) = COMMUNE,
    distance_km: _text(
        {"type": "number", "minimum": search.MIN_DISTANCE_KM, "maximum": search.MAX_DISTANCE_KM}
    ) = DISTANCE,
    q: _text({"type": "string", "maxLength": search.MAX_TEXT_LENGTH}) = TEXT,
    cause: Slugs = CAUSE,
    network: Slugs = NETWORK,
    kind: _text({"type": "string", "enum": KINDS}) = KIND,
    ess_only: _text({"type": "boolean"}) = FLAG,
    fit_for_disabled: _text({"type": "boolean"}) = FLAG,
    minors_welcome: _text({"type": "boolean"}) = FLAG,
    sort: _text({"type": "string", "enum": list(search.Sort.VALUES)}) = SORT,
    page: _text({"type": "integer", "minimum": 1}) = PAGE,
    page_size: _text(
        {"type": "integer", "minimum": 1, "maximum": search.MAX_PAGE_SIZE}
    ) = PAGE_SIZE,
):
    params = {
        "appellation": appellation,
        "rome": rome,
        "metier": metier,
        "latitude": latitude,
        "longitude": longitude,
        "commune": commune,
        "distance_km": distance_km,
        "q": q,
        "cause": cause,
        "network": network,
        "kind": kind,
        "ess_only": ess_only,
        "fit_for_disabled": fit_for_disabled,
        "minors_welcome": minors_welcome,
        "sort": sort,
        "page": page,
        "page_size": page_size,
    }
    try:
        query = search.build_query(params)
        result = search.search(query)
    except search.InvalidQuery as error:
        return _errors(error.errors)
    except search.PageOutOfRange as error:
        return _errors({"page": str(error)}, code="page_out_of_range")
    body = {
        "count": result.count,
        "page": result.page,
        "page_size": result.page_size,
        "results": [
            {
                "id": str(hit.structure.public_id),
                "name": hit.structure.display_name,
                "distance_km": None if hit.distance_km is None else round(hit.distance_km, 3),
                "commune": hit.site.commune.name,
                "latitude": hit.site.latitude,
                "longitude": hit.site.longitude,
                "appellations": [
                    {"code": str(appellation.code), "label": appellation.label}
                    for appellation in hit.appellations
                ],
                "causes": [cause.slug for cause in hit.causes],
                "networks": [network.slug for network in hit.networks],
                "answer_rate": hit.structure.answer_rate,
                "url": request.build_absolute_uri(
                    reverse("directory:structure", kwargs={"public_id": hit.structure.public_id})
                ),
            }
            for hit in result.hits
        ],
    }
    # Serialised here: the items follow the declared schema (the tests check it), and
    # validating them again would cost more than the search.
    return HttpResponse(json.dumps(body), content_type="application/json; charset=utf-8")


_CODES = {
    "appellation": "unknown_appellation",
    "rome": "unknown_rome",
    "metier": "unknown_metier",
    "commune": "unknown_commune",
    "distance_km": "distance_out_of_range",
    "latitude": "invalid_latitude",
    "longitude": "invalid_longitude",
    "page": "invalid_page",
    "page_size": "invalid_page_size",
    "cause": "unknown_cause",
    "network": "unknown_network",
    "kind": "unknown_kind",
    "sort": "invalid_sort",
    "q": "text_too_long",
    "__all__": "missing_criteria",
}


def _errors(errors: dict[str, str], code: str | None = None) -> HttpResponse:
    detail = [
        {
            "type": code or _CODES.get(name, "invalid"),
            "loc": ["query"] if name == "__all__" else ["query", name],
            "msg": message,
        }
        for name, message in errors.items()
    ]
    return HttpResponse(
        json.dumps({"detail": detail}, ensure_ascii=False),
        status=422,
        content_type="application/json; charset=utf-8",
    )
