"""The parameters of a directory search, validated once, by a Django form.

``SearchQueryForm`` reads the raw parameters of a search — text as typed in the page or
in an URL of the API, lists for the causes and networks — and makes a
:class:`~immersio.directory.search.SearchQuery`, or says what is wrong, in French,
parameter by parameter. The page (``views.search_page``, through ``PageForm.resolve``)
and the API (``api.search_structures``) both call :func:`build_query`; the API documents
each parameter from the form's field (``immersio.api.params.openapi_schema``), so the
bounds, choices and patterns are written here only.

Keys: ``appellation``, ``rome``, ``metier`` (a métier typed as text: every appellation it
matches, see ``search.metier_codes``), ``latitude``, ``longitude``, ``commune`` (INSEE
code), ``distance_km``, ``q``, ``cause`` and ``network`` (lists of slugs), ``kind``,
``ess_only``, ``fit_for_disabled``, ``minors_welcome``, ``sort``, ``page``,
``page_size``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from immersio.core.fields import FormDefaultsMixin
from immersio.core.params import (
    CodeField,
    NumberField,
    OptionalChoiceField,
    SlugsField,
    WholeNumberField,
    YesNoField,
)
from immersio.referentials.models import Commune
from immersio.structures.models import Cause, HostStructure, Network

from . import search
from .search import InvalidQuery, SearchQuery, Sort

# The form ----------------------------------------------------------------------------------


def _range(label: str, low: float, high: float, unit: str = "") -> str:
    return f"{label} doit être compris entre {low} et {high}{unit}."


def _coordinate(name: str, bound: int) -> NumberField:
    """The latitude or the longitude (``name``) of the place searched, within ±``bound``."""
    return NumberField(
        min_value=-bound,
        max_value=bound,
        error_messages={
            "invalid": f"La {name} doit être un nombre.",
            "out_of_range": f"La {name} doit être comprise entre -{bound} et {bound}.",
        },
    )


class SearchQueryForm(FormDefaultsMixin, forms.Form):
    """The parameters of a search; ``search_query`` once valid. Each ``clean_<name>``
    may read the parameters declared before it, so the messages come in the order of
    the fields, then the rules across parameters (``clean``)."""

    appellation = WholeNumberField(
        error_messages={"invalid": "Le métier doit être un nombre entier."}
    )
    rome = CodeField(pattern=r"[A-N][0-9]{4}")
    metier = forms.CharField(
        required=False,
        max_length=search.MAX_TEXT_LENGTH,
        error_messages={
            "max_length": (f"Le métier ne doit pas dépasser {search.MAX_TEXT_LENGTH} caractères.")
        },
    )
    latitude = _coordinate("latitude", 90)
    longitude = _coordinate("longitude", 180)
    commune = CodeField(pattern=r"([0-9][0-9AB]|2[AB])[0-9]{3}")
    distance_km = NumberField(
        min_value=search.MIN_DISTANCE_KM,
        max_value=search.MAX_DISTANCE_KM,
        error_messages={
            "invalid": "Le rayon doit être un nombre.",
            "out_of_range": _range(
                "Le rayon", search.MIN_DISTANCE_KM, search.MAX_DISTANCE_KM, " km"
            ),
        },
    )
    q = forms.CharField(
        required=False,
        max_length=search.MAX_TEXT_LENGTH,
        error_messages={
            "max_length": (
                f"Les mots-clés ne doivent pas dépasser {search.MAX_TEXT_LENGTH} caractères."
            )
        },
    )
    cause = SlugsField()
    network = SlugsField()
    kind = OptionalChoiceField(
        choices=HostStructure.Kind.choices,
        error_messages={
            "invalid_choice": "Type de structure inconnu (valeurs possibles : "
            + ", ".join(HostStructure.Kind.values)
            + ")."
        },
    )
    ess_only = YesNoField(
        error_messages={
            "invalid": "Économie sociale et solidaire : répondez par oui ou non (true ou false)."
        }
    )
    fit_for_disabled = YesNoField(
        error_messages={
            "invalid": "Accueil adapté au handicap : répondez par oui ou non (true ou false)."
        }
    )
    minors_welcome = YesNoField(
        error_messages={"invalid": "Accueil des mineurs : répondez par oui ou non (true ou false)."}
    )
    sort = OptionalChoiceField(
        choices=Sort.CHOICES,
        error_messages={"invalid_choice": "Tri inconnu : choisissez relevance, distance ou date."},
    )
    page = WholeNumberField(
        min_value=1,
        error_messages={
            "invalid": "Le numéro de page doit être un nombre entier.",
            "out_of_range": "Le numéro de page commence à 1.",
        },
    )
    page_size = WholeNumberField(
        min_value=1,
        max_value=search.MAX_PAGE_SIZE,
        error_messages={
            "invalid": "Le nombre de résultats doit être un nombre entier.",
            "out_of_range": _range("Le nombre de résultats par page", 1, search.MAX_PAGE_SIZE),
        },
    )

    def __init__(
        self,
        data: Mapping[str, Any],
        *,
        max_page_size: int = search.MAX_PAGE_SIZE,
        now: datetime | None = None,
    ):
        super().__init__(data)
        self.now = now
        self.search_query: SearchQuery | None = None
        if max_page_size != search.MAX_PAGE_SIZE:  # the page offers fewer sizes
            field = self.fields["page_size"]
            field.max_value = max_page_size
            field.error_messages = field.error_messages | {
                "out_of_range": _range("Le nombre de résultats par page", 1, max_page_size)
            }

    def _given(self, name: str) -> bool:
        """The parameter was read (valid or not): what the rules across parameters need."""
        return self.cleaned_data.get(name) is not None or name in self._errors

    def first_errors(self) -> dict[str, str]:
        """The first message of each parameter in error (``__all__``: the search as a whole)."""
        return {name: messages[0] for name, messages in self.errors.items()}

    # One parameter (after the ones before it) ---------------------------------------------

    def clean_appellation(self) -> int | None:
        code = self.cleaned_data["appellation"]
        if code is not None and code not in search.appellation_labels.get():
            raise ValidationError(
                f"Aucun métier ne porte le code {code} : choisissez-le dans la liste."
            )
        return code

    def clean_rome(self) -> str | None:
        rome = self.cleaned_data["rome"] or None
        if rome is None:
            return None
        appellation = self.cleaned_data.get("appellation")
        if appellation is not None:
            expected = search.appellation_labels.get()[appellation].rome_code
            if rome != expected:
                raise ValidationError(
                    f"Ce code ROME ne correspond pas au métier choisi (fiche {expected})."
                )
        elif not self.fields["rome"].pattern.fullmatch(rome) or rome not in search.rome_codes.get():
            raise ValidationError(f"Le code ROME « {rome[:10]} » n'existe pas (exemple : A1414).")
        return rome

    def clean_metier(self) -> str | tuple[int, ...] | None:
        """A ROME code typed as a métier (its code), else the appellations the text
        stands for."""
        metier = self.cleaned_data["metier"] or None
        if metier is None:
            return None
        if self._given("appellation") or self._given("rome"):
            raise ValidationError("Indiquez le métier par son nom ou par son code, pas les deux.")
        if self.fields["rome"].pattern.fullmatch(metier.upper()):
            if metier.upper() not in search.rome_codes.get():
                raise ValidationError(f"Le code ROME « {metier} » n'existe pas (exemple : A1414).")
            return metier.upper()
        codes = search.metier_codes(metier)
        if not codes:
            raise ValidationError(
                f"Aucun métier ne correspond à « {metier[:40]} » : vérifiez l'orthographe "
                "ou choisissez un métier dans les suggestions."
            )
        return codes

    def clean_longitude(self) -> float | None:
        longitude = self.cleaned_data["longitude"]
        if self._given("latitude") and longitude is None:
            raise ValidationError("Indiquez aussi la longitude (ou une commune).")
        if longitude is not None and not self._given("latitude"):
            self.add_error("latitude", "Indiquez aussi la latitude (ou une commune).")
        return longitude

    def clean_commune(self) -> tuple[float, float] | None:
        """The position of the commune."""
        commune = self.cleaned_data["commune"] or None
        if commune is None:
            return None
        if self._given("latitude") or self._given("longitude"):
            raise ValidationError("Indiquez une commune ou des coordonnées, pas les deux.")
        position = None
        if self.fields["commune"].pattern.fullmatch(commune):
            position = (
                Commune.objects.filter(pk=commune)
                .exclude(latitude=None)
                .values_list("latitude", "longitude")
                .first()
            )
        if position is None:
            raise ValidationError(
                f"Nous ne connaissons pas la commune de code « {commune[:10]} » : "
                "choisissez-la dans la liste."
            )
        return position

    def _mask(self, name: str, model: type[Cause] | type[Network], label: str) -> int:
        """The search bits of the slugs (the cache first, the database for a cause or a
        network added in the last minute)."""
        slugs = self.cleaned_data[name]
        if not slugs:
            return 0
        known = {item.slug: bit for bit, item in search.vocabulary()[model is Network].items()}
        bits = {slug: known[slug] for slug in slugs if slug in known}
        if len(bits) < len(set(slugs)):
            bits = dict(model.objects.filter(slug__in=slugs).values_list("slug", "bit"))
        unknown = [slug for slug in slugs if slug not in bits]
        if unknown:
            raise ValidationError(f"{label} : {', '.join(slug[:40] for slug in unknown[:5])}.")
        mask = 0
        for bit in bits.values():
            mask |= 1 << bit
        return mask

    def clean_cause(self) -> int:
        return self._mask("cause", Cause, "Cause inconnue")

    def clean_network(self) -> int:
        return self._mask("network", Network, "Réseau inconnu")

    # Across parameters ------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        position = data.get("commune")
        if position is None and data.get("latitude") is not None:
            position = (data["latitude"], data.get("longitude"))
        if position is not None and None in position:
            position = None
        place_errors = {"latitude", "longitude", "commune"} & self._errors.keys()
        if data.get("sort") == Sort.DISTANCE and position is None and not place_errors:
            self.add_error("sort", "Le tri par distance demande un lieu : choisissez une commune.")
        if self._errors:
            return data
        values: dict[str, Any] = {}
        if data.get("appellation") is not None:
            values["appellation_code"] = data["appellation"]
        elif data.get("rome"):
            values["rome_code"] = data["rome"]
        metier = data.get("metier")
        if isinstance(metier, str):
            values["rome_code"] = metier
        elif metier and len(metier) == 1:
            values["appellation_code"] = metier[0]
        elif metier:
            values["appellation_codes"] = metier
        if position is not None:
            values["latitude"], values["longitude"] = position
        if data.get("distance_km") is not None:
            values["distance_km"] = data["distance_km"]
        for name, key in (
            ("q", "text"),
            ("cause", "causes"),
            ("network", "networks"),
            ("kind", "kind"),
            ("sort", "sort"),
            ("page", "page"),
            ("page_size", "page_size"),
        ):
            if data.get(name):
                values[key] = data[name]
        for name in ("ess_only", "fit_for_disabled", "minors_welcome"):
            values[name] = data[name]
        query = SearchQuery(now=self.now, **values)
        if not (query.has_place or query.has_metier or query.text):
            raise ValidationError("Indiquez au moins un métier, un lieu ou des mots-clés.")
        self.search_query = query
        return data


# The page « Trouver une immersion » ---------------------------------------------------------

PAGE_SIZES = (12, 24, 48)
SORTS = {
    "pertinence": Sort.RELEVANCE,
    "distance": Sort.DISTANCE,
    "date": Sort.DATE,
}
SORT_LABELS = (
    ("pertinence", "Pertinence"),
    ("distance", "Distance"),
    ("date", "Récemment mises à jour"),
)


class TypedText(forms.Field):
    """Text as typed in the page, stripped and cut at ``limit`` characters, never refused
    here (:class:`SearchQueryForm` says what is wrong with it); ``default`` when blank."""

    def __init__(self, *, limit: int, default: str = "", **kwargs: Any):
        self.limit = limit
        self.default = default
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> str:
        text = value.strip()[: self.limit] if isinstance(value, str) else ""
        return text or self.default


class TypedList(forms.Field):
    """A repeated parameter of the page (boxes ticked): at most ``items`` values, each cut
    at ``limit`` characters."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, items: int, limit: int, **kwargs: Any):
        self.items = items
        self.limit = limit
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        return tuple(
            item[: self.limit] for item in (value or [])[: self.items] if isinstance(item, str)
        )


class TypedChoice(TypedText):
    """One of the values the page offers in a list (``default`` when blank)."""

    def __init__(self, *, values: tuple[str, ...], **kwargs: Any):
        self.values = values
        super().__init__(**kwargs)

    def validate(self, value: str) -> None:
        if value not in self.values:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")


def _sizes_in_words(sizes: tuple[int, ...]) -> str:
    """(12, 24, 48) → « 12, 24 ou 48 »."""
    words = [str(size) for size in sizes]
    return f"{', '.join(words[:-1])} ou {words[-1]}" if len(words) > 1 else words[0]


class SearchPageForm(forms.Form):
    """The parameters of the page « Trouver une immersion », under their French names:
    what the person typed, kept to be shown again (``views.PageForm``), and the two lists
    only the page has (order, results per page). The search itself is checked by
    :class:`SearchQueryForm`."""

    metier = TypedText(limit=200)
    appellation = TypedText(limit=20)
    lieu = TypedText(limit=200)
    commune = TypedText(limit=20)
    rayon = TypedText(limit=20, default=str(search.DEFAULT_DISTANCE_KM))
    mots = TypedText(limit=300)
    cause = TypedList(items=40, limit=60)
    reseau = TypedList(items=40, limit=60)
    type = TypedText(limit=30)
    ess = forms.BooleanField(required=False)
    handicap = forms.BooleanField(required=False)
    mineurs = forms.BooleanField(required=False)
    tri = TypedChoice(
        limit=20,
        default="pertinence",
        values=tuple(SORTS),
        error_messages={"invalid_choice": "Choisissez un ordre dans la liste."},
    )
    par_page = TypedChoice(
        limit=20,
        default=str(search.DEFAULT_PAGE_SIZE),
        values=tuple(str(size) for size in PAGE_SIZES),
        error_messages={
            "invalid_choice": f"Choisissez {_sizes_in_words(PAGE_SIZES)} résultats par page."
        },
    )
    page = TypedText(limit=20, default="1")

    def values(self) -> dict[str, Any]:
        """Every parameter, valid or not: a value refused keeps what was typed (the page
        shows it again with its message, ``first_errors``)."""
        self.is_valid()
        values = {}
        for name, field in self.fields.items():
            if name in self.cleaned_data:
                values[name] = self.cleaned_data[name]
            else:
                raw = field.widget.value_from_datadict(self.data, self.files, name)
                values[name] = field.to_python(raw)
        return values

    def first_errors(self) -> dict[str, str]:
        return {name: messages[0] for name, messages in self.errors.items()}


def build_query(
    params: Mapping[str, Any],
    *,
    max_page_size: int = search.MAX_PAGE_SIZE,
    now: datetime | None = None,
) -> SearchQuery:
    """The search ``params`` stand for (see :class:`SearchQueryForm`); raises
    :class:`~immersio.directory.search.InvalidQuery` with every problem found."""
    form = SearchQueryForm(params, max_page_size=max_page_size, now=now)
    if not form.is_valid():
        raise InvalidQuery(form.first_errors())
    return form.search_query
