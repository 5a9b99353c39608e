"""Public API of the directory: search of host structures.

Mounted under ``/api/v1/structures/`` (``immersio/api/urls.py``). Read-only, anonymous.
The query string is a ninja schema (``SearchParams``) whose parameters are read as text
and validated by the page's own form (``forms.SearchQueryForm``, which also documents
them); whatever is refused is a 422 with a French message, in the API's one error shape
(``immersio.api.errors``): ``{"detail": [{"type", "loc", "msg"}]}``.
"""

import json
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from pydantic import WithJsonSchema

from immersio.api.errors import InvalidParameters
from immersio.api.schemas import ValidationErrorOut
from immersio.core.params import openapi_schema
from immersio.core.validators import CleanStr

from . import search
from .forms import SearchQueryForm, build_query

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


FLAG = "true pour ne garder que ces structures."


def _documented(name: str):
    """A parameter read as text by ``SearchQueryForm``, so that whatever it refuses comes
    back with the form's French message, documented from the form's field (type, bounds,
    choices, pattern); control characters are refused first (``CleanStr``)."""
    schema = openapi_schema(SearchQueryForm.base_fields[name])
    return Annotated[CleanStr | None, WithJsonSchema(schema)]


class SearchParams(Schema):
    """The query string of a search; ``SearchQueryForm`` validates it."""

    appellation: _documented("appellation") = Field(
        None,
        description="Code OGR d'un métier (voir /api/v1/referentials/appellations).",
        examples=["16384"],
    )
    rome: _documented("rome") = Field(
        None, description="Code d'une fiche ROME : tous ses métiers.", examples=["A1414"]
    )
    metier: _documented("metier") = Field(
        None,
        description="Un métier en toutes lettres, sans code : la recherche porte sur toutes "
        "les appellations qui y correspondent (synonymes et noms d'activité compris : "
        "« maraîchage » → « Maraîcher / Maraîchère »…). Erreur 422 (unknown_metier) si "
        "aucune ne correspond. À la place d'appellation et de rome.",
        examples=["maraîchage"],
    )
    latitude: _documented("latitude") = Field(
        None, description="Latitude du lieu de recherche (avec la longitude)."
    )
    longitude: _documented("longitude") = Field(
        None, description="Longitude du lieu de recherche (avec la latitude)."
    )
    commune: _documented("commune") = Field(
        None,
        description="Code INSEE d'une commune, à la place des coordonnées.",
        examples=["69123"],
    )
    distance_km: _documented("distance_km") = Field(
        None,
        description=(
            f"Rayon en km, de {search.MIN_DISTANCE_KM} à {search.MAX_DISTANCE_KM} "
            f"({search.DEFAULT_DISTANCE_KM} par défaut)."
        ),
    )
    q: _documented("q") = Field(
        None,
        description="Mots-clés cherchés au début des mots du nom et de la présentation "
        "(sans accents ni majuscules).",
    )
    # Not ``Annotated``: django-ninja recognises repeated parameters by the plain list type.
    cause: list[CleanStr] | None = Field(
        None, description="Cause (identifiant) ; répétable : au moins une des causes."
    )
    network: list[CleanStr] | None = Field(
        None, description="Réseau (identifiant) ; répétable : au moins un des réseaux."
    )
    kind: _documented("kind") = Field(None, description="Type de structure.")
    ess_only: _documented("ess_only") = Field(None, description=FLAG)
    fit_for_disabled: _documented("fit_for_disabled") = Field(None, description=FLAG)
    minors_welcome: _documented("minors_welcome") = Field(None, description=FLAG)
    sort: _documented("sort") = Field(
        None,
        description="Ordre : relevance (pertinence, par défaut ; mélangée chaque jour entre "
        "structures proches), distance, date (récemment mises à jour).",
    )
    page: _documented("page") = Field(None, description="Numéro de page, à partir de 1.")
    page_size: _documented("page_size") = Field(
        None,
        description=f"Résultats par page, de 1 à {search.MAX_PAGE_SIZE} "
        f"({search.DEFAULT_PAGE_SIZE} par défaut).",
    )


# The ``type`` of the errors of each parameter.
ERROR_CODES = {
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


@router.get(
    "/search",
    response={200: SearchOut, 422: ValidationErrorOut},
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
def search_structures(request: HttpRequest, params: Query[SearchParams]):
    try:
        query = build_query(params.model_dump())
        result = search.search(query)
    except search.InvalidQuery as error:
        raise InvalidParameters.from_form_errors(error.errors, codes=ERROR_CODES) from None
    except search.PageOutOfRange as error:
        raise InvalidParameters.one("page", "page_out_of_range", str(error)) from None
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
