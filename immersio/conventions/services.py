"""Changing conventions: drafts, steps, submission. Keyword arguments only.

Every function that changes state takes the ``actor`` (``core.actors``): a party to the
convention (``Convention.objects.visible_to``), or the platform where it says so.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from immersio.accounts.models import User
from immersio.contacts.models import ContactRequest
from immersio.contacts.models import Status as RequestStatus
from immersio.core.actors import AUTOMATIC, COMMAND, TASK, Actor, anyone, is_staff, require, user_of
from immersio.core.validators import normalise_french_mobile
from immersio.core.vocabulary import CONVENTION_SITUATIONS
from immersio.structures.models import HostStructure
from immersio.teams.people import get_or_create_user

from . import rules, selectors
from .models import (
    DRAFT_LIFETIME,
    INVITATION_LIFETIME,
    Convention,
    ConventionInvitation,
    SensitiveAccess,
    Status,
)
from .schedule import presence_days, total_minutes
from .transitions import AGENCY, LIVE


class ConventionError(Exception):
    def __init__(self, message: str, violations: list[rules.Violation] | None = None):
        super().__init__(message)
        self.message = message
        self.violations = violations or []


# What must be filled before submission, beyond what ``rules.check`` verifies
# (the mentions of Code du travail art. D5135-2): model field → (violation field path, message).
REQUIRED: dict[str, tuple[str, str]] = {
    "beneficiary_first_name": ("beneficiary.first_name", "Indiquez le prénom du bénéficiaire."),
    "beneficiary_last_name": ("beneficiary.last_name", "Indiquez le nom du bénéficiaire."),
    "beneficiary_birth_date": (
        "beneficiary.birth_date",
        "Indiquez la date de naissance du bénéficiaire.",
    ),
    "beneficiary_email": (
        "signatories.beneficiary.email",
        "Indiquez l'adresse e-mail du bénéficiaire (ou, à défaut, son téléphone mobile) : "
        "il ou elle signe la convention.",
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
        "Indiquez l'adresse e-mail du représentant de la structure (ou, à défaut, son "
        "téléphone mobile) : il ou elle signe.",
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


# A signatory without an e-mail address signs with a code sent to their mobile phone.
_SMS_INSTEAD = {"beneficiary_email": "beneficiary_phone", "host_rep_email": "host_rep_phone"}


def _signs_by_sms(convention: Convention, name: str) -> bool:
    phone = getattr(convention, _SMS_INSTEAD[name], "") if name in _SMS_INSTEAD else ""
    return bool(phone) and normalise_french_mobile(phone) is not None


def missing(convention: Convention) -> list[rules.Violation]:
    """Mandatory content not filled yet, as violations (code ``required``)."""
    found = []
    for name, (path, message) in REQUIRED.items():
        value = getattr(convention, name if name not in ("agency", "appellation") else name + "_id")
        if value in (None, "") and not _signs_by_sms(convention, name):
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


def _may_edit(user: User, convention: Convention) -> bool:
    """A party to the convention: it is among those ``user`` may see."""
    return Convention.objects.visible_to(user).filter(pk=convention.pk).exists()


def _require_party(actor: Actor, convention: Convention) -> None:
    """Only a party to the convention (or the platform) changes it."""
    require(actor, lambda user: _may_edit(user, convention))


def _snapshot_structure(convention: Convention, structure: HostStructure) -> None:
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


def existing_draft(*, from_request: ContactRequest | None = None) -> Convention | None:
    """The draft of ``from_request`` (whoever started it), or None. (A structure prepares
    conventions for several people: starting from a structure always makes a new one.)"""
    if from_request is None:
        return None
    drafts = Convention.objects.drafts().order_by("-updated_at")
    return drafts.filter(contact_request=from_request).first()


def _may_start_from(
    user: User, from_request: ContactRequest | None, structure: HostStructure | None
) -> bool:
    if from_request is not None:
        return ContactRequest.objects.visible_to(user).filter(pk=from_request.pk).exists()
    if structure is not None:
        visible = HostStructure.objects.public() | HostStructure.objects.visible_to(user)
        return visible.filter(pk=structure.pk).exists()
    return True


@transaction.atomic
def start_draft(
    *,
    actor: Actor,
    from_request: ContactRequest | None = None,
    structure: HostStructure | None = None,
) -> Convention:
    """The draft of an accepted immersion request or of a host structure: the existing one
    if there is one (a second click never makes a second draft), else a new one, prefilled
    from the request or the structure. The actor must see the request (its candidate or
    its structure's team) or the structure (published, or theirs)."""
    require(actor, lambda user: _may_start_from(user, from_request, structure))
    if from_request is not None:
        if from_request.status != RequestStatus.ACCEPTED:
            raise ConventionError("Seule une demande d'immersion acceptée peut être reprise.")
        # Serialize concurrent starts for one request: the second sees the first's draft.
        ContactRequest.objects.select_for_update().filter(pk=from_request.pk).first()
    existing = existing_draft(from_request=from_request)
    if existing is not None and not existing.is_expired():
        return existing
    convention = Convention(created_by=user_of(actor))
    if from_request is not None:
        convention.contact_request = from_request
        convention.beneficiary_first_name = from_request.first_name
        convention.beneficiary_last_name = from_request.last_name
        convention.beneficiary_email = from_request.email
        convention.beneficiary_phone = from_request.phone
        convention.appellation = from_request.appellation
        convention.object = from_request.objective  # one vocabulary: no translation
        if from_request.situation in dict(CONVENTION_SITUATIONS):
            convention.beneficiary_situation = from_request.situation
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


# The fields of the beneficiary and of the host, in the order the convention form asks them.
BENEFICIARY_FIELDS = (
    "beneficiary_first_name",
    "beneficiary_last_name",
    "beneficiary_birth_date",
    "beneficiary_email",
    "beneficiary_phone",
    "beneficiary_address",
    "beneficiary_situation",
    "beneficiary_rqth",
    "beneficiary_rsa",
    "emergency_contact_name",
    "emergency_contact_phone",
    "help_needed",
    "legal_rep_first_name",
    "legal_rep_last_name",
    "legal_rep_email",
    "legal_rep_phone",
    "legal_rep_relationship",
    "is_employee",
    "employer_name",
    "employer_siret",
    "employer_rep_name",
    "employer_rep_function",
    "employer_rep_email",
    "employer_rep_phone",
    "contract_kind",
    "contract_start",
    "contract_end",
)
HOST_FIELDS = (
    "host_siret",
    "host_name",
    "host_legal_form",
    "host_activity",
    "host_collective_agreement",
    "host_headcount",
    "host_address",
    "host_rep_name",
    "host_rep_function",
    "host_rep_email",
    "host_rep_phone",
    "tutor_name",
    "tutor_function",
    "tutor_email",
    "tutor_phone",
)

# Copied from the convention renewed: the same beneficiary (but for the help they need),
# host, object and objectives.
RENEWAL_COPIED = (
    *(name for name in BENEFICIARY_FIELDS if name != "help_needed"),
    "structure",
    *HOST_FIELDS,
    "agency",
    "counsellor_name",
    "counsellor_email",
    "object",
    "objectives",
    "appellation",
    "tasks",
    "skills",
    "place_address",
    "place_commune",
    "work_conditions",
    "risks",
    "prevention",
    "weekly_pattern",
)


def _may_renew(user: User, parent: Convention) -> bool:
    """A party to ``parent``, or a member of its agency's team (a valideur of the
    prescripteur a structure d'accompagnement refers to included)."""
    return _may_edit(user, parent) or bool(selectors.roles_of(user, parent) & AGENCY)


def _renewal_draft(parent: Convention) -> Convention | None:
    """The draft renewing ``parent`` still open (not expired), if any: starting a renewal
    again returns it instead of opening a second one."""
    return (
        Convention.objects.drafts()
        .filter(renewal_root_id=parent.renewal_root_id or parent.pk)
        .filter(updated_at__gt=timezone.now() - DRAFT_LIFETIME)
        .order_by("created_at", "pk")
        .first()
    )


def _already_renewed(original_pk: int, *, excluding: int | None = None) -> bool:
    return (
        Convention.objects.filter(renewal_root_id=original_pk)
        .exclude(status=Status.DRAFT)
        .exclude(pk=excluding)
        .exists()
    )


@transaction.atomic
def start_renewal(*, parent: Convention, actor: Actor) -> Convention:
    """A draft renewing ``parent`` (D5135-3: once, with the same object and objectives),
    by a party to ``parent`` or a member of its agency's team. Once: while a draft renewing
    it is open, that draft is returned (the row lock on ``parent`` makes two calls at the
    same moment open one draft); the person who asked joins it if they could not open it.
    The new dates are left to choose; ``rules.check_renewal`` decides at submission."""
    require(actor, lambda user: _may_renew(user, parent))
    parent = Convention.objects.select_for_update(of=("self",)).get(pk=parent.pk)
    if parent.is_draft:
        raise ConventionError("Seule une convention envoyée peut être renouvelée.")
    if parent.is_renewal:
        raise ConventionError(
            "Une immersion ne peut être renouvelée qu'une fois : cette convention est déjà un "
            "renouvellement."
        )
    if _already_renewed(parent.pk):
        raise ConventionError(
            "Une immersion ne peut être renouvelée qu'une fois : cette convention a déjà été "
            "renouvelée."
        )
    if (existing := _renewal_draft(parent)) is not None:
        person = user_of(actor)
        if person is not None and not _may_edit(person, existing):
            existing.participants.add(person)
        return existing
    convention = Convention(created_by=user_of(actor), renews=parent)
    for name in RENEWAL_COPIED:
        setattr(convention, name, getattr(parent, name))
    convention.save()
    return convention


@transaction.atomic
def save_step(*, convention: Convention, step: str, data: dict, actor: Actor) -> Convention:
    """Store the cleaned values of one step (model field → value) on a draft."""
    _require_party(actor, convention)
    if not convention.is_draft:
        raise ConventionError("Cette convention a déjà été envoyée : elle ne se modifie plus.")
    for name, value in data.items():
        setattr(convention, name, value)
    _refresh_totals(convention)
    convention.save()
    return convention


# --- rules ----------------------------------------------------------------------------------


def _same_person(convention: Convention) -> QuerySet[Convention]:
    """The beneficiary's other live conventions: not this one, not the one it amends (an
    amendment replaces it), not those an amendment replaced."""
    return (
        Convention.objects.exclude(pk=convention.pk)
        .exclude(pk=convention.amends_id)
        .filter(status__in=LIVE, replaced_at__isnull=True)
        .filter(
            beneficiary_last_name__iexact=convention.beneficiary_last_name,
            beneficiary_first_name__iexact=convention.beneficiary_first_name,
            beneficiary_birth_date=convention.beneficiary_birth_date,
        )
    )


def to_rule_data(
    convention: Convention, on: date | None = None, *, viewer: User | None = None
) -> rules.ConventionData | None:
    """The plain data ``rules.check`` takes; None while the dates, birth date or object,
    which every rule needs, are missing. History comes from the database.

    With a ``viewer``, possible duplicates (whose warning names the other convention, its
    reference and dates) are only those the viewer is a party to: a convention is never
    revealed to someone outside it. Without one (submission, the prescriber's review),
    all of them."""
    if not _checkable(convention):
        return None
    on = on or _submitted_on(convention)
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
            # Every 12 months overlapping this convention: those ending on its first day or
            # later begin the day after its first day minus 12 months.
            window_start = rules.months_before(convention.date_start, 12) + timedelta(days=1)
            previous = tuple(
                rules.PastConvention(
                    date_start=c.date_start,
                    date_end=c.date_end,
                    presence_days=c.presence_days,
                    object=rules.ImmersionObject(c.object),
                    objectives=c.objective_list(),
                    is_renewal=c.is_renewal,
                )
                for c in same_person.filter(
                    host_siret=convention.host_siret, date_end__gte=window_start
                ).order_by("date_start")
                if c.date_start and c.date_end and c.object
            )
            if convention.appellation_id:
                duplicates = tuple(
                    rules.PotentialDuplicate(c.reference, c.date_start, c.date_end)
                    for c in _readable_by(
                        same_person.filter(
                            host_siret=convention.host_siret,
                            appellation_id=convention.appellation_id,
                        ),
                        viewer,
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
    renewal = None
    if convention.renews_id is not None:
        parent = convention.renews
        renewal = rules.RenewalInfo(
            parent_is_renewal=parent.is_renewal,
            parent_object=rules.ImmersionObject(parent.object),
            parent_objectives=parent.objective_list(),
            parent_objectives_not_met=selectors.parent_objectives_not_met(parent),
            # An amendment (avenant) of a renewal is that renewal, changed: not another one.
            parent_already_renewed=not convention.is_amendment
            and _already_renewed(convention.renewal_root_id, excluding=convention.pk),
        )
    return _rule_data(
        convention,
        on,
        contract=contract,
        renewal=renewal,
        previous=previous,
        others=others,
        duplicates=duplicates,
    )


def _checkable(convention: Convention) -> bool:
    """Every rule needs the dates, the birth date and the object."""
    return bool(
        convention.date_start
        and convention.date_end
        and convention.beneficiary_birth_date
        and convention.object
    )


def _submitted_on(convention: Convention) -> date:
    if convention.submitted_at:
        return timezone.localtime(convention.submitted_at).date()
    return timezone.localdate()


def _rule_data(
    convention: Convention,
    on: date,
    *,
    contract: rules.InsertionContract | None = None,
    renewal: rules.RenewalInfo | None = None,
    previous: tuple[rules.PastConvention, ...] = (),
    others: tuple[rules.Period, ...] = (),
    duplicates: tuple[rules.PotentialDuplicate, ...] = (),
) -> rules.ConventionData:
    return rules.ConventionData(
        submitted_on=on,
        date_start=convention.date_start,
        date_end=convention.date_end,
        beneficiary_birth_date=convention.beneficiary_birth_date,
        object=rules.ImmersionObject(convention.object),
        objectives=convention.objective_list(),
        schedule=convention.schedule(),
        signatories=rules.Signatories(
            beneficiary=convention.beneficiary_email,
            host_representative=convention.host_rep_email,
            legal_representative=convention.legal_rep_email or None,
            # An employee's current employer signs: an empty address is reported.
            current_employer=convention.employer_rep_email if convention.is_employee else None,
            by_sms=frozenset(
                role
                for role, email, phone in (
                    ("beneficiary", convention.beneficiary_email, convention.beneficiary_phone),
                    ("host_representative", convention.host_rep_email, convention.host_rep_phone),
                    (
                        "legal_representative",
                        convention.legal_rep_email,
                        convention.legal_rep_phone,
                    ),
                    (
                        "current_employer",
                        convention.employer_rep_email,
                        convention.employer_rep_phone,
                    ),
                )
                if not email and normalise_french_mobile(phone or "")
            ),
        ),
        tutor_email=convention.tutor_email,
        is_employee=convention.is_employee or contract is not None,
        insertion_contract=contract,
        has_legal_representative=convention.has_legal_representative,
        renewal=renewal,
        previous_conventions=previous,
        other_immersions=others,
        potential_duplicates=duplicates,
    )


def _readable_by(queryset: QuerySet[Convention], viewer: User | None) -> QuerySet[Convention]:
    if viewer is None:
        return queryset
    return queryset.filter(pk__in=Convention.objects.visible_to(viewer).values("pk"))


def violations(convention: Convention, *, viewer: User | None = None) -> list[rules.Violation]:
    """What the rules say now, once the data they need is there (``viewer``: see
    ``to_rule_data``)."""
    data = to_rule_data(convention, viewer=viewer)
    if data is not None:
        return rules.check(data)
    return _age_violations(convention)


def _age_violations(convention: Convention) -> list[rules.Violation]:
    """Before the dates and object are known, the age rules (minimum age, legal
    representative of a minor) still run as soon as the birth date is typed — on the
    start date if known, else today — so that they show at the beneficiary's step."""
    birth = convention.beneficiary_birth_date
    if birth is None:
        return []
    today = timezone.localdate()
    start = convention.date_start or today
    data = rules.ConventionData(
        submitted_on=today,
        date_start=start,
        date_end=convention.date_end or start,
        beneficiary_birth_date=birth,
        object=rules.ImmersionObject.DISCOVER,
        objectives="",
        schedule=convention.schedule(),
        signatories=rules.Signatories(beneficiary="", host_representative=""),
        tutor_email="",
        has_legal_representative=convention.has_legal_representative,
    )
    rule_set = rules.rule_set_for(today)
    return list(rules.check_age(data, rule_set.limits))


def possible_duplicates(convention: Convention) -> list[rules.Violation]:
    """The possible-duplicate warnings of a convention, for its prescriber's review (only
    the duplicate rule runs)."""
    return possible_duplicates_of([convention]).get(convention.pk, [])


def possible_duplicates_of(conventions: Iterable[Convention]) -> dict[int, list[rules.Violation]]:
    """``possible_duplicates`` of a page of conventions, by primary key, in one query (the
    prescriber's review lists a page of them): the submitted conventions of the same person
    (names whatever their case, birth date) at the same SIRET for the same métier."""
    conventions = [
        convention
        for convention in conventions
        if _checkable(convention)
        and convention.beneficiary_last_name
        and convention.host_siret
        and convention.appellation_id
    ]
    if not conventions:
        return {}

    def person(c: Convention) -> tuple:
        return (
            c.beneficiary_last_name.upper(),
            c.beneficiary_first_name.upper(),
            c.beneficiary_birth_date,
            c.host_siret,
            c.appellation_id,
        )

    wanted = Q()
    for convention in conventions:
        wanted |= Q(
            beneficiary_last_name__iexact=convention.beneficiary_last_name,
            beneficiary_first_name__iexact=convention.beneficiary_first_name,
            beneficiary_birth_date=convention.beneficiary_birth_date,
            host_siret=convention.host_siret,
            appellation_id=convention.appellation_id,
        )
    candidates: dict[tuple, list[Convention]] = {}
    for other in (
        Convention.objects.filter(wanted, status__in=LIVE, replaced_at__isnull=True)
        .exclude(date_start=None)
        .exclude(date_end=None)
        .order_by("date_start", "pk")
    ):
        candidates.setdefault(person(other), []).append(other)
    found = {}
    for convention in conventions:
        duplicates = tuple(
            rules.PotentialDuplicate(other.reference, other.date_start, other.date_end)
            for other in candidates.get(person(convention), [])
            if other.pk not in (convention.pk, convention.amends_id)
        )
        data = _rule_data(convention, _submitted_on(convention), duplicates=duplicates)
        limits = rules.rule_set_for(data.submitted_on).limits
        found[convention.pk] = [
            v for v in rules.check_duplicates(data, limits) if v.code == "possible_duplicate"
        ]
    return found


# --- access ---------------------------------------------------------------------------------

INVITATION_SALT = "conventions.invitation"
INVITATION_MAX_AGE = INVITATION_LIFETIME


class InvitationLinkError(ConventionError):
    pass


def can_start_draft(*, actor: Actor, ip: str) -> bool:
    """Rate limits on new drafts, per account and per address (counts one attempt, so it
    changes state: only a person starts drafts through the pages)."""
    from immersio.core.ratelimit import hit

    require(actor, anyone, system_allowed=False)
    allowed_user = hit("convention_draft_per_user", str(actor.pk))
    allowed_ip = hit("convention_draft_per_ip", ip)
    return allowed_user and allowed_ip


@transaction.atomic
def invite(*, convention: Convention, email: str, actor: Actor) -> ConventionInvitation:
    """A party invites ``email`` to complete the draft: the link sent proves the address."""
    from immersio.notifications.services import notify

    from .notifications import ConventionInvitationNotification

    _require_party(actor, convention)
    if not convention.is_draft:
        raise ConventionError("Cette convention a déjà été envoyée : elle ne se modifie plus.")
    invitation = ConventionInvitation.objects.create(
        convention=convention, email=email.strip().lower(), invited_by=user_of(actor)
    )
    notify(
        ConventionInvitationNotification(
            invitation=invitation, accept_url=invitation_url(invitation)
        )
    )
    return invitation


def invitation_url(invitation: ConventionInvitation) -> str:
    """The personal link sent to an invited party (rebuilt fresh at each sending attempt)."""
    from immersio.core.links import signed_url

    return signed_url(
        "conventions:invitation", invitation.public_id, salt=INVITATION_SALT, key="invitation"
    )


def read_invitation(token: str) -> ConventionInvitation:
    from immersio.core.links import read_signed_id

    public_id = read_signed_id(
        token, salt=INVITATION_SALT, key="invitation", max_age=INVITATION_MAX_AGE
    )
    invitation = (
        ConventionInvitation.objects.select_related("convention")
        .filter(public_id=public_id)
        .first()
        if public_id
        else None
    )
    if invitation is None:
        raise InvitationLinkError("Ce lien d'invitation est invalide ou a expiré.")
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, actor: Actor) -> tuple[User, Convention, bool]:
    """The invited person opened the link sent to their address: they become a
    participant of the draft (account created if needed). Returns (user, convention,
    first_use): only the first use of the link may open a session.

    The link is the proof, not a session (the person may be logged out, or logged in as
    someone else): the actor is ``AUTOMATIC`` (a person proving control of a link sent to
    them), and nobody else may use it on their behalf."""
    require(actor, lambda user: False, system_allowed={AUTOMATIC})
    invitation = read_invitation(token)
    invitation = ConventionInvitation.objects.select_for_update().get(pk=invitation.pk)
    first_use = invitation.accepted_at is None
    user, _created = get_or_create_user(email=invitation.email)
    invitation.convention.participants.add(user)
    if first_use:
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at", "updated_at"])
    return user, invitation.convention, first_use


@dataclass(frozen=True)
class PurgeReport:
    count: int
    wet_run: bool


def purge_expired_drafts(
    *, actor: Actor, wet_run: bool = False, now: datetime | None = None
) -> PurgeReport:
    """Delete drafts untouched for 30 days (dry run unless ``wet_run``): a scheduled task,
    an operator's command or the Immersio team."""
    require(actor, is_staff, system_allowed={TASK, COMMAND})
    expired = Convention.objects.expired_drafts(now)
    count = expired.count()
    if wet_run:
        expired.delete()
    return PurgeReport(count=count, wet_run=wet_run)


# How long a reason given for the sensitive fields is (the staff's form says it).
ACCESS_REASON_MAX = 500


def record_sensitive_access(
    *, convention: Convention, actor: Actor, role: selectors.SensitiveRole, reason: str
) -> SensitiveAccess | None:
    """Write down that ``actor`` opens ``convention``'s sensitive fields: who, when, as
    what, why. Only a member of its agency (``role="agency"``, the reason is the follow-up
    of the convention, written once per person, convention and day) or the Immersio team
    (``role="staff"``, a reason they give, every time: the back office logs a staff member
    who is also in the agency as the team) may; the rows are never changed. Returns the
    row, ``None`` when the day's row of an agency member is already there."""
    reason = reason.strip()
    require(
        actor,
        lambda user: (
            (role == "staff" and user.is_staff)
            or (role == "agency" and selectors.sensitive_access(user, convention) == "agency")
        ),
        system_allowed=False,
    )
    if not reason:
        raise ValueError("Une consultation de données sensibles a toujours un motif.")
    user = user_of(actor)
    now = timezone.now()
    row = SensitiveAccess(
        convention=convention,
        at=now,
        by=user,
        by_name=(user.get_full_name() or user.email)[:150],  # type: ignore[union-attr]
        role=selectors.ACCESS_ROLES[role],
        reason=reason[:ACCESS_REASON_MAX],
        day=timezone.localdate(now) if role == "agency" else None,
    )
    if row.day is None:
        row.save()
        return row
    if SensitiveAccess.objects.filter(convention=convention, by=user, day=row.day).exists():
        return None
    try:
        with transaction.atomic():  # a savepoint: the request's transaction goes on
            row.save()
    except IntegrityError:  # the day's row is there (maybe written this very second)
        return None
    return row
