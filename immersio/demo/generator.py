"""A synthetic directory for benchmarks and demonstrations, built from the real referentials.

Realistic on the points the search cares about:

* places: communes drawn by population (Paris, Lyon and Marseille through their
  arrondissements), a site a little away from the commune's centre (a jitter of a few
  hundred metres to a few kilometres, growing with the population);
* activities: a NAF code drawn by its share of hirings (``RomeNafHiring``), then the
  métiers of each site through the ROME ↔ NAF mapping weighted by hirings, 1 to 4
  appellations per site drawn within the chosen ROME codes; about 2 offers per structure
  (5 % of structures have a second site, in the same department);
* the rest plausibly: kind from the NAF division (associations, public bodies, SIAE),
  associations and SIAE mostly in the ESS and more often in networks, causes hinted by the
  activity, names from the NAF label, a surname and the commune, Luhn-valid unique SIRETs,
  a few paused, pending, suspended or closed structures.

The fast path writes straight into the tables with ``executemany`` in large batches
(structures, sites, offers, causes, networks, then the search index computed by the same
functions as ``indexing.py``): no model instances, no per-row query. It allocates primary
keys after the largest existing ones: run it when nobody else creates structures.

Deterministic: the same seed on the same (empty) database gives the same directory.
"""

from __future__ import annotations

import time as clock
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from immersio.directory import indexing
from immersio.directory.models import IndexEntry, StructureText
from immersio.referentials.models import Appellation, Commune, NafCode, RomeNafHiring
from immersio.structures import rules
from immersio.structures.models import (
    IDENTITY_FIELDS,
    WELCOME_FIELDS,
    Cause,
    HostStructure,
    Network,
    Offer,
    Site,
)

SOURCE = "annuaire-synthetique"
BATCH = 20_000  # structures written at a time
CHUNK = 1_000  # structures drawn at a time (the draws do not depend on BATCH)
EXECUTEMANY_ROWS = 5_000

# Paris, Lyon, Marseille: their arrondissements are drawn instead of the whole commune.
PLM = {"75056", "69123", "13055"}

SURNAMES = (
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefebvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefèvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Garcia",
    "Perrin",
    "Robin",
    "Clément",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Gautier",
    "Masson",
    "Marchand",
    "Duval",
    "Denis",
    "Dumont",
    "Marie",
    "Lemaire",
    "Noël",
    "Meyer",
    "Dufour",
    "Meunier",
    "Brun",
    "Blanchard",
    "Giraud",
    "Joly",
    "Rivière",
    "Lucas",
    "Brunet",
    "Gaillard",
    "Barbier",
    "Arnaud",
    "Martinez",
    "Gérard",
    "Roche",
    "Renard",
    "Schmitt",
    "Roy",
    "Leroux",
    "Colin",
    "Vidal",
    "Caron",
    "Picard",
    "Roger",
    "Fabre",
    "Aubert",
    "Lemoine",
    "Renaud",
    "Dumas",
    "Lacroix",
    "Olivier",
    "Philippe",
    "Bourgeois",
    "Pierre",
    "Benoît",
    "Rey",
    "Leclerc",
    "Payet",
    "Rolland",
    "Leclercq",
    "Guillaume",
    "Lecomte",
    "Lopez",
    "Jean",
    "Dupuy",
    "Guillot",
    "Hubert",
    "Berger",
    "Carpentier",
    "Sanchez",
    "Dupuis",
    "Moulin",
    "Louis",
    "Deschamps",
    "Huet",
    "Vasseur",
    "Perez",
    "Boucher",
    "Fleury",
    "Royer",
    "Klein",
    "Jacquet",
    "Adam",
    "Paris",
    "Poirier",
    "Marty",
    "Aubry",
    "Guyot",
    "Carré",
    "Charles",
    "Renault",
    "Charpentier",
    "Ménard",
    "Maillard",
    "Baron",
    "Bertin",
    "Bailly",
    "Hervé",
    "Schneider",
    "Fernandez",
    "Le Gall",
    "Collet",
    "Léger",
    "Bouvier",
    "Julien",
    "Prévost",
    "Millet",
    "Perrot",
    "Daniel",
    "Le Roux",
    "Cousin",
    "Germain",
    "Breton",
    "Besson",
    "Langlois",
    "Rémy",
    "Le Goff",
    "Pelletier",
    "Lévêque",
    "Perrier",
    "Leblanc",
    "Barré",
    "Lebrun",
    "Marchal",
    "Weber",
    "Mallet",
    "Hamon",
    "Boulanger",
    "Jacob",
    "Monnier",
    "Michaud",
    "Rodriguez",
    "Guichard",
    "Gillet",
    "Étienne",
    "Grondin",
    "Poulain",
    "Tessier",
    "Chevallier",
    "Collin",
    "Chauvin",
    "Da Silva",
    "Bouchet",
)
FIRST_NAMES = (
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Inès",
    "Jade",
    "Louise",
    "Alice",
    "Lina",
    "Rose",
    "Anna",
    "Mila",
    "Emma",
    "Zoé",
    "Sarah",
    "Nina",
    "Gabriel",
    "Louis",
    "Raphaël",
    "Jules",
    "Adam",
    "Lucas",
    "Léo",
    "Hugo",
    "Arthur",
    "Nathan",
    "Paul",
    "Tom",
    "Sacha",
    "Noah",
    "Malo",
    "Yanis",
    "Karim",
    "Fatou",
    "Mamadou",
    "Aïcha",
    "Youssef",
    "Nadia",
    "Sofiane",
    "Mélanie",
    "Julien",
    "Nicolas",
    "Céline",
)
STREET_KINDS = ("rue", "rue", "rue", "avenue", "boulevard", "chemin", "place", "impasse", "route")
STREET_NAMES = (
    "de la République",
    "Victor Hugo",
    "Jean Jaurès",
    "de la Gare",
    "du Moulin",
    "des Lilas",
    "Pasteur",
    "de l'Église",
    "du Général de Gaulle",
    "des Écoles",
    "de la Mairie",
    "Jules Ferry",
    "du Stade",
    "des Tilleuls",
    "de la Paix",
    "Louise Michel",
    "des Acacias",
    "du Port",
    "de la Fontaine",
    "des Jardins",
    "du Marché",
    "de Verdun",
    "Gambetta",
    "des Vignes",
    "de la Liberté",
    "Émile Zola",
    "Voltaire",
    "des Peupliers",
    "du Château",
    "Carnot",
)
SENTENCES = (
    "Nous accueillons volontiers des personnes qui veulent découvrir nos métiers.",
    "Une équipe soudée, prête à transmettre son savoir-faire.",
    "Venez voir comment se passe une journée chez nous avant de vous lancer.",
    "Nous formons régulièrement des personnes en reconversion.",
    "Ici, chaque journée est différente : vous serez accompagné par un tuteur.",
    "Nous recrutons souvent après une immersion réussie.",
    "Structure engagée dans son territoire depuis plus de dix ans.",
    "Ouverts aux débutants comme aux personnes expérimentées.",
)

# Causes hinted by the NAF division (the two first digits).
CAUSE_HINTS = {
    "alimentation": ("01", "03", "10", "11", "46", "47", "56"),
    "agriculture-paysanne": ("01", "02", "03"),
    "biodiversite-nature": ("01", "02", "71", "81", "91", "94"),
    "climat-energie": ("35", "43", "71"),
    "economie-circulaire": ("33", "38", "39", "45", "95"),
    "mobilites": ("29", "30", "45", "49", "77"),
    "habitat": ("41", "43", "68", "81"),
    "tiers-lieux": ("56", "68", "82", "90", "94"),
    "solidarite-lien-social": ("87", "88", "94"),
    "inclusion-handicap": ("86", "87", "88"),
    "intergenerationnel": ("87", "88"),
    "education-populaire": ("85", "93", "94"),
    "culture": ("58", "59", "90", "91"),
    "sante": ("75", "86", "87"),
    "numerique-responsable": ("58", "62", "63", "95"),
    "eau": ("36", "37", "39"),
    "egalite": ("84", "88", "94"),
}
NETWORK_WEIGHTS = {
    "cress": 6,
    "ambition-ess": 3,
    "france-tiers-lieux": 2,
    "fne": 2,
    "graine": 1,
    "frene": 1,
    "reseau-tee": 1,
    "relief": 1,
    "apogees": 1,
    "jobs-that-make-sense": 2,
    "autre": 1,
}

Kind = HostStructure.Kind
Ess = HostStructure.EssStatus
Status = HostStructure.Status


@dataclass
class Referentials:
    """The reference data the generator draws from, as arrays."""

    commune_codes: np.ndarray
    commune_names: list[str]
    commune_postal: list[str]
    commune_lat: np.ndarray
    commune_lon: np.ndarray
    commune_cum: np.ndarray  # cumulative population, for drawing
    commune_sigma_km: np.ndarray
    # Communes of each department, for the second site: flat keys ``dept + cumulative``.
    dept_of_commune: np.ndarray
    dept_keys: np.ndarray
    dept_communes: np.ndarray
    naf_codes: list[str]
    naf_labels: list[str]
    naf_divisions: list[str]
    naf_cum: np.ndarray
    # ROME codes of each NAF: flat keys ``naf index + cumulative share of hirings``.
    naf_rome_keys: np.ndarray
    naf_rome: np.ndarray  # index into rome_codes
    rome_codes: list[str]
    rome_offsets: np.ndarray  # appellations of ROME r: appellations[offsets[r]:offsets[r+1]]
    appellations: np.ndarray
    causes: list[tuple[int, int, str]] = field(default_factory=list)  # (id, bit, slug)
    networks: list[tuple[int, int, str]] = field(default_factory=list)


def load_referentials() -> Referentials:
    rows = list(
        Commune.objects.exclude(latitude=None)
        .exclude(longitude=None)
        .exclude(insee_code__in=PLM)
        .order_by("insee_code")
        .values_list("insee_code", "name", "postal_codes", "latitude", "longitude", "population")
    )
    if not rows:
        raise RuntimeError(
            "Référentiels absents : lancez d'abord « manage.py import_referentials »."
        )
    population = np.array([max(1, row[5] or 1) for row in rows], dtype=np.float64)
    departments = [_department(row[0]) for row in rows]
    dept_names = sorted(set(departments))
    dept_index = {name: index for index, name in enumerate(dept_names)}
    dept_of_commune = np.array([dept_index[name] for name in departments], dtype=np.int64)
    # Communes grouped by department; in each group, the keys run from dept (excluded)
    # to dept + 1 (included) in proportion to the population: dept + u finds a commune.
    order = np.argsort(dept_of_commune, kind="stable")
    sorted_dept = dept_of_commune[order]
    cumulative = np.cumsum(population[order])
    groups = np.arange(len(dept_names))
    starts = np.searchsorted(sorted_dept, groups)
    ends = np.searchsorted(sorted_dept, groups, side="right")
    before = np.where(starts > 0, cumulative[np.maximum(starts - 1, 0)], 0.0)
    totals = cumulative[ends - 1] - before
    dept_keys = sorted_dept + (cumulative - before[sorted_dept]) / totals[sorted_dept]

    hirings = dict(
        RomeNafHiring.objects.values_list("naf").annotate(total=Sum("hirings")).order_by()
    )
    labels = dict(NafCode.objects.values_list("code", "label"))
    naf_codes = sorted(code for code, total in hirings.items() if total > 0)
    per_naf: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for rome, naf, count in RomeNafHiring.objects.order_by("naf", "rome").values_list(
        "rome", "naf", "hirings"
    ):
        if count > 0:
            per_naf[naf].append((rome, count))
    by_rome: dict[str, list[int]] = defaultdict(list)
    for code, rome in Appellation.objects.order_by("rome", "code").values_list("code", "rome"):
        by_rome[rome].append(code)
    rome_codes = sorted(by_rome)
    rome_index = {code: index for index, code in enumerate(rome_codes)}
    naf_rome_keys, naf_rome = [], []
    kept_nafs = []
    for code in naf_codes:
        pairs = [(rome, count) for rome, count in per_naf[code] if rome in rome_index]
        if not pairs:
            continue
        index = len(kept_nafs)
        kept_nafs.append(code)
        cumulative = np.cumsum([count for _, count in pairs], dtype=np.float64)
        naf_rome_keys.extend(index + cumulative / cumulative[-1])
        naf_rome.extend(rome_index[rome] for rome, _ in pairs)
    offsets = np.cumsum([0] + [len(by_rome[code]) for code in rome_codes])
    naf_weights = np.array([hirings[code] for code in kept_nafs], dtype=np.float64)
    return Referentials(
        commune_codes=np.array([row[0] for row in rows]),
        commune_names=[row[1] for row in rows],
        commune_postal=[(row[2].split() or [""])[0] for row in rows],
        commune_lat=np.array([row[3] for row in rows], dtype=np.float64),
        commune_lon=np.array([row[4] for row in rows], dtype=np.float64),
        commune_cum=np.cumsum(population),
        commune_sigma_km=np.clip(0.3 * np.sqrt(population / 1000), 0.3, 3.0),
        dept_of_commune=dept_of_commune,
        dept_keys=dept_keys,
        dept_communes=order,
        naf_codes=kept_nafs,
        naf_labels=[labels.get(code, code) for code in kept_nafs],
        naf_divisions=[code[:2] for code in kept_nafs],
        naf_cum=np.cumsum(naf_weights),
        naf_rome_keys=np.array(naf_rome_keys, dtype=np.float64),
        naf_rome=np.array(naf_rome, dtype=np.int64),
        rome_codes=rome_codes,
        rome_offsets=np.array(offsets, dtype=np.int64),
        appellations=np.array(
            [code for rome in rome_codes for code in by_rome[rome]], dtype=np.int64
        ),
        causes=list(Cause.objects.order_by("bit").values_list("id", "bit", "slug")),
        networks=list(Network.objects.order_by("bit").values_list("id", "bit", "slug")),
    )


def _department(insee_code: str) -> str:
    return insee_code[:3] if insee_code.startswith("97") else insee_code[:2]


# SIRET -----------------------------------------------------------------------------------


def luhn_check_digits(payloads: np.ndarray, length: int) -> np.ndarray:
    """The digit to append to each ``length``-digit number so that it passes Luhn."""
    total = np.zeros(len(payloads), dtype=np.int64)
    value = payloads.astype(np.int64).copy()
    for position in range(length):  # from the right: the last payload digit is doubled
        digit = value % 10
        value //= 10
        if position % 2 == 0:
            digit = digit * 2
            digit = np.where(digit > 9, digit - 9, digit)
        total += digit
    return (10 - total % 10) % 10


def make_sirets(numbers: np.ndarray) -> list[str]:
    """One valid SIRET per distinct number below 10**8: a Luhn-valid SIREN made of the
    number and its key, then the establishment number 0001 and the SIRET's key."""
    sirens = numbers * 10 + luhn_check_digits(numbers, 8)
    heads = sirens * 10_000 + 1  # NIC 0001 without its key: 13 digits
    sirets = heads * 10 + luhn_check_digits(heads, 13)
    return [f"{value:014d}" for value in sirets.tolist()]


# Generation ------------------------------------------------------------------------------


@dataclass
class Counts:
    structures: int = 0
    sites: int = 0
    offers: int = 0
    causes: int = 0
    networks: int = 0
    entries: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Batch:
    """Rows ready to insert, per table, as tuples in the order of ``COLUMNS``."""

    structures: list[tuple] = field(default_factory=list)
    sites: list[tuple] = field(default_factory=list)
    offers: list[tuple] = field(default_factory=list)
    causes: list[tuple] = field(default_factory=list)
    networks: list[tuple] = field(default_factory=list)
    entries: list[tuple] = field(default_factory=list)
    texts: list[tuple] = field(default_factory=list)

    def counts(self) -> Counts:
        return Counts(
            len(self.structures),
            len(self.sites),
            len(self.offers),
            len(self.causes),
            len(self.networks),
            len(self.entries),
        )


STRUCTURE_COLUMNS = (
    "id",
    "public_id",
    "created_at",
    "updated_at",
    "siret",
    *IDENTITY_FIELDS,
    "description",
    "website",
    "immersion_description",
    *WELCOME_FIELDS,
    "max_requests_per_month",
    "paused_until",
    "contact_mode",
    "contact_phone",
    "status",
    "published_at",
    "answer_rate",
    "last_activity_at",
    "source",
)
SITE_COLUMNS = (
    "id",
    "public_id",
    "created_at",
    "updated_at",
    "structure",
    "address",
    "commune",
    "postal_code",
    "latitude",
    "longitude",
)
OFFER_COLUMNS = ("id", "site", "appellation", "created_at")
ENTRY_COLUMNS = (
    "offer",
    "structure",
    "site",
    "appellation_code",
    "rome_code",
    "latitude",
    "longitude",
    "kind",
    "is_ess",
    "fit_for_disabled",
    "welcomes_minors",
    "causes",
    "networks",
    "score",
    "updated_ts",
    "listed",
    "hidden_until",
)
TEXT_COLUMNS = ("structure", "text")

EARTH_KM_PER_DEGREE = 111.195

HEADCOUNTS = ("0", "1-9", "10-49", "50-249", "250+")
HEADCOUNT_P = (0.05, 0.6, 0.24, 0.08, 0.03)
SITE_APPELLATIONS_P = (0.42, 0.33, 0.15, 0.10)  # 1, 2, 3 or 4 métiers per site
SECOND_SITE_P = 0.05
STATUS_P = (
    (Status.PUBLISHED, 0.96),
    (Status.PENDING, 0.02),
    (Status.SUSPENDED, 0.005),
    (Status.CLOSED, 0.015),
)
PAUSED_P = 0.03


def _kind_weights(division: str) -> tuple[tuple[str, float], ...]:
    if division == "84":
        return ((Kind.PUBLIC, 0.9), (Kind.COMPANY, 0.1))
    if division == "94":
        return ((Kind.ASSOCIATION, 0.95), (Kind.OTHER, 0.05))
    if division in ("87", "88"):
        return ((Kind.ASSOCIATION, 0.6), (Kind.SIAE, 0.1), (Kind.PUBLIC, 0.1), (Kind.COMPANY, 0.2))
    if division == "85":
        return ((Kind.PUBLIC, 0.4), (Kind.ASSOCIATION, 0.3), (Kind.COMPANY, 0.3))
    if division in ("90", "91", "93"):
        return ((Kind.ASSOCIATION, 0.5), (Kind.PUBLIC, 0.1), (Kind.COMPANY, 0.4))
    if division in ("38", "39", "81"):
        return ((Kind.COMPANY, 0.8), (Kind.SIAE, 0.12), (Kind.ASSOCIATION, 0.08))
    return ((Kind.COMPANY, 0.88), (Kind.ASSOCIATION, 0.05), (Kind.SIAE, 0.04), (Kind.OTHER, 0.03))


def _short_label(label: str) -> str:
    for cut in (",", " (", " sauf ", " à l'exception", " n.c.a", ";"):
        position = label.find(cut)
        if position > 0:
            label = label[:position]
    words = label.split()
    if len(words) > 5:
        words = words[:5]
        while words and words[-1].lower() in {"de", "d'", "des", "du", "et", "la", "le", "à", "en"}:
            words.pop()
    return " ".join(words)


def _slug(text: str) -> str:
    from immersio.referentials.text import normalize

    return "-".join(normalize(text).split()[:4]) or "structure"


class Generator:
    """Draws structures batch by batch, as rows ready to insert."""

    def __init__(self, referentials: Referentials, *, seed: int, now: datetime):
        self.ref = ref = referentials
        self.seed = seed
        self.now = now
        self.today = timezone.localdate(now)
        self.rng = np.random.default_rng(seed)
        divisions = sorted(set(ref.naf_divisions))
        division_index = {division: index for index, division in enumerate(divisions)}
        self.naf_division = np.array(
            [division_index[division] for division in ref.naf_divisions], dtype=np.int64
        )
        self.kind_tables = []
        for division in divisions:
            weights = _kind_weights(division)
            self.kind_tables.append(
                ([kind for kind, _ in weights], np.cumsum([weight for _, weight in weights]))
            )
        self.naf_short = [_short_label(label) for label in ref.naf_labels]
        slugs = [slug for _, _, slug in ref.causes]
        self.cause_weights = np.array(
            [
                [8.0 if division in CAUSE_HINTS.get(slug, ()) else 1.0 for slug in slugs]
                for division in divisions
            ],
            dtype=np.float64,
        ).reshape(len(divisions), len(slugs))
        self.network_weights = np.array(
            [NETWORK_WEIGHTS.get(slug, 1) for _, _, slug in ref.networks], dtype=np.float64
        )
        # Appellation code → ROME code.
        romes = np.repeat(np.arange(len(ref.rome_codes)), np.diff(ref.rome_offsets))
        order = np.argsort(ref.appellations, kind="stable")
        self._sorted_appellations = ref.appellations[order]
        self._rome_by_position = romes[order]

    # Drawing -------------------------------------------------------------------------

    def _communes(self, count: int) -> np.ndarray:
        cumulative = self.ref.commune_cum
        draws = self.rng.random(count) * cumulative[-1]
        return np.minimum(np.searchsorted(cumulative, draws, side="right"), len(cumulative) - 1)

    def _commune_in_department(self, communes: np.ndarray) -> np.ndarray:
        ref = self.ref
        keys = ref.dept_of_commune[communes] + self.rng.random(len(communes))
        positions = np.searchsorted(ref.dept_keys, keys, side="right")
        return ref.dept_communes[np.minimum(positions, len(ref.dept_communes) - 1)]

    def _positions(self, communes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        ref = self.ref
        sigma = ref.commune_sigma_km[communes] / EARTH_KM_PER_DEGREE
        latitudes = ref.commune_lat[communes] + self.rng.normal(0, 1, len(communes)) * sigma
        longitudes = ref.commune_lon[communes] + self.rng.normal(0, 1, len(communes)) * sigma / (
            np.cos(np.radians(ref.commune_lat[communes]))
        )
        return np.round(latitudes, 6), np.round(longitudes, 6)

    def _appellations(self, nafs: np.ndarray) -> np.ndarray:
        """One appellation per row: a ROME code of the NAF weighted by hirings, then an
        appellation of that ROME, uniformly."""
        ref = self.ref
        keys = nafs + self.rng.random(len(nafs))
        positions = np.minimum(
            np.searchsorted(ref.naf_rome_keys, keys, side="right"), len(ref.naf_rome) - 1
        )
        romes = ref.naf_rome[positions]
        starts, ends = ref.rome_offsets[romes], ref.rome_offsets[romes + 1]
        picks = starts + (self.rng.random(len(nafs)) * (ends - starts)).astype(np.int64)
        return ref.appellations[picks]

    def _rome_of(self, appellations: np.ndarray) -> list[str]:
        positions = np.searchsorted(self._sorted_appellations, appellations)
        codes = self.ref.rome_codes
        return [codes[index] for index in self._rome_by_position[positions].tolist()]

    def _weighted_orders(self, weights: np.ndarray) -> list[list[int]]:
        """Per row, the items in a random order weighted by ``weights`` (a row of weights
        per structure): the first k are a weighted draw of k items without replacement."""
        if weights.shape[1] == 0:
            return [[] for _ in range(len(weights))]
        keys = np.log(self.rng.random(weights.shape) + 1e-300) / weights
        return np.argsort(-keys, axis=1, kind="stable").tolist()

    def draw(self, first_ids: dict[str, int], sirets: list[str]) -> Batch:
        """As many structures as ``sirets``, drawn by chunks of ``CHUNK`` so that the
        result does not depend on how many are written at a time."""
        batch = Batch()
        for start in range(0, len(sirets), CHUNK):
            part = self.batch(first_ids, sirets[start : start + CHUNK])
            for name in batch.__dataclass_fields__:
                getattr(batch, name).extend(getattr(part, name))
        return batch

    def batch(self, first_ids: dict[str, int], sirets: list[str]) -> Batch:
        """One structure per SIRET, with primary keys from ``first_ids`` on (updated)."""
        ref, rng, now = self.ref, self.rng, self.now
        count = len(sirets)
        adapt_dt = connection.ops.adapt_datetimefield_value
        adapt_date = connection.ops.adapt_datefield_value
        uuid_field = HostStructure._meta.get_field("public_id")

        def new_uuid(data: bytes):
            return uuid_field.get_db_prep_value(uuid.UUID(bytes=data, version=4), connection)

        communes = self._communes(count)
        nafs = np.minimum(
            np.searchsorted(ref.naf_cum, rng.random(count) * ref.naf_cum[-1], side="right"),
            len(ref.naf_codes) - 1,
        )
        second_site = rng.random(count) < SECOND_SITE_P
        other_communes = self._commune_in_department(communes)
        # Sites: every structure's first one, plus the second ones, grouped by structure.
        site_structures = np.concatenate([np.arange(count), np.flatnonzero(second_site)])
        site_communes = np.concatenate([communes, other_communes[second_site]])
        order = np.argsort(site_structures, kind="stable")
        site_structures, site_communes = site_structures[order], site_communes[order]
        site_lat, site_lon = self._positions(site_communes)
        per_site = 1 + np.searchsorted(
            np.cumsum(SITE_APPELLATIONS_P)[:-1], rng.random(len(site_structures)), side="right"
        )
        offer_sites = np.repeat(np.arange(len(site_structures)), per_site)
        offer_appellations = self._appellations(nafs[site_structures][offer_sites])
        offer_romes = self._rome_of(offer_appellations)

        divisions = self.naf_division[nafs]
        cause_orders = self._weighted_orders(self.cause_weights[divisions])
        network_orders = self._weighted_orders(
            np.broadcast_to(self.network_weights, (count, len(self.network_weights)))
        )
        created_days = (rng.random(count) * 3 * 365).tolist()
        updated_fraction = rng.random(count).tolist()
        activity_draw = rng.random(count).tolist()
        activity_fraction = rng.random(count).tolist()
        answer_known = (rng.random(count) >= 0.35).tolist()
        answer_rates = np.round(rng.beta(4.0, 1.6, count), 3).tolist()
        status_cum = np.cumsum([share for _, share in STATUS_P])[:-1]
        status_index = np.searchsorted(status_cum, rng.random(count), side="right").tolist()
        paused = (rng.random(count) < PAUSED_P).tolist()
        paused_days = rng.integers(1, 61, count).tolist()
        headcount_index = np.searchsorted(
            np.cumsum(HEADCOUNT_P)[:-1], rng.random(count), side="right"
        ).tolist()
        kind_draw = rng.random(count).tolist()
        ess_draw = rng.random(count).tolist()
        flags = rng.random((count, 8)).tolist()
        patterns_all = rng.integers(0, 1 << 30, (count, 4)).tolist()
        uuids = rng.bytes(16 * (count + len(site_structures)))

        structure_id0 = first_ids["structure"]
        site_id0 = first_ids["site"]
        offer_id = first_ids["offer"]
        site_bounds = np.searchsorted(site_structures, np.arange(count + 1)).tolist()
        offer_bounds = np.searchsorted(offer_sites, np.arange(len(site_structures) + 1)).tolist()
        site_lat, site_lon = site_lat.tolist(), site_lon.tolist()
        site_communes = site_communes.tolist()
        offer_appellations = offer_appellations.tolist()
        nafs, communes, divisions = nafs.tolist(), communes.tolist(), divisions.tolist()
        statuses = [status for status, _ in STATUS_P]
        commune_codes = ref.commune_codes.tolist()
        batch = Batch()

        for i in range(count):
            structure_id = structure_id0 + i
            naf = nafs[i]
            kinds, kind_cum = self.kind_tables[divisions[i]]
            kind = kinds[
                min(int(np.searchsorted(kind_cum, kind_draw[i] * kind_cum[-1])), len(kinds) - 1)
            ]
            commune_name = ref.commune_names[communes[i]]
            patterns = patterns_all[i]
            short = self.naf_short[naf]
            division = ref.naf_divisions[naf]
            name, brand = _name(kind, division, short, commune_name, patterns)
            is_ess, ess_status = _ess(kind, ess_draw[i], patterns[3])
            headcount = HEADCOUNTS[headcount_index[i]]
            created = now - timedelta(days=created_days[i])
            updated = created + (now - created) * updated_fraction[i]
            last_activity = (
                updated + (now - updated) * activity_fraction[i] if activity_draw[i] < 0.7 else None
            )
            status = statuses[status_index[i]]
            listed = status == Status.PUBLISHED
            published = created + timedelta(hours=2) if status != Status.PENDING else None
            paused_until = (
                self.today + timedelta(days=paused_days[i]) if listed and paused[i] else None
            )
            answer_rate = answer_rates[i] if answer_known[i] else None
            row_flags = flags[i]
            fit_for_disabled = row_flags[0] < (0.4 if is_ess else 0.22)
            welcomes_minors = row_flags[1] < 0.2
            contact_mode = (
                HostStructure.ContactMode.MESSAGE
                if row_flags[2] < 0.8
                else HostStructure.ContactMode.PHONE
                if row_flags[2] < 0.92
                else HostStructure.ContactMode.IN_PERSON
            )
            phone = (
                f"0{1 + patterns[1] % 5}{patterns[2] % 100_000_000:08d}"
                if contact_mode == HostStructure.ContactMode.PHONE
                else ""
            )
            display = brand or name
            description = (
                f"{display} : {short[:1].lower() + short[1:]} à {commune_name}. "
                f"{SENTENCES[patterns[1] % len(SENTENCES)]}"
            )
            website = f"https://www.{_slug(display)}.example" if row_flags[3] < 0.4 else ""
            created_db, updated_db = adapt_dt(created), adapt_dt(updated)
            batch.structures.append(
                (
                    structure_id,
                    new_uuid(uuids[16 * i : 16 * i + 16]),
                    created_db,
                    updated_db,
                    sirets[i],
                    name,
                    brand,
                    kind,
                    is_ess,
                    ess_status,
                    ref.naf_codes[naf],
                    headcount,
                    description,
                    website,
                    "",
                    fit_for_disabled,
                    row_flags[4] < 0.55,
                    row_flags[5] < 0.95,
                    row_flags[6] < 0.85,
                    welcomes_minors,
                    rules.default_capacity(headcount),
                    adapt_date(paused_until),
                    contact_mode,
                    phone,
                    status,
                    adapt_dt(published),
                    answer_rate,
                    adapt_dt(last_activity),
                    SOURCE,
                )
            )
            cause_mask = 0
            for index in _cause_picks(kind, is_ess, row_flags[7], cause_orders[i]):
                cause_id, bit, _ = ref.causes[index]
                batch.causes.append((structure_id, cause_id))
                cause_mask |= 1 << bit
            network_mask = 0
            for index in _network_picks(kind, is_ess, row_flags[7], network_orders[i]):
                network_id, bit, _ = ref.networks[index]
                batch.networks.append((structure_id, network_id))
                network_mask |= 1 << bit

            hidden = None
            if listed:
                hidden = indexing.hidden_until(
                    paused_until=paused_until, blocked_until=None, now=now
                )
                batch.texts.append((structure_id, indexing.search_text(name, brand, description)))
            active_at = last_activity if last_activity and last_activity > updated else updated
            common = (
                kind,
                is_ess,
                fit_for_disabled,
                welcomes_minors,
                cause_mask,
                network_mask,
                indexing.score(answer_rate=answer_rate, active_at=active_at, now=now),
                indexing.epoch_seconds(updated),
                listed,
                adapt_dt(hidden),
            )
            for site_index in range(site_bounds[i], site_bounds[i + 1]):
                site_id = site_id0 + site_index
                commune = site_communes[site_index]
                latitude, longitude = site_lat[site_index], site_lon[site_index]
                start = 16 * (count + site_index)
                street = STREET_NAMES[(patterns[3] + site_index) % len(STREET_NAMES)]
                batch.sites.append(
                    (
                        site_id,
                        new_uuid(uuids[start : start + 16]),
                        created_db,
                        updated_db,
                        structure_id,
                        f"{1 + patterns[2] % 120} {STREET_KINDS[patterns[1] % len(STREET_KINDS)]} "
                        f"{street}",
                        commune_codes[commune],
                        ref.commune_postal[commune],
                        latitude,
                        longitude,
                    )
                )
                seen = set()
                for offer_index in range(offer_bounds[site_index], offer_bounds[site_index + 1]):
                    code = offer_appellations[offer_index]
                    if code in seen:
                        continue
                    seen.add(code)
                    batch.offers.append((offer_id, site_id, code, created_db))
                    batch.entries.append(
                        (
                            offer_id,
                            structure_id,
                            site_id,
                            code,
                            offer_romes[offer_index],
                            latitude,
                            longitude,
                            *common,
                        )
                    )
                    offer_id += 1
        first_ids["structure"] = structure_id0 + count
        first_ids["site"] = site_id0 + len(site_structures)
        first_ids["offer"] = offer_id
        return batch


def _name(kind, division, short, commune, patterns) -> tuple[str, str]:
    pick = patterns[1] % 100
    surname = SURNAMES[patterns[0] % len(SURNAMES)]
    brand = ""
    if kind == Kind.ASSOCIATION:
        if pick < 40:
            name = f"Association {short} de {commune}"
        elif pick < 60:
            name = f"Collectif {short} {commune}"
        elif pick < 80:
            name = f"{short} solidaire de {commune}"
        else:
            name = f"Association {surname} {commune}"
    elif kind == Kind.PUBLIC:
        name = f"Mairie de {commune}" if division == "84" and pick < 50 else f"{short} de {commune}"
    elif kind == Kind.SIAE:
        if pick < 40:
            name = f"Atelier et chantier d'insertion de {commune}"
        elif pick < 75:
            name = f"{short} insertion {commune}"
        else:
            name = f"Entreprise d'insertion {surname}"
    elif kind == Kind.OTHER:
        name = f"{short} {commune}"
    else:
        if pick < 40:
            name = f"{short} {surname}"
        elif pick < 55:
            name = f"Établissements {surname}"
        elif pick < 60:
            name = f"{surname} et fils"
        elif pick < 85:
            name = f"{short} de {commune}"
        else:
            name = f"SARL {surname}-{SURNAMES[patterns[2] % len(SURNAMES)]}"
        if division == "56" and pick % 3 == 0:
            brand = f"Chez {FIRST_NAMES[patterns[3] % len(FIRST_NAMES)]}"
    return name[:255], brand


def _ess(kind, draw, pattern) -> tuple[bool, str]:
    if kind == Kind.ASSOCIATION:
        return (True, Ess.ASSOCIATION) if draw < 0.9 else (False, "")
    if kind == Kind.SIAE:
        return (True, Ess.ESUS) if draw < 0.8 else (False, "")
    if kind == Kind.COMPANY and draw < 0.06:
        statuses = (Ess.SCOP, Ess.SCIC, Ess.ESUS, Ess.COMMERCIAL_ESS)
        return True, statuses[pattern % len(statuses)]
    if kind == Kind.OTHER and draw < 0.3:
        statuses = (Ess.FOUNDATION, Ess.MUTUAL, Ess.COOPERATIVE)
        return True, statuses[pattern % len(statuses)]
    return False, ""


def _cause_picks(kind, is_ess, draw, order: list[int]) -> list[int]:
    """Associations and ESS structures name 1 to 3 causes (85 %), others rarely one."""
    if is_ess or kind == Kind.ASSOCIATION:
        count = 0 if draw < 0.15 else 1 if draw < 0.55 else 2 if draw < 0.85 else 3
    else:
        count = 0 if draw < 0.8 else 1 if draw < 0.95 else 2
    return sorted(order[:count])


def _network_picks(kind, is_ess, draw, order: list[int]) -> list[int]:
    """40 % of ESS associations belong to a network (a tenth of them to two), a quarter
    of other ESS structures, 2 % of the rest."""
    draw = (draw * 7.31) % 1.0  # another, independent-looking draw from the same number
    if kind == Kind.ASSOCIATION and is_ess:
        count = 0 if draw < 0.6 else 1 if draw < 0.96 else 2
    elif is_ess:
        count = 0 if draw < 0.75 else 1
    else:
        count = 1 if draw < 0.02 else 0
    return sorted(order[:count])


# Writing ---------------------------------------------------------------------------------


class _Table:
    """Rows written straight into one table: ``COPY`` on PostgreSQL (its bulk-load path:
    row-by-row statements cost about 4 times more there), ``executemany`` of a prepared
    ``INSERT`` elsewhere (SQLite's fast path)."""

    def __init__(self, model, columns: Sequence[str], *, defaults: bool = True):
        meta = model._meta
        fields = [meta.get_field(name) for name in columns]
        names = [f.column for f in fields]
        extra: list = []
        if defaults:  # fields added later with a Python default: their default value
            for other in meta.concrete_fields:
                if other.column in names or other.primary_key:
                    continue
                names.append(other.column)
                value = other.get_default()
                extra.append(other.get_db_prep_save(value, connection))
        self.extra = tuple(extra)
        # Quoted identifiers of our own models; the values go as parameters or data.
        quote = connection.ops.quote_name
        target = f"{quote(meta.db_table)} ({', '.join(quote(name) for name in names)})"
        marks = ", ".join(["%s"] * len(names))
        self.insert = f"INSERT INTO {target} VALUES ({marks})"  # noqa: S608
        self.copy = f"COPY {target} FROM STDIN"

    def write(self, cursor, rows: Sequence[tuple]) -> None:
        extra = self.extra
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(self.copy) as copy:
                for row in rows:
                    copy.write_row(row + extra if extra else row)
            return
        for start in range(0, len(rows), EXECUTEMANY_ROWS):
            chunk = rows[start : start + EXECUTEMANY_ROWS]
            cursor.executemany(self.insert, [row + extra for row in chunk] if extra else chunk)


def next_ids() -> dict[str, int]:
    return {
        "structure": (HostStructure.objects.aggregate(top=Max("pk"))["top"] or 0) + 1,
        "site": (Site.objects.aggregate(top=Max("pk"))["top"] or 0) + 1,
        "offer": (Offer.objects.aggregate(top=Max("pk"))["top"] or 0) + 1,
    }


def _siret_numbers(rng: np.random.Generator, count: int, taken: set[str]) -> list[str]:
    """``count`` SIRETs not in ``taken``, from distinct 8-digit numbers in random order."""
    result: list[str] = []
    while len(result) < count:
        wanted = count - len(result)
        numbers = np.unique(rng.integers(10_000_000, 100_000_000, wanted + wanted // 10 + 16))
        rng.shuffle(numbers)
        for siret in make_sirets(numbers):
            if siret not in taken and not siret.startswith("356000000"):
                taken.add(siret)
                result.append(siret)
                if len(result) == count:
                    break
    return result


def generate(
    *,
    structures: int,
    seed: int,
    now: datetime | None = None,
    batch_size: int = BATCH,
    progress: Callable[[Counts, float], None] | None = None,
    write: bool = True,
) -> Counts:
    """Generate ``structures`` structures; write them when ``write`` (else only draw).

    ``batch_size`` (structures written per transaction) is rounded to a multiple of
    ``CHUNK``, so that the same seed gives the same directory whatever the batch size.
    """
    now = now or timezone.now()
    batch_size = max(CHUNK, batch_size // CHUNK * CHUNK)
    started = clock.monotonic()
    ref = load_referentials()
    generator = Generator(ref, seed=seed, now=now)
    taken = set(HostStructure.objects.values_list("siret", flat=True)) if write else set()
    sirets = _siret_numbers(np.random.default_rng([seed, 1]), structures, taken)
    ids = next_ids()
    totals = Counts()
    tables = {
        "structures": _Table(HostStructure, STRUCTURE_COLUMNS),
        "sites": _Table(Site, SITE_COLUMNS),
        "offers": _Table(Offer, OFFER_COLUMNS),
        "causes": _Table(HostStructure.causes.through, ("hoststructure", "cause")),
        "networks": _Table(HostStructure.networks.through, ("hoststructure", "network")),
        "entries": _Table(IndexEntry, ENTRY_COLUMNS),
        "texts": _Table(StructureText, TEXT_COLUMNS),
    }
    done = 0
    while done < structures:
        count = min(batch_size, structures - done)
        batch = generator.draw(ids, sirets[done : done + count])
        if write:
            with transaction.atomic(), connection.cursor() as cursor:
                for name, table in tables.items():
                    table.write(cursor, getattr(batch, name))
        totals.add(batch.counts())
        done += count
        if progress:
            progress(totals, clock.monotonic() - started)
    if write:
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(
                no_style(), [HostStructure, Site, Offer]
            ):
                cursor.execute(statement)
    return totals


def sample(*, structures: int, seed: int, now: datetime | None = None) -> Batch:
    """A first batch, drawn but not written (what a dry run shows)."""
    ref = load_referentials()
    generator = Generator(ref, seed=seed, now=now or timezone.now())
    sirets = _siret_numbers(np.random.default_rng([seed, 1]), structures, set())
    return generator.draw(next_ids(), sirets)


def existing(source: str = SOURCE) -> int:
    return HostStructure.objects.filter(source=source).count()


def today() -> date:
    return timezone.localdate()
