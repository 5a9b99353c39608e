"""Import of a network's member list (CSV): the ``import_structures`` command and the admin.

The format is documented for people in ``docs/import-structures.md``. In short: one line
per structure (one site), columns named in the header, ``;`` or ``,`` (detected), UTF-8
with or without BOM, lists inside a cell separated by ``|``.

``run_import(text=…, network=…, wet_run=False)`` always runs the whole import in a
transaction and, in a dry run, rolls it back at the end: the report of a dry run is
exactly what a wet run would do. Each line runs in its own savepoint, so a rejected line
leaves nothing behind. Re-importing updates structures by SIRET, never duplicates them.
Invitations of the contact e-mails are sent only on a wet run.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone

from immersio.core.actors import Actor
from immersio.core.dry_run import run_in_transaction
from immersio.core.fields import FormDefaultsMixin, PhoneField
from immersio.core.validators import normalize_siret, siret_error
from immersio.referentials.models import Appellation, Commune
from immersio.referentials.text import normalize, normalize_commune_name

from . import lookups, rules, services
from .models import Cause, HostStructure, Network, StructureMembership

CREATED = "créée"
UPDATED = "mise à jour"
REJECTED = "rejetée"

COLUMNS = [
    "siret",
    "name",
    "brand_name",
    "kind",
    "ess_status",
    "naf",
    "headcount",
    "website",
    "description",
    "immersion_description",
    "site_label",
    "address",
    "insee_code",
    "postal_code",
    "commune",
    "appellations",
    "causes",
    "networks",
    "contact_email",
    "contact_mode",
    "phone",
    "contact_instructions",
    "max_requests_per_month",
]
REQUIRED_COLUMNS = ["siret", "name", "address", "appellations"]
ALIASES = {
    "raison_sociale": "name",
    "nom": "name",
    "enseigne": "brand_name",
    "nom_usage": "brand_name",
    "type": "kind",
    "statut_ess": "ess_status",
    "code_naf": "naf",
    "effectif": "headcount",
    "site_web": "website",
    "presentation": "description",
    "immersion": "immersion_description",
    "nom_du_lieu": "site_label",
    "adresse": "address",
    "code_insee": "insee_code",
    "code_postal": "postal_code",
    "metiers": "appellations",
    "reseaux": "networks",
    "email_contact": "contact_email",
    "mode_contact": "contact_mode",
    "telephone": "phone",
    "consignes": "contact_instructions",
    "demandes_par_mois": "max_requests_per_month",
}
CONTACT_MODES = {
    "message": HostStructure.ContactMode.MESSAGE,
    "email": HostStructure.ContactMode.MESSAGE,
    "e-mail": HostStructure.ContactMode.MESSAGE,
    "telephone": HostStructure.ContactMode.PHONE,
    "phone": HostStructure.ContactMode.PHONE,
    "sur_place": HostStructure.ContactMode.IN_PERSON,
    "sur place": HostStructure.ContactMode.IN_PERSON,
    "in_person": HostStructure.ContactMode.IN_PERSON,
}
ROME_CODE = re.compile(r"^[A-N]\d{4}$")
MAX_LINES = 20_000


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, header): nothing is imported."""


class RowError(Exception):
    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


@dataclass
class LineResult:
    line: int
    outcome: str
    siret: str = ""
    name: str = ""
    messages: list[str] = field(default_factory=list)

    def as_text(self) -> str:
        label = f"{self.name} ({self.siret})" if self.name else self.siret or "?"
        details = f" : {' ; '.join(self.messages)}" if self.messages else ""
        return f"ligne {self.line} — {self.outcome} — {label}{details}"


@dataclass
class ImportReport:
    network: Network
    wet_run: bool
    lines: list[LineResult] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)

    @property
    def created(self) -> int:
        return self.count(CREATED)

    @property
    def updated(self) -> int:
        return self.count(UPDATED)

    @property
    def rejected(self) -> int:
        return self.count(REJECTED)

    def summary(self) -> str:
        mode = "Import" if self.wet_run else "Simulation (rien n'est enregistré)"
        return (
            f"{mode} pour le réseau {self.network.name} : {len(self.lines)} ligne(s), "
            f"{self.created} structure(s) créée(s), {self.updated} mise(s) à jour, "
            f"{self.rejected} ligne(s) rejetée(s)."
        )


# Reading the file -------------------------------------------------------------------------


def decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "Le fichier n'est pas encodé en UTF-8 : dans votre tableur, enregistrez-le au "
            "format « CSV UTF-8 »."
        ) from exc


def _header_key(name: str) -> str:
    key = normalize(name).replace(" ", "_")
    return ALIASES.get(key, key)


def read_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    """The lines of the file as (line number, {column: value}); the header is line 1."""
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise ImportFileError("Le fichier est vide.") from exc
    keys = [_header_key(name) for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in keys]
    if "insee_code" not in keys and not {"postal_code", "commune"} <= set(keys):
        missing.append("insee_code (ou postal_code et commune)")
    if missing:
        raise ImportFileError(
            "Colonnes obligatoires absentes de la première ligne : " + ", ".join(missing) + "."
        )
    unknown = [name for name, key in zip(header, keys, strict=True) if key not in COLUMNS]
    if unknown:
        raise ImportFileError(
            "Colonnes inconnues : "
            + ", ".join(unknown)
            + ". Colonnes possibles : "
            + ", ".join(COLUMNS)
            + "."
        )
    rows = []
    for values in reader:
        if not any(value.strip() for value in values):
            continue
        if len(rows) >= MAX_LINES:
            raise ImportFileError(f"Le fichier dépasse {MAX_LINES} lignes : découpez-le.")
        row = dict.fromkeys(COLUMNS, "")
        for key, value in zip(keys, values, strict=False):
            row[key] = value.strip()
        rows.append((reader.line_num, row))
    return rows


# One row --------------------------------------------------------------------------------


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


def _choice(value: str, choices, label: str) -> str:
    """The key of ``choices`` whose key or label ``value`` is (accents and case aside)."""
    if not value:
        return ""
    wanted = normalize(value)
    for key, text in choices:
        if wanted in {normalize(key), normalize(str(text))}:
            return key
    raise ValidationError(
        f"{label} inconnu : « {value} » (valeurs possibles : "
        + ", ".join(key for key, _ in choices if key)
        + ")"
    )


def _main_appellation(rome_code: str) -> Appellation | None:
    """The appellation of a ROME code whose label is closest to the ROME's own label."""
    appellations = list(Appellation.objects.filter(rome_id=rome_code).select_related("rome"))
    if not appellations:
        return None
    rome_words = set(normalize(appellations[0].rome.label).split())
    return min(
        appellations,
        key=lambda a: (-len(rome_words & set(normalize(a.label).split())), len(a.label), a.code),
    )


def _text(**kwargs) -> forms.CharField:
    return forms.CharField(required=False, **kwargs)


class ImportRowForm(FormDefaultsMixin, forms.Form):
    """One line of the file (columns as in ``COLUMNS``), checked as a form: each column
    by its field, in the order of the fields, so that a line's report lists every problem
    (``problems``); once valid, ``parsed(network)`` is what to save."""

    siret = _text()
    name = forms.CharField(error_messages={"required": "indiquez la raison sociale (colonne name)"})
    brand_name = _text()
    description = _text()
    immersion_description = _text()
    ess_status = _text()
    kind = _text()
    headcount = _text()
    naf = _text()
    website = _text()
    contact_mode = _text()
    phone = PhoneField(required=False, max_length=None)
    contact_instructions = _text()
    max_requests_per_month = _text()
    contact_email = _text()
    causes = _text()
    networks = _text()
    site_label = _text()
    insee_code = _text()
    postal_code = _text()
    commune = _text()
    address = forms.CharField(error_messages={"required": "indiquez l'adresse (colonne address)"})
    appellations = _text()

    def clean_siret(self) -> str:
        problem = siret_error(self.cleaned_data["siret"])
        if problem:
            raise ValidationError(problem)
        return normalize_siret(self.cleaned_data["siret"])

    def clean_ess_status(self) -> str:
        return _choice(
            self.cleaned_data["ess_status"], HostStructure.EssStatus.choices, "Statut ESS"
        )

    def clean_kind(self) -> str:
        return _choice(self.cleaned_data["kind"], HostStructure.Kind.choices, "Type de structure")

    def clean_headcount(self) -> str:
        """A band of ``HostStructure.Headcount``, or a number of people put in its band."""
        value = self.cleaned_data["headcount"]
        if value.isdigit():
            number = int(value)
            for low, key in ((250, "250+"), (50, "50-249"), (10, "10-49"), (1, "1-9"), (0, "0")):
                if number >= low:
                    return key
        return _choice(value, HostStructure.Headcount.choices, "Effectif")

    def clean_naf(self):
        value = self.cleaned_data["naf"]
        return lookups.resolve_naf(value) if value else None

    def clean_website(self) -> str:
        value = self.cleaned_data["website"]
        if not value:
            return ""
        website = value if "://" in value else f"https://{value}"
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            raise ValidationError(f"site web invalide : « {value} »") from None
        return website

    def clean_contact_mode(self) -> str:
        mode = self.cleaned_data["contact_mode"]
        if not mode:
            return ""
        found = CONTACT_MODES.get(
            mode.lower(), CONTACT_MODES.get(normalize(mode).replace(" ", "_"))
        )
        if found is None:
            raise ValidationError(
                f"mode de contact inconnu : « {mode} » (message, telephone ou sur_place)"
            )
        return found

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        if self.cleaned_data.get("contact_mode") == HostStructure.ContactMode.PHONE and not phone:
            raise ValidationError("mode de contact « telephone » sans numéro (colonne phone)")
        return phone

    def clean_max_requests_per_month(self) -> int | None:
        value = self.cleaned_data["max_requests_per_month"]
        if not value:
            return None
        if value.isdigit() and int(value) <= rules.MAX_CAPACITY:
            return int(value)
        raise ValidationError(
            f"max_requests_per_month doit être un nombre de 0 à {rules.MAX_CAPACITY}"
        )

    def clean_contact_email(self) -> str:
        email = self.cleaned_data["contact_email"].lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise ValidationError(
                    f"adresse e-mail invalide : « {self.cleaned_data['contact_email']} »"
                ) from None
        return email

    def _slugs(self, name: str, model: type[Cause] | type[Network], label: str) -> list:
        wanted = _split(self.cleaned_data[name])
        rows = {row.slug: row for row in model.objects.filter(slug__in=wanted)}
        unknown = [slug for slug in wanted if slug not in rows]
        if unknown:
            raise ValidationError(
                f"{label} inconnue(s) : " + ", ".join(f"« {slug} »" for slug in unknown)
            )
        return [rows[slug] for slug in wanted]

    def clean_causes(self) -> list[Cause]:
        return self._slugs("causes", Cause, "cause")

    def clean_networks(self) -> list[Network]:
        return self._slugs("networks", Network, "réseau")

    def clean_commune(self) -> Commune | None:
        """The commune of the INSEE code, else of the postal code and the name."""
        insee = self.cleaned_data.get("insee_code", "")
        if insee:
            commune = Commune.objects.filter(insee_code=insee.zfill(5)).first()
            if commune is None:
                raise ValidationError(f"code INSEE inconnu : « {insee} »")
            return commune
        postal_code = self.cleaned_data.get("postal_code", "")
        name = self.cleaned_data["commune"]
        if not postal_code and not name:
            raise ValidationError("indiquez insee_code, ou postal_code et commune")
        candidates = Commune.objects.all()
        if postal_code:
            candidates = candidates.filter(postal_codes__contains=postal_code.zfill(5))
        matches = [
            commune
            for commune in candidates
            if (not postal_code or postal_code.zfill(5) in commune.postal_code_list)
            and (not name or normalize_commune_name(commune.name) == normalize_commune_name(name))
        ]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise ValidationError(
                f"commune introuvable : « {name} » ({postal_code or 'sans code postal'})"
            )
        raise ValidationError(
            f"commune ambiguë : « {name or postal_code} » (précisez insee_code : "
            + ", ".join(f"{c.insee_code} {c.name}" for c in matches[:5])
            + ")"
        )

    def clean_appellations(self) -> list[Appellation]:
        """OGR codes, or ROME codes (their main appellation), separated by ``|``."""
        found: list[Appellation] = []
        errors: list[str] = []
        for code in _split(self.cleaned_data["appellations"]):
            if code.isdigit():
                appellation = Appellation.objects.filter(code=int(code)).first()
            elif ROME_CODE.match(code.upper()):
                appellation = _main_appellation(code.upper())
            else:
                appellation = None
            if appellation is None:
                errors.append(f"métier inconnu : « {code} » (code OGR ou code ROME attendu)")
            elif appellation not in found:
                found.append(appellation)
        if errors:
            raise ValidationError(errors)
        if not found and not self._errors:
            raise ValidationError("indiquez au moins un métier (codes OGR ou ROME séparés par |)")
        return found

    def clean(self):
        commune = self.cleaned_data.get("commune")
        if commune is not None and (commune.latitude is None or commune.longitude is None):
            raise ValidationError(f"position inconnue pour la commune {commune.name}")
        return self.cleaned_data

    @property
    def problems(self) -> list[str]:
        """Every message of the line, in the order of the columns' fields."""
        return [message for messages in self.errors.values() for message in messages]

    def parsed(self, network: Network) -> dict:
        """What to save (see ``_save``): the structure's fields given on the line (an
        empty cell changes nothing), its causes and networks (``network`` added), its
        site and the e-mail to invite."""
        data = self.cleaned_data
        fields: dict = {
            key: data[key]
            for key in ("name", "brand_name", "description", "immersion_description")
            if data[key]
        }
        if data["ess_status"]:
            fields["ess_status"] = data["ess_status"]
            fields["is_ess"] = True
        for key, name in (
            ("kind", "kind"),
            ("headcount", "headcount"),
            ("naf", "naf"),
            ("website", "website"),
            ("contact_mode", "contact_mode"),
            ("phone", "contact_phone"),
            ("contact_instructions", "contact_instructions"),
        ):
            if data[key]:
                fields[name] = data[key]
        if data["max_requests_per_month"] is not None:
            fields["max_requests_per_month"] = data["max_requests_per_month"]
        networks = list(data["networks"])
        if network not in networks:
            networks.append(network)
        commune = data["commune"]
        return {
            "siret": data["siret"],
            "fields": fields,
            "causes": data["causes"],
            "networks": networks,
            "site": services.SiteData(
                label=data["site_label"],
                address=data["address"],
                commune=commune,
                postal_code=data["postal_code"]
                if data["postal_code"] in commune.postal_code_list
                else "",
                appellations=data["appellations"],
            ),
            "email": data["contact_email"],
        }


def parse_row(row: dict, network: Network) -> dict:
    """Check one line (``ImportRowForm``); return what to save, or raise ``RowError``
    with every problem."""
    form = ImportRowForm(row)
    if not form.is_valid():
        raise RowError(form.problems)
    return form.parsed(network)


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        out = []
        for name, messages in error.message_dict.items():
            prefix = "" if name == "__all__" else f"{name} : "
            out.extend(prefix + message for message in messages)
        return out
    return list(error.messages)


def _save(parsed: dict, network: Network) -> tuple[HostStructure, str]:
    """Create or update the structure of one parsed line (inside a savepoint)."""
    siret = parsed["siret"]
    structure = (
        HostStructure.objects.select_for_update()
        .filter(siret=siret)
        .exclude(status=HostStructure.Status.CLOSED)
        .first()
    )
    fields = dict(parsed["fields"])
    outcome = UPDATED
    if structure is None:
        outcome = CREATED
        structure = HostStructure(
            siret=siret,
            source=f"import:{network.slug}",
            kind=HostStructure.Kind.ASSOCIATION
            if fields.get("ess_status") == "association"
            else HostStructure.Kind.COMPANY,
        )
        fields.setdefault(
            "max_requests_per_month",
            rules.default_capacity(fields.get("headcount", structure.headcount)),
        )
    for name, value in fields.items():
        setattr(structure, name, value)
    if structure.ess_status and not structure.is_ess:
        structure.is_ess = True
    if structure.status == HostStructure.Status.PENDING or structure.pk is None:
        structure.status = HostStructure.Status.PUBLISHED
        structure.published_at = structure.published_at or timezone.now()
    if not structure.siret_checked_by:  # a list the Immersio team chose to import
        structure.siret_checked_by = HostStructure.SiretCheck.IMPORT
        structure.siret_checked_at = timezone.now()
    structure.full_clean()
    structure.save()
    if parsed["causes"]:
        structure.causes.add(*parsed["causes"])
    structure.networks.add(*parsed["networks"])
    _merge_site(structure, parsed["site"])
    return structure, outcome


def _merge_site(structure: HostStructure, site: services.SiteData) -> None:
    """One site per line. A new structure gets it; an existing one keeps its sites: the
    line updates its only site (or its site in the same commune) and adds the métiers,
    never removing any; otherwise the site is added."""
    existing = list(structure.sites.all())
    target = None
    if len(existing) == 1:
        target = existing[0]
    else:
        target = next((s for s in existing if s.commune_id == site.commune.insee_code), None)
    keep = [
        services.SiteData(
            public_id=s.public_id,
            label=s.label,
            address=s.address,
            commune=s.commune,
            postal_code=s.postal_code,
            appellations=[offer.appellation for offer in s.offers.select_related("appellation")],
        )
        for s in existing
        if s is not target
    ]
    merged_appellations = list(site.appellations)
    if target is not None:
        for offer in target.offers.select_related("appellation"):
            if offer.appellation not in merged_appellations:
                merged_appellations.append(offer.appellation)
    keep.append(
        services.SiteData(
            public_id=target.public_id if target is not None else None,
            label=site.label or (target.label if target is not None else ""),
            address=site.address,
            commune=site.commune,
            postal_code=site.postal_code,
            appellations=merged_appellations,
        )
    )
    services.write_sites(structure, keep)


# The whole import ---------------------------------------------------------------------


def run_import(
    *,
    text: str,
    network: Network,
    wet_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    actor: Actor,
) -> ImportReport:
    """Import the CSV ``text`` for ``network``; a dry run unless ``wet_run``. ``actor``
    (staff in the back office, ``COMMAND`` on the server) sends the invitations."""
    rows = read_rows(text)
    report = ImportReport(network=network, wet_run=wet_run)
    seen: dict[str, int] = {}

    def import_rows() -> None:
        touched: set[int] = set()
        for done, (line, row) in enumerate(rows, start=1):
            result, structure_id = _import_line(line, row, network, wet_run, seen, actor)
            report.lines.append(result)
            if structure_id is not None:
                touched.add(structure_id)
            if progress is not None:
                progress(done, len(rows))
        if touched:
            services.reindex(sorted(touched))

    run_in_transaction(import_rows, wet_run=wet_run)
    return report


def _import_line(line, row, network, wet_run, seen, actor) -> tuple[LineResult, int | None]:
    result = LineResult(line=line, outcome=REJECTED, siret=row["siret"], name=row["name"])
    siret = normalize_siret(row["siret"])
    if siret and siret in seen:
        result.messages = [f"SIRET déjà présent ligne {seen[siret]} du fichier"]
        return result, None
    try:
        parsed = parse_row(row, network)
    except RowError as error:
        result.messages = error.messages
        return result, None
    seen[siret] = line
    result.siret = siret
    try:
        with transaction.atomic():
            structure, outcome = _save(parsed, network)
    except ValidationError as error:
        result.messages = _messages(error)
        return result, None
    except services.StructureError as error:
        result.messages = [error.message]
        return result, None
    result.outcome = outcome
    result.name = structure.display_name
    if structure.status == HostStructure.Status.SUSPENDED:
        result.messages.append("structure suspendue : elle reste suspendue")
    email = parsed["email"]
    if email:
        already = StructureMembership.objects.filter(
            structure=structure, user__email__iexact=email, is_active=True
        ).exists()
        if already:
            result.messages.append(f"{email} fait déjà partie de l'équipe")
        elif wet_run:
            services.invite_member(
                structure=structure,
                email=email,
                role=StructureMembership.Role.ADMIN,
                actor=actor,
            )
            result.messages.append(f"invitation envoyée à {email}")
        else:
            result.messages.append(f"invitation prévue pour {email}")
    return result, structure.pk
