"""SIRENE look-up behind an interface: what the registry knows about a SIRET.

The registration form asks ``lookup_siret(siret)`` to prefill the structure's identity
and first site. The answer may be ``None`` for many reasons (look-up disabled, service
down or slow, unknown SIRET, unexpected answer): the person then types everything.

- ``SireneClient`` is the protocol; ``RechercheEntreprisesClient`` calls the public
  « API Recherche d'entreprises » (no key needed) with a short timeout;
- ``get_sirene_client()`` returns the client named by ``settings.SIRENE_CLIENT`` (a
  dotted path, used by the tests) or the HTTP client when
  ``settings.SIRENE_LOOKUP_ENABLED`` is on, else a client that knows nothing.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://recherche-entreprises.api.gouv.fr/search"
TIMEOUT_SECONDS = 3
MAX_RESPONSE_BYTES = 2_000_000

# « Tranche d'effectif salarié » codes of SIRENE → our headcount ranges.
HEADCOUNT_RANGES = {
    "NN": "0",
    "00": "0",
    "01": "1-9",
    "02": "1-9",
    "03": "1-9",
    "11": "10-49",
    "12": "10-49",
    "21": "50-249",
    "22": "50-249",
    "31": "50-249",
    "32": "250+",
    "41": "250+",
    "42": "250+",
    "51": "250+",
    "52": "250+",
    "53": "250+",
}

# « Catégorie juridique » codes that say something about the kind of structure.
COOPERATIVE_SCOP = {"5458", "5558", "5658", "5385"}
COOPERATIVE_SCIC = {"5560", "5460", "5660", "5760", "5860"}
MUTUAL = {"8210", "8250", "8290", "8230"}
FOUNDATION = {"9300"}


@dataclass(frozen=True, slots=True)
class SireneEstablishment:
    siret: str
    name: str
    brand_name: str = ""
    address: str = ""
    postal_code: str = ""
    insee_code: str = ""
    commune_name: str = ""
    naf_code: str = ""  # « 0113Z », without the dot
    headcount: str = ""  # one of HostStructure.Headcount, or "" when unknown
    is_active: bool = True
    legal_form: str = ""  # « catégorie juridique », four digits
    is_ess: bool | None = None
    is_association: bool = False
    is_public: bool = False
    is_siae: bool = False

    @property
    def kind(self) -> str:
        """A guess of ``HostStructure.Kind`` from the legal form."""
        if self.is_siae:
            return "siae"
        if self.is_association or self.legal_form.startswith("92"):
            return "association"
        if self.is_public or self.legal_form.startswith(("7", "4")):
            return "public"
        if self.legal_form:
            return "entreprise"
        return ""

    @property
    def ess_status(self) -> str:
        """A guess of ``HostStructure.EssStatus`` from the legal form and the ESS flag."""
        if self.is_association or self.legal_form.startswith("92"):
            return "association"
        if self.legal_form in COOPERATIVE_SCOP:
            return "scop"
        if self.legal_form in COOPERATIVE_SCIC:
            return "scic"
        if self.legal_form in MUTUAL:
            return "mutuelle"
        if self.legal_form in FOUNDATION:
            return "fondation"
        if self.is_ess:
            return "societe_ess"
        return ""


class SireneClient(Protocol):
    def lookup(self, siret: str) -> SireneEstablishment | None: ...


class NoSireneClient:
    """Look-up disabled: the person types everything."""

    def lookup(self, siret: str) -> SireneEstablishment | None:
        return None


def normalize_naf(code: str | None) -> str:
    """« 01.13Z » → « 0113Z »."""
    return (code or "").replace(".", "").replace(" ", "").upper()


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _pick_establishment(result: dict, siret: str) -> dict | None:
    candidates = [*(result.get("matching_etablissements") or []), result.get("siege") or {}]
    for candidate in candidates:
        if isinstance(candidate, dict) and candidate.get("siret") == siret:
            return candidate
    return None


def parse_search_response(data: Any, siret: str) -> SireneEstablishment | None:
    """The establishment ``siret`` in a ``/search`` answer, or None."""
    if not isinstance(data, dict):
        return None
    for result in data.get("results") or []:
        if not isinstance(result, dict):
            continue
        establishment = _pick_establishment(result, siret)
        if establishment is None:
            continue
        complements = result.get("complements") or {}
        if not isinstance(complements, dict):
            complements = {}
        brands = establishment.get("liste_enseignes") or []
        brand = (_text(brands[0]) if isinstance(brands, list) and brands else "") or _text(
            establishment.get("nom_commercial")
        )
        headcount_code = _text(establishment.get("tranche_effectif_salarie")) or _text(
            result.get("tranche_effectif_salarie")
        )
        state = _text(establishment.get("etat_administratif")) or _text(
            result.get("etat_administratif")
        )
        is_ess = complements.get("est_ess")
        return SireneEstablishment(
            siret=siret,
            name=_text(result.get("nom_raison_sociale")) or _text(result.get("nom_complet")),
            brand_name=french_title(brand) if brand.isupper() else brand,
            address=_street_address(establishment),
            postal_code=_text(establishment.get("code_postal")),
            insee_code=_text(establishment.get("commune")),
            commune_name=_text(establishment.get("libelle_commune")),
            naf_code=normalize_naf(
                _text(establishment.get("activite_principale"))
                or _text(result.get("activite_principale"))
            ),
            headcount=HEADCOUNT_RANGES.get(headcount_code, ""),
            is_active=state != "F",
            legal_form=_text(result.get("nature_juridique")),
            is_ess=is_ess if isinstance(is_ess, bool) else None,
            is_association=bool(complements.get("identifiant_association")),
            is_public=bool(complements.get("est_service_public")),
            is_siae=bool(complements.get("est_siae")),
        )
    return None


_SMALL_WORDS = {
    "de",
    "du",
    "des",
    "la",
    "le",
    "les",
    "et",
    "à",
    "a",
    "aux",
    "au",
    "en",
    "sur",
    "sous",
}


def french_title(text: str) -> str:
    """« 12 RUE DE LA PAIX » → « 12 Rue de la Paix » (the registry writes in capitals)."""
    words = []
    for index, word in enumerate(text.lower().split()):
        if index and word in _SMALL_WORDS:
            words.append(word)
        elif "'" in word and len(word) > 2:
            head, _, tail = word.partition("'")
            words.append(f"{head}'{tail.capitalize()}" if len(head) == 1 else word.capitalize())
        else:
            words.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(words)


def _street_address(establishment: dict) -> str:
    """The street part of the address: « 12 RUE DES LILAS 69001 LYON » → « 12 rue des
    Lilas » would need a real parser; the registry's own parts are used when present."""
    parts = [
        _text(establishment.get("numero_voie")),
        _text(establishment.get("indice_repetition")),
        _text(establishment.get("type_voie")),
        _text(establishment.get("libelle_voie")),
    ]
    street = " ".join(part for part in parts if part)
    if not street:
        address = _text(establishment.get("adresse"))
        postal_code = _text(establishment.get("code_postal"))
        street = address.split(postal_code)[0].strip(" ,") if postal_code else address
    complement = _text(establishment.get("complement_adresse"))
    if complement:
        street = f"{complement}, {street}" if street else complement
    return french_title(street) if street.isupper() else street


class RechercheEntreprisesClient:
    """The public « API Recherche d'entreprises » (``/search?q=<siret>``)."""

    def __init__(self, url: str = DEFAULT_API_URL, timeout: float = TIMEOUT_SECONDS):
        self.url = url
        self.timeout = timeout

    def lookup(self, siret: str) -> SireneEstablishment | None:
        query = urllib.parse.urlencode({"q": siret, "page": 1, "per_page": 1})
        request = urllib.request.Request(  # noqa: S310 (the URL is a setting, https)
            f"{self.url}?{query}",
            headers={"Accept": "application/json", "User-Agent": "Immersio"},
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            data = json.loads(response.read(MAX_RESPONSE_BYTES))
        return parse_search_response(data, siret)


def get_sirene_client() -> SireneClient:
    dotted = getattr(settings, "SIRENE_CLIENT", "")
    if dotted:
        return import_string(dotted)()
    if getattr(settings, "SIRENE_LOOKUP_ENABLED", False):
        return RechercheEntreprisesClient(
            getattr(settings, "SIRENE_API_URL", "") or DEFAULT_API_URL
        )
    return NoSireneClient()


def lookup_siret(siret: str) -> SireneEstablishment | None:
    """What SIRENE knows about ``siret``; None on any failure (the person types it)."""
    try:
        return get_sirene_client().lookup(siret)
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        logger.info("Recherche SIRENE indisponible pour un SIRET : %s", type(exc).__name__)
    except Exception:  # a bug or an unexpected answer must not break the form
        logger.exception("Erreur inattendue pendant la recherche SIRENE.")
    return None
