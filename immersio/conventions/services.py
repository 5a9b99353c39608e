"""Changing conventions: drafts, steps, submission. Keyword arguments only."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from immersio.agencies.services import can_create_conventions
from immersio.contacts.models import ContactRequest
from immersio.contacts.models import Status as RequestStatus

from . import rules
from .models import Convention, ConventionEvent, ObjectChoice, Status
from .schedule import presence_days, total_minutes

REQUEST_OBJECTS = {
    "decouvrir": ObjectChoice.DISCOVER,
    "confirmer": ObjectChoice.CONFIRM,
    "recrutement": ObjectChoice.RECRUIT,
}


class ConventionError(Exception):
    def __init__(self, message: str, violations: list[rules.Violation] | None = None):
        super().__init__(message)
        self.message = message
        self.violations = violations or []


# What must be filled before submission, beyond what ``rules.check`` verifies
# (pmsmp-rules §7.2): model field → (violation field path, message).
REQUIRED: dict[str, tuple[str, str]] = {
    "beneficiary_first_name": ("beneficiary.first_name", "Indiquez le prénom du bénéficiaire."),
    "beneficiary_last_name": ("beneficiary.last_name", "Indiquez le nom du bénéficiaire."),
    "beneficiary_birth_date": (
        "beneficiary.birth_date",
        "Indiquez la date de naissance du bénéficiaire.",
    ),
    "beneficiary_email": (
        "signatories.beneficiary.email",
        "Indiquez l'adresse e-mail du bénéficiaire : il ou elle signe la convention.",
    ),
    "emergency_contact_name": (
        "beneficiary.emergency_contact",
        "Indiquez la personne à prévenir en cas d'urgence.",
    ),
    "host_siret": ("host.siret", "Indiquez le SIRET de la structure d'accueil."),
    "host_name": ("host.name", "Indiquez la raison sociale de la structure d'accueil."),
    "host_rep_name": ("host_representative.name", "Indiquez le représentant de la structure."),
    "host_rep_email": (
        "signatories.host_representative.email",
        "Indiquez l'adresse e-mail du représentant de la structure : il ou elle signe.",
    ),
    "tutor_name": ("tutor.name", "Indiquez le tuteur ou la tutrice."),
    "tutor_email": ("tutor.email", "Indiquez l'adresse e-mail du tuteur ou de la tutrice."),
    "object": ("object", "Choisissez l'objet de l'immersion."),
    "objectives": ("objectives", "Décrivez les objectifs précis et la façon de les évaluer."),
    "appellation": ("appellation", "Indiquez le métier observé."),
    "tasks": ("tasks", "Décrivez les activités confiées au bénéficiaire."),
    "place_address": ("place.address", "Indiquez l'adresse du lieu de l'immersion."),
    "date_start": ("date_start", "Indiquez la date de début."),
    "date_end": ("date_end", "Indiquez la date de fin."),
    "agency": ("agency", "Choisissez le prescripteur qui suit le bénéficiaire."),
    "counsellor_name": ("counsellor.name", "Indiquez le conseiller ou la conseillère référent(e)."),
}


def missing(convention: Convention) -> list[rules.Violation]:
    """Mandatory content not filled yet, as violations (code ``required``)."""
    found = []
    for name, (path, message) in REQUIRED.items():
        value = getattr(convention, name if name not in ("agency", "appellation") else name + "_id")
        if value in (None, ""):
            found.append(rules.Violation(path, "required", message))
    if not convention.replaces_no_job:
        found.append(
            rules.Violation(
                "host.replaces_no_job",
                "replaces_no_job_required",
                "La structure doit certifier que l'immersion ne remplace aucun emploi.",
            )
        )
    return found


# --- drafts ---------------------------------------------------------------------------------


def _snapshot_structure(convention: Convention, structure) -> None:
    convention.structure = structure
    convention.host_siret = structure.siret
    convention.host_name = structure.name
    convention.host_legal_form = structure.get_kind_display()
    if structure.naf_id:
        convention.host_activity = str(structure.naf)
    convention.host_headcount = structure.get_headcount_display()
    site = structure.sites.select_related("commune").first()
    if site is not None:
        convention.host_address = f"{site.address}, {site.postal_code} {site.commune.name}".strip()
        convention.place_address = site.address
        convention.place_commune = site.commune


@transaction.atomic
def start_draft(*, by=None, from_request: ContactRequest | None = None, structure=None):
    """A new draft, prefilled from an accepted immersion request or a host structure."""
    convention = Convention(created_by=by if getattr(by, "is_authenticated", False) else None)
    if from_request is not None:
        if from_request.status != RequestStatus.ACCEPTED:
            raise ConventionError("Seule une demande d'immersion acceptée peut être reprise.")
        convention.contact_request = from_request
        convention.beneficiary_first_name = from_request.first_name
        convention.beneficiary_last_name = from_request.last_name
        convention.beneficiary_email = from_request.email
        convention.beneficiary_phone = from_request.phone
        convention.appellation = from_request.appellation
        convention.object = REQUEST_OBJECTS.get(from_request.objective, "")
        # The dates the structure proposed when it accepted.
        convention.date_start = from_request.proposed_start
        convention.date_end = from_request.proposed_end
        structure = from_request.structure
    if structure is not None:
        _snapshot_structure(convention, structure)
    convention.save()
    return convention


def _refresh_totals(convention: Convention) -> None:
    schedule = convention.schedule()
    convention.total_minutes = total_minutes(schedule)
    convention.presence_days = presence_days(schedule)


@transaction.atomic
def save_step(*, convention: Convention, step: str, data: dict) -> Convention:
    """Store the cleaned values of one step (model field → value) on a draft."""
    if not convention.is_draft:
        raise ConventionError("Cette convention a déjà été envoyée : elle ne se modifie plus.")
    for name, value in data.items():
        setattr(convention, name, value)
    _refresh_totals(convention)
    convention.save()
    return convention


# --- rules ----------------------------------------------------------------------------------


def _same_person(convention: Convention):
    return (
        Convention.objects.exclude(pk=convention.pk)
        .filter(status=Status.SUBMITTED)
        .filter(
            beneficiary_last_name__iexact=convention.beneficiary_last_name,
            beneficiary_first_name__iexact=convention.beneficiary_first_name,
            beneficiary_birth_date=convention.beneficiary_birth_date,
        )
    )


def to_rule_data(convention: Convention, on: date | None = None) -> rules.ConventionData | None:
    """The plain data ``rules.check`` takes; None while the dates, birth date or object,
    which every rule needs, are missing. History comes from the database."""
    if not (
        convention.date_start
        and convention.date_end
        and convention.beneficiary_birth_date
        and convention.object
    ):
        return None
    on = on or (
        timezone.localtime(convention.submitted_at).date()
        if convention.submitted_at
        else timezone.localdate()
    )
    contract = None
    if convention.contract_kind and convention.contract_start and convention.contract_end:
        contract = rules.InsertionContract(
            rules.ContractKind(convention.contract_kind),
            convention.contract_start,
            convention.contract_end,
        )
    previous: tuple[rules.PastConvention, ...] = ()
    duplicates: tuple[rules.PotentialDuplicate, ...] = ()
    others: tuple[rules.Period, ...] = ()
    if convention.beneficiary_last_name:
        same_person = _same_person(convention)
        if convention.host_siret:
            window_start = rules.months_before(convention.date_end, 12) + timedelta(days=1)
            previous = tuple(
                rules.PastConvention(
                    date_start=c.date_start,
                    date_end=c.date_end,
                    presence_days=c.presence_days,
                    object=rules.ImmersionObject(c.object),
                    objectives=c.objectives,
                )
                for c in same_person.filter(
                    host_siret=convention.host_siret, date_end__gte=window_start
                ).order_by("date_start")
                if c.date_start and c.date_end and c.object
            )
            if convention.appellation_id:
                duplicates = tuple(
                    rules.PotentialDuplicate(c.reference, c.date_start, c.date_end)
                    for c in same_person.filter(
                        host_siret=convention.host_siret, appellation_id=convention.appellation_id
                    )
                    if c.date_start and c.date_end
                )
        if contract is not None:
            others = tuple(
                rules.Period(c.date_start, c.date_end)
                for c in same_person.filter(
                    date_start__lte=contract.end, date_end__gte=contract.start
                )
            )
    return rules.ConventionData(
        submitted_on=on,
        date_start=convention.date_start,
        date_end=convention.date_end,
        beneficiary_birth_date=convention.beneficiary_birth_date,
        object=rules.ImmersionObject(convention.object),
        objectives=convention.objectives,
        schedule=convention.schedule(),
        signatories=rules.Signatories(
            beneficiary=convention.beneficiary_email,
            host_representative=convention.host_rep_email,
            legal_representative=convention.legal_rep_email or None,
            # An employee's current employer signs: an empty address is reported.
            current_employer=convention.employer_rep_email if convention.is_employee else None,
        ),
        tutor_email=convention.tutor_email,
        is_employee=convention.is_employee or contract is not None,
        insertion_contract=contract,
        has_legal_representative=convention.has_legal_representative,
        previous_conventions=previous,
        other_immersions=others,
        potential_duplicates=duplicates,
    )


def violations(convention: Convention) -> list[rules.Violation]:
    """What the rules say now, once the data they need is there."""
    data = to_rule_data(convention)
    return rules.check(data) if data is not None else []


# --- submission -----------------------------------------------------------------------------


@transaction.atomic
def submit(*, convention: Convention, by=None) -> Convention:
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if not convention.is_draft:
        raise ConventionError("Cette convention a déjà été envoyée.")
    found = missing(convention) + rules.errors(violations(convention))
    if found:
        raise ConventionError(
            "La convention ne peut pas être envoyée tant que des erreurs restent à corriger.",
            found,
        )
    allowed, reason = can_create_conventions(convention.agency)
    if not allowed:
        raise ConventionError(reason, [rules.Violation("agency", "agency_cannot_create", reason)])
    now = timezone.now()
    rule_set = rules.rule_set_for(timezone.localtime(now).date())
    convention.status = Status.SUBMITTED
    convention.submitted_at = now
    convention.rules_version = rule_set.version
    convention.save()
    ConventionEvent.objects.create(
        convention=convention,
        at=now,
        by=by if getattr(by, "is_authenticated", False) else None,
        from_status=Status.DRAFT,
        to_status=Status.SUBMITTED,
        rules_version=rule_set.version,
    )
    return convention


@dataclass(frozen=True)
class PurgeReport:
    count: int
    wet_run: bool


def purge_expired_drafts(*, wet_run: bool = False, now=None) -> PurgeReport:
    """Delete drafts untouched for 30 days (dry run unless ``wet_run``)."""
    expired = Convention.objects.expired_drafts(now)
    count = expired.count()
    if wet_run:
        expired.delete()
    return PurgeReport(count=count, wet_run=wet_run)
