"""Import of the shipped reference data (``data/*.csv.gz``) into the database.

Two steps: :func:`read_sources` parses and checks every file entirely (nothing is written
if a single line is wrong: :class:`ReferentialError` names the file and the line), then
:func:`write_referentials` compares with what the database holds and writes only the
differences (upserts, then deletions), in the caller's transaction. Running it twice
changes nothing the second time.
"""

from __future__ import annotations

import csv
import gzip
import re
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, connection
from django.db.models import Model, ProtectedError, RestrictedError
from django.utils import timezone

from .models import (
    Appellation,
    Commune,
    NafCode,
    ReferentialsVersion,
    RomeMetier,
    RomeNafHiring,
)
from .text import normalize, normalize_commune_name

DATA_DIR = Path(__file__).resolve().parent / "data"
BATCH_SIZE = 1000
MAX_LABEL_LENGTH = 255

ROME_CODE = re.compile(r"[A-Z][0-9]{4}")
NAF_CODE = re.compile(r"[0-9]{4}[A-Z]")
INSEE_CODE = re.compile(r"[0-9]{5}|2[AB][0-9]{3}")
POSTAL_CODE = re.compile(r"[0-9]{5}")
DEPARTMENT = re.compile(r"[0-9]{2,3}|2[AB]")
REGION = re.compile(r"[0-9]{0,3}")
INTEGER = re.compile(r"[0-9]{1,9}")

Progress = Callable[[str], None]


class ReferentialError(Exception):
    """A source file is missing or wrong; the message, in French, says where."""

    def __init__(self, file: str, message: str, line: int | None = None):
        self.file = file
        self.line = line
        where = f"{file}, ligne {line}" if line else file
        super().__init__(f"{where} : {message}")


@dataclass(frozen=True)
class Source:
    name: str
    delimiter: str
    columns: tuple[str, ...]


METIERS = Source("rome_metiers.csv", ";", ("code_rome", "libelle_rome"))
APPELLATIONS = Source(
    "rome_appellations.csv",
    ";",
    ("ogr_appellation", "rome_code", "libelle_appellation_long", "libelle_appellation_court"),
)
COMMUNES = Source(
    "communes.csv",
    ",",
    (
        "insee_code",
        "name",
        "kind",
        "postal_codes",
        "department",
        "region",
        "population",
        "latitude",
        "longitude",
    ),
)
NAF = Source("naf_labels.csv", "|", ("naf_id", "naf_label"))
HIRINGS = Source(
    "rome_naf_mapping.csv", ",", ("rome_id", "rome_label", "naf_id", "naf_label", "hirings")
)
SOURCES = (METIERS, APPELLATIONS, COMMUNES, NAF, HIRINGS)


class _LineError(Exception):
    """Raised by the row parsers; the caller adds the file and the line."""


class _DecodeError(Exception):
    def __init__(self, line: int):
        self.line = line


def _decoded_lines(stream) -> Iterator[str]:
    """Decode line by line, so that an encoding fault is reported on its own line."""
    for number, raw in enumerate(stream, 1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _DecodeError(number) from None
        yield text.removeprefix("\ufeff") if number == 1 else text


def _find(data_dir: Path, source: Source) -> Path:
    for candidate in (data_dir / f"{source.name}.gz", data_dir / source.name):
        if candidate.is_file():
            return candidate
    raise ReferentialError(
        f"{source.name}.gz", f"fichier introuvable dans le dossier « {data_dir} »."
    )


def _rows(path: Path, source: Source) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of every data line; the header is line 1."""
    opener = gzip.open if path.suffix == ".gz" else open
    line = 1
    try:
        with opener(path, "rb") as stream:
            reader = csv.reader(_decoded_lines(stream), delimiter=source.delimiter, strict=True)
            header = next(reader, None)
            if header is None:
                raise ReferentialError(path.name, "fichier vide.", 1)
            if tuple(column.strip() for column in header) != source.columns:
                expected = source.delimiter.join(source.columns)
                raise ReferentialError(
                    path.name, f"en-tête inattendu : colonnes attendues « {expected} ».", 1
                )
            for fields in reader:
                line = reader.line_num
                if not fields:
                    continue
                if len(fields) != len(source.columns):
                    raise ReferentialError(
                        path.name,
                        f"{len(fields)} colonne(s) au lieu de {len(source.columns)}.",
                        line,
                    )
                yield line, [value.strip() for value in fields]
    except _DecodeError as error:
        raise ReferentialError(
            path.name, "encodage invalide (UTF-8 attendu).", error.line
        ) from None
    except csv.Error as error:
        raise ReferentialError(path.name, f"ligne CSV mal formée ({error}).", line + 1) from None
    except (gzip.BadGzipFile, EOFError, zlib.error):
        raise ReferentialError(path.name, "archive gzip illisible ou tronquée.") from None
    except OSError as error:
        raise ReferentialError(path.name, f"lecture impossible ({error.strerror}).") from None


def _parse(data_dir: Path, source: Source, parse_row) -> dict:
    """Parse every row with ``parse_row(fields) -> (key, value)``; keys must be unique."""
    path = _find(data_dir, source)
    result: dict = {}
    lines: dict = {}
    for line, fields in _rows(path, source):
        try:
            key, value = parse_row(fields)
            if key in lines:
                raise _LineError(f"« {_show(key)} » en double (déjà ligne {lines[key]}).")
        except _LineError as error:
            raise ReferentialError(path.name, str(error), line) from None
        lines[key] = line
        result[key] = value
    return result


def _show(key) -> str:
    return " × ".join(key) if isinstance(key, tuple) else str(key)


def _coded_label(pattern: re.Pattern, what: str) -> Callable[[list[str]], tuple]:
    """The parser of a nomenclature's row: a code (``what``, matching ``pattern``), a label."""

    def parse(fields: list[str]) -> tuple:
        code, label = fields
        return _code(code, pattern, what), (_label(label),)

    return parse


def _code(value: str, pattern: re.Pattern, what: str) -> str:
    if not pattern.fullmatch(value):
        raise _LineError(f"{what} « {value} » invalide.")
    return value


def _label(value: str, what: str = "libellé") -> str:
    if not value:
        raise _LineError(f"{what} vide.")
    if len(value) > MAX_LABEL_LENGTH:
        raise _LineError(f"{what} trop long ({len(value)} caractères, {MAX_LABEL_LENGTH} au plus).")
    return value


def _integer(value: str, what: str, *, optional: bool = False) -> int | None:
    if not value and optional:
        return None
    if not INTEGER.fullmatch(value):
        raise _LineError(f"{what} « {value} » : nombre entier positif attendu.")
    return int(value)


def _coordinate(value: str, what: str, bound: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise _LineError(f"{what} « {value} » : nombre décimal attendu.") from None
    if not -bound <= number <= bound:
        raise _LineError(f"{what} « {value} » hors limites.")
    return number


@dataclass
class Referentials:
    """The parsed files, keyed as in the database; values in model field order."""

    metiers: dict[str, tuple]
    appellations: dict[int, tuple]
    communes: dict[str, tuple]
    naf_codes: dict[str, tuple]
    hirings: dict[tuple[str, str], tuple]


def read_sources(data_dir: Path = DATA_DIR, progress: Progress | None = None) -> Referentials:
    """Read and check every source file; raise :class:`ReferentialError` on the first fault."""
    data_dir = Path(data_dir)
    say = progress or (lambda message: None)

    def read(source: Source, parse: Callable[[list[str]], tuple]) -> dict:
        rows = _parse(data_dir, source, parse)
        say(f"{source.name} : {len(rows)} lignes lues")
        return rows

    metiers = read(METIERS, _coded_label(ROME_CODE, "code ROME"))

    def appellation(fields):
        ogr, rome, label, short_label = fields
        code = _integer(ogr, "code OGR")
        _code(rome, ROME_CODE, "code ROME")
        if rome not in metiers:
            raise _LineError(f"code ROME « {rome} » inconnu.")
        label = _label(label)
        short_label = _label(short_label or label, "libellé court")
        return code, (rome, label, short_label, normalize(label)[:MAX_LABEL_LENGTH])

    appellations = read(APPELLATIONS, appellation)

    kinds = set(Commune.Kind.values)

    def commune(fields):
        insee, name, kind, postal_codes, department, region, population, lat, lon = fields
        _code(insee, INSEE_CODE, "code INSEE")
        name = _label(name, "nom")
        if kind not in kinds:
            raise _LineError(f"type de commune « {kind} » inconnu.")
        codes = postal_codes.split()
        for postal_code in codes:
            _code(postal_code, POSTAL_CODE, "code postal")
        _code(department, DEPARTMENT, "département")
        _code(region, REGION, "région")
        if bool(lat) != bool(lon):
            raise _LineError("latitude et longitude vont ensemble : l'une manque.")
        latitude = _coordinate(lat, "latitude", 90) if lat else None
        longitude = _coordinate(lon, "longitude", 180) if lon else None
        return insee, (
            name,
            kind,
            department,
            region,
            _integer(population, "population", optional=True),
            latitude,
            longitude,
            _label(" ".join(codes), "liste de codes postaux") if codes else "",
            normalize_commune_name(name)[:MAX_LABEL_LENGTH],
        )

    communes = read(COMMUNES, commune)
    naf_codes = read(NAF, _coded_label(NAF_CODE, "code NAF"))

    def hiring(fields):
        rome, _rome_label, naf_code, _naf_label, hirings = fields
        if rome not in metiers:
            raise _LineError(f"code ROME « {rome} » inconnu.")
        if naf_code not in naf_codes:
            raise _LineError(f"code NAF « {naf_code} » inconnu.")
        return (rome, naf_code), (_integer(hirings, "nombre d'embauches"),)

    hirings = read(HIRINGS, hiring)
    return Referentials(metiers, appellations, communes, naf_codes, hirings)


@dataclass
class TableReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


@dataclass
class ImportReport:
    tables: dict[str, TableReport] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(table.changed for table in self.tables.values())


@dataclass(frozen=True)
class _Table:
    key: str
    model: type[Model]
    key_fields: tuple[str, ...]  # the natural key, as stored
    fields: tuple[str, ...]  # the other columns, in the order of the parsed tuples


_TABLES = (
    _Table("metiers", RomeMetier, ("code",), ("label",)),
    _Table("naf_codes", NafCode, ("code",), ("label",)),
    _Table(
        "appellations",
        Appellation,
        ("code",),
        ("rome_id", "label", "short_label", "search_text"),
    ),
    _Table(
        "communes",
        Commune,
        ("insee_code",),
        (
            "name",
            "kind",
            "department",
            "region",
            "population",
            "latitude",
            "longitude",
            "postal_codes",
            "normalized_name",
        ),
    ),
    _Table("hirings", RomeNafHiring, ("rome_id", "naf_id"), ("hirings",)),
)


def _model_field(name: str) -> str:
    return name.removesuffix("_id")


def _sync(table: _Table, wanted: dict, say: Progress) -> tuple[TableReport, list]:
    """Upsert what is new or different; return the report and the keys to delete."""
    model, key_fields = table.model, table.key_fields
    single_key = len(key_fields) == 1
    existing = {}
    for row in model.objects.values_list(*key_fields, *table.fields).order_by().iterator(5000):
        key = row[0] if single_key else row[: len(key_fields)]
        existing[key] = row[len(key_fields) :]
    report = TableReport(total=len(wanted))
    if not existing:  # an empty table (first import): plain inserts, much faster
        report.created = len(wanted)
        say(f"{model._meta.verbose_name_plural} : écriture de {_lines(len(wanted))}")
        _insert(table, wanted)
        return report, []
    changes = []
    for key, values in wanted.items():
        old = existing.get(key)
        if old is None:
            report.created += 1
        elif old == values:
            continue
        else:
            report.updated += 1
        key_values = (key,) if single_key else key
        changes.append(
            model(
                **dict(zip(key_fields, key_values, strict=True)),
                **dict(zip(table.fields, values, strict=True)),
            )
        )
    if changes:
        say(f"{model._meta.verbose_name_plural} : écriture de {_lines(len(changes))}")
        model.objects.bulk_create(
            changes,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=[_model_field(name) for name in key_fields],
            update_fields=[_model_field(name) for name in table.fields],
        )
    obsolete = [key for key in existing if key not in wanted]
    report.deleted = len(obsolete)
    return report, obsolete


def _insert(table: _Table, wanted: dict) -> None:
    """INSERT every row with ``executemany`` (standard SQL: SQLite and PostgreSQL)."""
    model = table.model
    quote = connection.ops.quote_name
    columns = [
        model._meta.get_field(_model_field(name)).column for name in table.key_fields + table.fields
    ]
    # Names from the model's metadata, quoted; values passed as parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    single_key = len(table.key_fields) == 1
    rows = [((key,) if single_key else key) + values for key, values in wanted.items()]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def _lines(count: int) -> str:
    return f"{count} ligne" + ("s" if count > 1 else "")


def _delete(table: _Table, keys: list, say: Progress) -> None:
    if not keys:
        return
    model = table.model
    say(f"{model._meta.verbose_name_plural} : suppression de {_lines(len(keys))}")
    try:
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            if len(table.key_fields) == 1:
                model.objects.filter(pk__in=chunk).delete()
            else:
                for key in chunk:
                    model.objects.filter(**dict(zip(table.key_fields, key, strict=True))).delete()
    except (ProtectedError, RestrictedError, IntegrityError):
        raise ReferentialError(
            table.model._meta.verbose_name_plural,
            f"impossible de supprimer {_lines(len(keys))} absente(s) des nouveaux fichiers : "
            "encore utilisée(s) ailleurs sur la plateforme.",
        ) from None


def write_referentials(data: Referentials, progress: Progress | None = None) -> ImportReport:
    """Bring the tables to ``data``; call it inside ``transaction.atomic()``."""
    say = progress or (lambda message: None)
    report = ImportReport()
    obsolete = {}
    for table in _TABLES:  # parents first
        report.tables[table.key], obsolete[table.key] = _sync(table, getattr(data, table.key), say)
    for table in reversed(_TABLES):  # children first
        _delete(table, obsolete[table.key], say)
    version = ReferentialsVersion.objects.filter(pk=ReferentialsVersion.SINGLETON_ID).first()
    if report.changed or version is None:
        ReferentialsVersion.objects.update_or_create(
            pk=ReferentialsVersion.SINGLETON_ID,
            defaults={"token": uuid.uuid4().hex, "changed_at": timezone.now()},
        )
    return report
