"""The public pages of the directory: « Trouver une immersion » and a structure's page.

Thin: ``forms.build_query`` checks the parameters, ``search.search`` answers. Both pages
work without JavaScript (the métier and the commune typed without choosing a suggestion
are understood as the best suggestion); the map is an enhancement over the list.
No transaction around these read-only views.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.db import transaction
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from immersio.core.maps import map_settings
from immersio.core.pagination import page_of
from immersio.referentials import search as referentials
from immersio.referentials.models import Commune
from immersio.referentials.text import normalize
from immersio.structures import selectors
from immersio.structures.models import Cause, HostStructure, Network

from . import forms, hooks, indexing, search
from .forms import PAGE_SIZES, SORT_LABELS, SORTS

# Fields of the page ← parameters of ``forms.build_query`` they show the errors of.
ERROR_FIELDS = {
    "metier": "metier",
    "appellation": "metier",
    "rome": "metier",
    "commune": "lieu",
    "latitude": "lieu",
    "longitude": "lieu",
    "distance_km": "rayon",
    "q": "mots",
    "cause": "causes",
    "network": "reseaux",
    "kind": "type",
    "sort": "tri",
    "page_size": "par_page",
    "page": "page",
    "__all__": "__all__",
    "ess_only": "ess",
    "fit_for_disabled": "handicap",
    "minors_welcome": "mineurs",
}
FIELD_IDS = {
    "metier": "recherche-metier",
    "lieu": "recherche-lieu",
    "rayon": "recherche-rayon",
    "mots": "recherche-mots",
    "causes": "recherche-causes",
    "reseaux": "recherche-reseaux",
    "type": "recherche-type",
    "tri": "recherche-tri",
    "par_page": "recherche-par-page",
    "page": "resultats",
    "__all__": "recherche-metier",
    "ess": "recherche-ess",
    "handicap": "recherche-handicap",
    "mineurs": "recherche-mineurs",
}
SEARCH_KEYS = ("metier", "appellation", "lieu", "commune", "mots")
# A ROME code typed, alone or after the label the page wrote in its place.
ROME_IN_TEXT = re.compile(r"(?:^|\()\s*([A-Na-n]\d{4})\s*\)?$")
MAX_METIER_CHOICES_SHOWN = 5
MAX_RELATED_METIERS = 3
MAX_RELATED_TRIED = 8


class Errors(dict):
    """Error messages by field; a field without error reads as an empty message."""

    def __missing__(self, key):
        return ""


@dataclass
class PageForm:
    """What the person typed, kept to show it again (read by ``forms.SearchPageForm``),
    and its translation into the parameters of ``forms.build_query``."""

    metier: str = ""
    appellation: str = ""
    lieu: str = ""
    commune: str = ""
    rayon: str = ""
    mots: str = ""
    causes: tuple[str, ...] = ()
    reseaux: tuple[str, ...] = ()
    type: str = ""
    ess: bool = False
    handicap: bool = False
    mineurs: bool = False
    tri: str = "pertinence"
    par_page: str = str(search.DEFAULT_PAGE_SIZE)
    page: str = "1"
    #: The messages of ``forms.SearchPageForm`` (an order or a page size not offered).
    invalid: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_get(cls, data) -> PageForm:
        form = forms.SearchPageForm(data)
        values = form.values()
        values["causes"] = values.pop("cause")
        values["reseaux"] = values.pop("reseau")
        return cls(**values, invalid=form.first_errors())

    def resolve(self) -> tuple[dict, dict[str, str]]:
        """The parameters of ``forms.build_query`` and the errors found on the way (a métier or
        a commune typed without choosing a suggestion is matched to the best one)."""
        params: dict = {}
        errors: dict[str, str] = {}
        self._drop_stale_codes()
        if self.appellation:
            params["appellation"] = self.appellation
        elif self.metier:
            rome = ROME_IN_TEXT.search(self.metier)
            if rome:
                params["rome"] = rome[1]
            else:  # every métier the text matches (``search.metier_codes``)
                params["metier"] = self.metier
        if self.commune:
            params["commune"] = self.commune
        elif self.lieu:
            found = referentials.search_communes(self.lieu, 1)
            if found:
                self.commune = found[0].insee_code
                self.lieu = f"{found[0].name} ({found[0].department})"
                params["commune"] = self.commune
            else:
                errors["lieu"] = (
                    f"Aucune commune ne correspond à « {self.lieu} » : vérifiez l'orthographe "
                    "ou choisissez une commune dans les suggestions."
                )
        params.update(
            distance_km=self.rayon,
            q=self.mots,
            cause=list(self.causes),
            network=list(self.reseaux),
            kind=self.type,
            ess_only=self.ess,
            fit_for_disabled=self.handicap,
            minors_welcome=self.mineurs,
            page=self.page,
        )
        errors.update(self.invalid)
        if "tri" not in self.invalid:
            params["sort"] = SORTS[self.tri]
        if "par_page" not in self.invalid:
            params["page_size"] = self.par_page
        return params, errors

    def understood(self, query: search.SearchQuery) -> None:
        """Show what the search understood: the label of the one métier the text stands
        for, a ROME code as its label (never a raw code in the field)."""
        if query.appellation_code is not None and not self.appellation:
            found = search.appellation_labels.get().get(query.appellation_code)
            if found is not None:
                self.appellation, self.metier = str(found.code), found.label
        elif query.rome_code:
            label = (
                search.RomeMetier.objects.filter(pk=query.rome_code)
                .values_list("label", flat=True)
                .first()
            )
            self.metier = f"{label} ({query.rome_code})" if label else query.rome_code

    def _drop_stale_codes(self) -> None:
        """A code kept from an earlier search while the text was changed (without
        JavaScript, nothing empties the hidden field): the text wins."""
        if self.appellation and self.metier:
            label = None
            if self.appellation.isdigit():
                found = search.appellation_labels.get().get(int(self.appellation))
                label = found.label if found else None
            if label is not None and normalize(label) != normalize(self.metier):
                self.appellation = ""
        if self.commune and self.lieu:
            commune = (
                Commune.objects.filter(pk=self.commune).values_list("name", "department").first()
            )
            if commune is not None and normalize(self.lieu) not in {
                normalize(commune[0]),
                normalize(f"{commune[0]} ({commune[1]})"),
            }:
                self.commune = ""

    def url_params(self, **changes) -> str:
        """The query string of this search (for pagination and suggestions)."""
        values = {
            "metier": self.metier,
            "appellation": self.appellation,
            "lieu": self.lieu,
            "commune": self.commune,
            "rayon": self.rayon,
            "mots": self.mots,
            "cause": list(self.causes),
            "reseau": list(self.reseaux),
            "type": self.type,
            "ess": "1" if self.ess else "",
            "handicap": "1" if self.handicap else "",
            "mineurs": "1" if self.mineurs else "",
            "tri": self.tri,
            "par_page": self.par_page,
            "page": self.page,
        }
        values.update(changes)
        pairs = []
        for name, value in values.items():
            for item in value if isinstance(value, list) else [value]:
                if item not in ("", None) and not (name == "page" and str(item) == "1"):
                    pairs.append((name, item))
        return urlencode(pairs)

    @property
    def has_hidden_filters(self) -> bool:
        """Filters in the « Plus de critères » part of the form."""
        return bool(
            self.causes or self.reseaux or self.type or self.ess or self.handicap or self.mineurs
        )

    @property
    def has_filters(self) -> bool:
        return bool(
            self.mots
            or self.causes
            or self.reseaux
            or self.type
            or self.ess
            or self.handicap
            or self.mineurs
        )


def _suggestions(form: PageForm, query: search.SearchQuery | None) -> list[dict]:
    """Ways out of an empty result, each a link with the number of structures it finds
    where that is cheap: a wider radius, fewer filters, the whole ROME of the métier,
    related métiers (the same sectors hire them, or neighbours in the ROME), the nearest
    structures at any distance, the public board of requests."""
    suggestions: list[dict] = []
    if query is None:
        return suggestions
    if query.has_place:
        # The smallest wider radius that finds someone (none: the nearest, below).
        for wider in (choice for choice in search.DISTANCE_CHOICES if choice > query.distance_km):
            found = search.count(replace(query, distance_km=wider, page=1))
            if found:
                suggestions.append(
                    {
                        "label": f"Élargir la recherche à {wider} km",
                        "detail": _structures(found),
                        "url": "?" + form.url_params(rayon=wider, page=1),
                    }
                )
                break
    if form.has_filters:
        suggestions.append(
            {
                "label": "Retirer les mots-clés et les filtres",
                "url": "?"
                + form.url_params(
                    mots="",
                    cause=[],
                    reseau=[],
                    type="",
                    ess="",
                    handicap="",
                    mineurs="",
                    page=1,
                ),
            }
        )
    labels = search.appellation_labels.get()
    codes = (
        (query.appellation_code,) if query.appellation_code is not None else query.appellation_codes
    )
    rome = query.rome_code or next(
        (labels[code].rome_code for code in codes if code in labels), None
    )
    if rome is None:
        return [*suggestions, *_board_links()]
    neighbours = search.related_romes(rome)[:MAX_RELATED_TRIED]
    rome_labels = dict(
        search.RomeMetier.objects.filter(pk__in=[rome, *neighbours]).values_list("code", "label")
    )
    whole_rome = 0 if query.rome_code else search.count(_for_rome(query, rome))
    if whole_rome:  # a link to nothing would be one more dead end
        suggestions.append(
            {
                "label": (
                    f"Chercher tous les métiers proches (fiche ROME {rome} : {rome_labels[rome]})"
                ),
                "detail": _structures(whole_rome),
                "url": "?" + form.url_params(metier=rome, appellation="", page=1),
            }
        )
    related = []
    for code in neighbours:
        found = search.count(_for_rome(query, code))
        if found:
            related.append(
                {
                    "label": f"Un métier voisin : {rome_labels[code]} ({code})",
                    "detail": _structures(found),
                    "url": "?" + form.url_params(metier=code, appellation="", page=1),
                }
            )
        if len(related) == MAX_RELATED_METIERS:
            break
    suggestions.extend(related)
    return [*suggestions, *_board_links()]


def _structures(number: int) -> str:
    return f"{number} structure{'s' if number > 1 else ''}"


def _for_rome(query: search.SearchQuery, rome: str) -> search.SearchQuery:
    return replace(query, appellation_code=None, appellation_codes=(), rome_code=rome, page=1)


def _board_links() -> list[dict]:
    """The links higher apps add under a search without result (the board of requests)."""
    return [link for links in hooks.no_result_links for link in links()]


def _nearest(query: search.SearchQuery | None) -> list[dict]:
    """The nearest structures at any distance, for an empty result with a place."""
    if query is None or not query.has_place:
        return []
    return [
        {
            "name": hit.structure.display_name,
            "commune": hit.site.commune.name,
            "distance": hit.distance_km,
            "url": reverse("directory:structure", kwargs={"public_id": hit.structure.public_id}),
        }
        for hit in search.nearest_anywhere(replace(query, page=1))
    ]


def _metier_choices(form: PageForm, query: search.SearchQuery) -> list[dict]:
    """The métiers searched for a text typed without choosing a suggestion, each a link
    to the same search for that métier alone."""
    labels = search.appellation_labels.get()
    return [
        {
            "label": labels[code].label,
            "url": "?" + form.url_params(metier=labels[code].label, appellation=code, page=1),
        }
        for code in query.appellation_codes
        if code in labels
    ]


def _marker(hit_structure, site, distance=None) -> dict:
    return {
        "name": hit_structure.display_name,
        "lat": site.latitude,
        "lon": site.longitude,
        "url": reverse("directory:structure", kwargs={"public_id": hit_structure.public_id}),
        "commune": site.commune.name,
        "distance": None if distance is None else round(distance, 1),
    }


@require_GET
@transaction.non_atomic_requests
def search_page(request):
    form = PageForm.from_get(request.GET)
    submitted = any(key in request.GET for key in SEARCH_KEYS)
    errors = Errors()
    query = result = None
    if submitted:
        params, found = form.resolve()
        errors.update(found)
        try:
            query = forms.build_query(params, max_page_size=max(PAGE_SIZES))
        except search.InvalidQuery as invalid:
            for name, message in invalid.errors.items():
                errors.setdefault(ERROR_FIELDS.get(name, "__all__"), message)
            query = None
        if errors:
            query = None
        else:
            form.understood(query)
            try:
                result = search.search(query)
            except search.PageOutOfRange as error:
                errors["page"] = str(error)
    hits = result.hits if result else []
    sections = (
        [section for section_of in hooks.search_page_sections if (section := section_of(query))]
        if hits
        else []
    )
    context = {
        "sections": sections,
        "form": form,
        "submitted": submitted,
        "errors": errors,
        "error_list": [
            {"message": message, "target": FIELD_IDS.get(name, "recherche-metier")}
            for name, message in errors.items()
        ],
        "query": query,
        "result": result,
        "hits": hits,
        "pagination": (
            page_of(
                rows=hits,
                number=result.page,
                pages=result.pages,
                count=result.count,
                url_for=lambda number: "?" + form.url_params(page=number),
                label="Pages de résultats",
            )
            if result
            else None
        ),
        "suggestions": _suggestions(form, query) if result is not None and not result.count else [],
        "nearest": _nearest(query) if result is not None and not result.count else [],
        "metier_choices": _metier_choices(form, query) if result is not None else [],
        "metier_choices_shown": MAX_METIER_CHOICES_SHOWN,
        "distance_choices": [(str(km), f"{km} km") for km in search.DISTANCE_CHOICES],
        "sort_choices": SORT_LABELS,
        "page_sizes": [(str(size), str(size)) for size in PAGE_SIZES],
        "kinds": HostStructure.Kind.choices,
        "causes": [(cause.slug, cause.label) for cause in Cause.objects.all()],
        "networks": [(network.slug, network.name) for network in Network.objects.all()],
        "markers": [_marker(hit.structure, hit.site, hit.distance_km) for hit in hits],
        "center": (
            {"lat": query.latitude, "lon": query.longitude, "radius_km": query.distance_km}
            if query is not None and query.has_place
            else None
        ),
        "map": map_settings(),
        "rayon_selected": (
            form.rayon
            if form.rayon in {str(choice) for choice in search.DISTANCE_CHOICES}
            else str(search.DEFAULT_DISTANCE_KM)
        ),
        "filters_open": form.has_hidden_filters
        or any(
            name in errors for name in ("causes", "reseaux", "type", "ess", "handicap", "mineurs")
        ),
    }
    return render(request, "directory/search.html", context)


@require_GET
@transaction.non_atomic_requests
def structure_page(request, public_id):
    structure = get_object_or_404(
        HostStructure.objects.public().select_related("naf").prefetch_related("causes", "networks"),
        public_id=public_id,
    )
    sites = list(
        structure.sites.select_related("commune").prefetch_related("offers__appellation__rome")
    )
    for site in sites:
        site.appellation_list = sorted(
            (offer.appellation for offer in site.offers.all()), key=lambda a: a.label
        )
    now = timezone.now()
    paused_until = structure.paused_until if structure.is_paused else None
    availability = selectors.availability_for(structure, now=now)
    blocked_until = availability.blocked_until
    unavailable = paused_until is not None or blocked_until is not None
    available_again = None
    if unavailable:
        moments = [
            moment
            for moment in (
                indexing.end_of_pause(paused_until) if paused_until else None,
                blocked_until,
            )
            if moment is not None
        ]
        available_again = timezone.localtime(max(moments))
    context = {
        "structure": structure,
        "sites": sites,
        "causes": list(structure.causes.all()),
        "networks": list(structure.networks.all()),
        "usually_answers": search.usually_answers(structure.answer_rate),
        "paused_until": paused_until,
        "blocked_until": blocked_until,
        "unavailable": unavailable,
        "available_again": available_again,
        "similar": search.similar_structures(structure, now=now) if unavailable else [],
        "similar_max_km": search.MAX_DISTANCE_KM,  # the widest radius similar_structures tries
        "markers": [_marker(structure, site) for site in sites],
        "map": map_settings(),
        "search_url": reverse("directory:search"),
    }
    for extra in hooks.structure_page_context:
        context |= extra(structure)
    context["sections"] = [
        section
        for section_of in hooks.structure_page_sections
        if (section := section_of(structure))
    ]
    return render(request, "directory/structure.html", context)
