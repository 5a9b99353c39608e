"""Turn what a person typed into reference rows: a commune, a métier, a NAF code.

With JavaScript, the autocomplete fills a hidden code; without it (or when the person
typed without choosing), the text alone must say which row is meant. Each function
returns the row or raises ``ValidationError`` with a French message that says what to
type instead.
"""

import re

from django.core.exceptions import ValidationError

from immersio.referentials import search
from immersio.referentials.models import Appellation, Commune, NafCode
from immersio.referentials.text import normalize, normalize_commune_name

from .sirene import normalize_naf

_DEPARTMENT_SUFFIX = re.compile(r"^(?P<name>.+?)\s*\((?P<department>[0-9AB]{2,3})\)\s*$")
_POSTAL_CODE = re.compile(r"^\d{5}$")
_NAF = re.compile(r"^\d{4}[A-Z]$")


def _examples(labels: list[str]) -> str:
    return ", ".join(f"« {label} »" for label in labels[:3])


def resolve_commune(text: str, code: str = "") -> Commune:
    text = (text or "").strip()
    code = (code or "").strip()
    if code:
        commune = Commune.objects.filter(insee_code=code).first()
        if commune is not None:
            return commune
    if not text:
        raise ValidationError("Indiquez la commune.", code="required")
    department = ""
    match = _DEPARTMENT_SUFFIX.match(text)
    if match:
        text, department = match["name"], match["department"]
    results = search.search_communes(text, search.MAX_LIMIT)
    if department:
        results = [result for result in results if result.department == department]
    if _POSTAL_CODE.match(text):
        candidates = [result for result in results if text in result.postal_codes]
        if len(candidates) == 1:
            return Commune.objects.get(insee_code=candidates[0].insee_code)
    else:
        wanted = normalize_commune_name(text)
        candidates = [r for r in results if normalize_commune_name(r.name) == wanted]
        if len(candidates) == 1:
            return Commune.objects.get(insee_code=candidates[0].insee_code)
        if len(candidates) > 1:
            raise ValidationError(
                "Plusieurs communes portent ce nom : ajoutez le département, par exemple "
                + _examples([f"{r.name} ({r.department})" for r in candidates])
                + ".",
                code="ambiguous",
            )
    if candidates or results:
        shown = candidates or results
        raise ValidationError(
            "Choisissez la commune parmi les suggestions, ou écrivez son nom complet suivi "
            "du département, par exemple "
            + _examples([f"{r.name} ({r.department})" for r in shown])
            + ".",
            code="ambiguous",
        )
    raise ValidationError(
        "Nous ne trouvons pas cette commune : vérifiez l'orthographe ou tapez son code postal.",
        code="unknown",
    )


def _forms_of(label: str) -> set[str]:
    """« Maraîcher / Maraîchère » → {"maraicher", "maraichere", "maraicher maraichere"}."""
    forms = {normalize(label)}
    forms.update(normalize(part) for part in label.split("/"))
    return forms


def resolve_appellation(text: str, code: str = "") -> Appellation:
    text = (text or "").strip()
    code = (code or "").strip()
    if code.isdigit():
        appellation = Appellation.objects.filter(code=int(code)).first()
        if appellation is not None:
            return appellation
    if not text:
        raise ValidationError("Indiquez le métier.", code="required")
    results = search.search_appellations(text, search.MAX_LIMIT)
    wanted = normalize(text)
    exact = [result for result in results if wanted in _forms_of(result.label)]
    if len(exact) >= 1:
        return Appellation.objects.get(code=exact[0].code)
    if results:
        raise ValidationError(
            "Choisissez le métier parmi les suggestions, ou écrivez son intitulé exact, par "
            "exemple " + _examples([result.label for result in results]) + ".",
            code="ambiguous",
        )
    raise ValidationError(
        "Nous ne trouvons pas ce métier : essayez un autre mot, par exemple « jardinier ».",
        code="unknown",
    )


def resolve_naf(text: str) -> NafCode:
    code = normalize_naf(text)
    if not _NAF.match(code):
        raise ValidationError(
            "Le code NAF s'écrit avec 4 chiffres et une lettre, par exemple 01.13Z ou 8810A.",
            code="invalid",
        )
    naf = NafCode.objects.filter(code=code).first()
    if naf is None:
        raise ValidationError(
            f"Le code NAF {text.strip()} n'existe pas dans la nomenclature : vérifiez-le sur "
            "votre avis de situation au répertoire Sirene.",
            code="unknown",
        )
    return naf
