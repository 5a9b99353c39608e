"""The content of a convention as one canonical document: what a signature binds to.

``canonical(convention)`` is a JSON-ready dict of every mention of the convention (Code du
travail D5135-2) and of every party's contact details; ``digest`` its SHA-256 over the JSON
with sorted keys and no spaces, so the same content always gives the same hash, on any
machine. ``changes(before, after)`` lists what differs, each change marked as a change of
substance (dates, schedule, place, object, objectives, tasks, a party) or a correction
(contact details, a misspelt name), for the e-mails and the evidence.
"""

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

FORMAT = 1  # bump when the shape of ``canonical`` changes: old hashes stay verifiable

# (key, label, model attribute or callable). The order is the reading order of the diff.
_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("beneficiary.first_name", "prénom du bénéficiaire", "beneficiary_first_name"),
    ("beneficiary.last_name", "nom du bénéficiaire", "beneficiary_last_name"),
    ("beneficiary.birth_date", "date de naissance du bénéficiaire", "beneficiary_birth_date"),
    ("beneficiary.address", "adresse du bénéficiaire", "beneficiary_address"),
    ("beneficiary.situation", "situation du bénéficiaire", "beneficiary_situation"),
    ("beneficiary.rsa", "bénéficiaire du RSA", "beneficiary_rsa"),
    ("beneficiary.rqth", "RQTH", "beneficiary_rqth"),
    ("beneficiary.email", "e-mail du bénéficiaire", "beneficiary_email"),
    ("beneficiary.phone", "téléphone du bénéficiaire", "beneficiary_phone"),
    ("beneficiary.emergency_name", "personne à prévenir", "emergency_contact_name"),
    (
        "beneficiary.emergency_phone",
        "téléphone de la personne à prévenir",
        "emergency_contact_phone",
    ),
    ("beneficiary.help_needed", "aide nécessaire", "help_needed"),
    ("legal_rep.first_name", "prénom du représentant légal", "legal_rep_first_name"),
    ("legal_rep.last_name", "nom du représentant légal", "legal_rep_last_name"),
    ("legal_rep.relationship", "lien du représentant légal", "legal_rep_relationship"),
    ("legal_rep.email", "e-mail du représentant légal", "legal_rep_email"),
    ("legal_rep.phone", "téléphone du représentant légal", "legal_rep_phone"),
    ("employer.is_employee", "bénéficiaire salarié", "is_employee"),
    ("employer.siret", "SIRET de l'employeur actuel", "employer_siret"),
    ("employer.name", "employeur actuel", "employer_name"),
    ("employer.rep_name", "représentant de l'employeur actuel", "employer_rep_name"),
    ("employer.rep_function", "fonction du représentant de l'employeur", "employer_rep_function"),
    ("employer.rep_email", "e-mail du représentant de l'employeur", "employer_rep_email"),
    ("employer.rep_phone", "téléphone du représentant de l'employeur", "employer_rep_phone"),
    ("employer.contract_kind", "contrat aidé ou d'insertion", "contract_kind"),
    ("employer.contract_start", "début du contrat", "contract_start"),
    ("employer.contract_end", "fin du contrat", "contract_end"),
    ("host.siret", "SIRET de la structure d'accueil", "host_siret"),
    ("host.name", "structure d'accueil", "host_name"),
    ("host.legal_form", "forme juridique de la structure", "host_legal_form"),
    ("host.activity", "activité de la structure", "host_activity"),
    ("host.collective_agreement", "convention collective", "host_collective_agreement"),
    ("host.headcount", "effectif", "host_headcount"),
    ("host.address", "adresse de la structure", "host_address"),
    ("host.rep_name", "représentant de la structure", "host_rep_name"),
    ("host.rep_function", "fonction du représentant de la structure", "host_rep_function"),
    ("host.rep_email", "e-mail du représentant de la structure", "host_rep_email"),
    ("host.rep_phone", "téléphone du représentant de la structure", "host_rep_phone"),
    ("tutor.name", "tuteur ou tutrice", "tutor_name"),
    ("tutor.function", "fonction du tuteur", "tutor_function"),
    ("tutor.email", "e-mail du tuteur", "tutor_email"),
    ("tutor.phone", "téléphone du tuteur", "tutor_phone"),
    ("host.replaces_no_job", "ne remplace aucun emploi", "replaces_no_job"),
    ("agency.counsellor_name", "conseiller référent", "counsellor_name"),
    ("agency.counsellor_email", "e-mail du conseiller référent", "counsellor_email"),
    ("immersion.object", "objet de l'immersion", "object"),
    ("immersion.objectives", "objectifs", "objectives"),
    ("immersion.tasks", "activités et tâches", "tasks"),
    ("immersion.skills", "compétences", "skills"),
    ("immersion.place_address", "lieu de l'immersion", "place_address"),
    ("immersion.work_conditions", "conditions d'exercice", "work_conditions"),
    ("immersion.risks", "risques professionnels", "risks"),
    ("immersion.prevention", "prévention", "prevention"),
    ("immersion.provides_meals", "repas pris en charge", "provides_meals"),
    ("immersion.provides_transport", "transport pris en charge", "provides_transport"),
    ("dates.start", "date de début", "date_start"),
    ("dates.end", "date de fin", "date_end"),
    ("dates.weekly_pattern", "horaires", "weekly_pattern"),
    ("dates.exceptions", "exceptions au planning", "schedule_exceptions"),
    ("dates.total_minutes", "durée totale", "total_minutes"),
    ("dates.presence_days", "jours de présence", "presence_days"),
)
_LABELS = {key: label for key, label, _attribute in _FIELDS}
_LABELS.update(
    {
        "agency": "prescripteur",
        "immersion.appellation": "métier",
        "immersion.place_commune": "commune du lieu de l'immersion",
        "renewal.of": "convention renouvelée",
    }
)

# Contact details: correcting them is not a change of substance.
_CONTACT_KEYS = frozenset(key for key in _LABELS if key.endswith(("email", "phone")))
# Names: a small spelling fix is a correction; another name is another person.
_NAME_KEYS = frozenset(
    {
        "beneficiary.first_name",
        "beneficiary.last_name",
        "legal_rep.first_name",
        "legal_rep.last_name",
        "employer.rep_name",
        "host.rep_name",
        "tutor.name",
        "agency.counsellor_name",
        "beneficiary.emergency_name",
    }
)


def _plain(value: object) -> object:
    if value is None or isinstance(value, (bool, int, str, list, dict)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def canonical(convention: object) -> dict:
    """Every mention of ``convention`` (a ``Convention``), JSON-ready, keyed by stable
    names (never the model's field names: the hash must survive a renamed column)."""
    data: dict[str, object] = {"format": FORMAT}
    for key, _label, attribute in _FIELDS:
        data[key] = _plain(getattr(convention, attribute))
    agency = convention.agency
    data["agency"] = (
        {"id": str(agency.public_id), "name": agency.name, "siret": agency.siret}
        if agency is not None
        else None
    )
    appellation = convention.appellation
    data["immersion.appellation"] = (
        {"code": appellation.code, "label": appellation.label} if appellation else None
    )
    commune = convention.place_commune
    data["immersion.place_commune"] = (
        {"code": commune.insee_code, "name": commune.name} if commune else None
    )
    data["renewal.of"] = str(convention.renews.public_id) if convention.renews_id else None
    return data


def digest(content: dict) -> str:
    """SHA-256 (hex) of the canonical JSON of ``content``."""
    raw = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Change:
    key: str
    label: str
    before: object
    after: object
    substance: bool


def _folded(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").casefold()
    return "".join(c for c in text if c.isalnum())


def is_spelling_fix(before: str, after: str) -> bool:
    """Two spellings of the same name: the same letters but for case, accents, spaces and
    hyphens, or at most two letters changed in a name of five or more."""
    a, b = _folded(before), _folded(after)
    if not a or not b:
        return False
    if a == b:
        return True
    if min(len(a), len(b)) < 5:
        return False
    matcher = SequenceMatcher(None, a, b)
    changed = sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )
    return changed <= 2


def changes(before: dict, after: dict) -> list[Change]:
    """What differs from ``before`` to ``after`` (two ``canonical`` dicts), in reading
    order; ``substance`` is False for contact details and spelling fixes of names."""
    found = []
    for key, label in _LABELS.items():
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key in _CONTACT_KEYS:
            substance = False
        elif key in _NAME_KEYS:
            substance = not is_spelling_fix(str(old or ""), str(new or ""))
        else:
            substance = True
        found.append(Change(key, label, old, new, substance))
    return found


def is_substantial(found: list[Change]) -> bool:
    return any(change.substance for change in found)
