"""Reading conventions: who holds which role on one, the prescriber's work list, signatures.

Pure reads; the services (``lifecycle``) change state."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from immersio.accounts.models import User
from immersio.agencies.models import Agency, AgencyMembership
from immersio.contacts.models import ContactRequest
from immersio.contacts.rules import REMINDER_ACTED_HOURS
from immersio.structures.models import StructureMembership

from . import hooks, rules
from .models import (
    Convention,
    ConventionDocument,
    ConventionVersion,
    SensitiveAccess,
    Signatory,
    Signature,
    SignatureReminder,
)
from .transitions import IN_PROGRESS, SIGNATORIES, Role, Status


def _agency_roles(user: User, agency: Agency | None) -> set[Role]:
    """Conseiller or valideur of ``agency``. For a structure d'accompagnement, its own team
    reviews (conseiller) and the valideurs of its prescripteur de rattachement validate.
    One read: the person's active memberships of the agency and of that prescripteur."""
    if agency is None:
        return set()
    agencies = {agency.pk, agency.referring_agency_id} - {None}
    held = set(
        AgencyMembership.objects.filter(
            agency_id__in=agencies, user=user, is_active=True
        ).values_list("agency_id", "role")
    )
    own = {role for agency_id, role in held if agency_id == agency.pk}
    accompanying = agency.kind == Agency.Kind.ACCOMPAGNEMENT
    roles: set[Role] = set()
    if own:
        roles.add(Role.COUNSELLOR)
        if AgencyMembership.Role.VALIDATOR in own and not accompanying:
            roles.add(Role.VALIDATOR)
    referring = agency.referring_agency_id
    if accompanying and referring and (referring, AgencyMembership.Role.VALIDATOR) in held:
        roles.add(Role.VALIDATOR)
    return roles


def _drafts(user: User, convention: Convention) -> bool:
    """Wrote ``convention``, was invited to it, asked the structure for the immersion, or
    belongs to the host structure's team. Plain reads, one after the other: cheaper to
    build than one query joining them."""
    if convention.created_by_id == user.pk:
        return True
    invited = Convention.participants.through.objects.filter(
        convention_id=convention.pk, user_id=user.pk
    )
    if invited.exists():
        return True
    if (
        convention.contact_request_id
        and ContactRequest.objects.filter(
            pk=convention.contact_request_id, candidate_id=user.pk
        ).exists()
    ):
        return True
    return bool(
        convention.structure_id
        and StructureMembership.objects.filter(
            structure_id=convention.structure_id, user_id=user.pk, is_active=True
        ).exists()
    )


def roles_of(
    user: User | None, convention: Convention, *, enough: frozenset[Role] = frozenset()
) -> frozenset[Role]:
    """The roles a logged-in person holds on ``convention`` (``transitions.Role``):
    drafter (wrote it or was invited to), conseiller, valideur, équipe. Signatories act
    through their personal link (``signatory_of``), not through an account.

    ``enough``: the roles that let the caller act (a transition's). When the person's
    agency or team roles hold one, whether they also drafted it is not read (up to three
    reads): the drafter's role ranks after those wherever one role is chosen."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    roles = _agency_roles(user, convention.agency)
    if user.is_staff:
        roles.add(Role.STAFF)
    if roles & enough:
        return frozenset(roles)
    if _drafts(user, convention):
        roles.add(Role.DRAFTER)
    return frozenset(roles)


def signatory_of(user: User | None, convention: Convention) -> Signatory | None:
    """The signatory whose address is ``user``'s verified address (the author of a change
    counts as having signed it)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.email:
        return None
    return (
        convention.signatories.filter(active=True, email__iexact=user.email).order_by("id").first()
    )


def reviewable_by(user: User) -> QuerySet[Convention]:
    """The conventions a prescriber's team member reviews: those of their agencies, and
    for a valideur those of the structures d'accompagnement referring to their agency."""
    if not getattr(user, "is_authenticated", False):
        return Convention.objects.none()
    # The person's agencies first (a short read): the conventions' query then filters on
    # plain lists, much cheaper to build than correlated subqueries.
    held = list(
        AgencyMembership.objects.filter(user=user, is_active=True).values_list("agency_id", "role")
    )
    if not held:
        return Convention.objects.none()
    scope = Q(agency_id__in={agency for agency, _role in held})
    validating = {agency for agency, role in held if role == AgencyMembership.Role.VALIDATOR}
    if validating:
        scope |= Q(agency__referring_agency_id__in=validating)
    # Sent once at least: a draft reopened for a change stays in the agency's list.
    return Convention.objects.exclude(status=Status.DRAFT, version=0).filter(scope)


def counts_by_status(queryset: QuerySet[Convention]) -> dict[str, int]:
    rows = queryset.order_by().values("status").annotate(n=Count("pk"))
    found = {row["status"]: row["n"] for row in rows}
    return {status.value: found.get(status.value, 0) for status in Status if status != Status.DRAFT}


def starting_soon(queryset: QuerySet[Convention], *, today: date, until: date) -> QuerySet:
    """Not yet validated, starting between ``today`` and ``until`` (both included)."""
    return queryset.filter(status__in=IN_PROGRESS, date_start__gte=today, date_start__lte=until)


def in_work_order(queryset: QuerySet[Convention], *, today: date, until: date) -> QuerySet:
    """The prescriber's list in the order of the work: first those not yet validated that
    start between ``today`` and ``until`` (``starting_soon``), then the others still in
    progress, both by start date; then the rest (validated, refused, cancelled,
    obsolete), the latest start first."""
    soon = Q(status__in=IN_PROGRESS, date_start__gte=today, date_start__lte=until)
    rank = Case(
        When(soon, then=Value(0)),
        When(status__in=IN_PROGRESS, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return queryset.alias(work_rank=rank).order_by(
        "work_rank",
        Case(When(work_rank__lt=2, then=F("date_start"))).asc(nulls_last=True),
        F("date_start").desc(nulls_last=True),
        "pk",
    )


def current_signatures(
    convention: Convention, *, signatories: list[Signatory] | None = None
) -> dict[int, Signature]:
    """Signatory pk → their signature of the content in force (a signature counts from
    the last change of substance on; a later correction keeps it). ``signatories``: only
    theirs (read without joining the signatories' table)."""
    if signatories is None:
        rows = Signature.objects.filter(signatory__convention=convention)
    else:
        rows = Signature.objects.filter(signatory_id__in=[s.pk for s in signatories])
    # A handful of rows, sorted here: an ORDER BY costs more to build than they to sort.
    rows = rows.filter(version_number__gte=convention.substance_version).order_by()
    found: dict[int, Signature] = {}
    for signature in sorted(rows, key=lambda row: (row.signed_at, row.pk)):
        found.setdefault(signature.signatory_id, signature)
    return found


def is_signatory_role(role: str) -> bool:
    return role in SIGNATORIES


def with_signatories(queryset: QuerySet[Convention]) -> QuerySet[Convention]:
    return queryset.prefetch_related(
        "signatories",
        "signatories__signatures",
    ).annotate(
        unsigned=Count(
            "signatories",
            filter=Q(signatories__active=True)
            & ~Exists(
                Signature.objects.filter(
                    signatory=OuterRef("signatories"),
                    version_number__gte=OuterRef("substance_version"),
                )
            ),
        )
    )


# --- the lifecycle's reads ---------------------------------------------------------------


def current_version(convention: Convention, *, content: bool = True) -> ConventionVersion | None:
    """The version in force. ``content=False``: without the content and the changes (large
    JSON), for a caller that needs its number, its SHA-256 or its key only."""
    # One row at most (the number is unique per convention): ``get`` asks for no order
    # (the model's, by convention hence by its creation date, would join its table).
    rows = convention.versions.filter(number=convention.version)
    if not content:
        rows = rows.defer("content", "changes")
    try:
        return rows.get()
    except ConventionVersion.DoesNotExist:
        return None


def current_document(convention: Convention) -> ConventionDocument | None:
    """The stored PDF of the version in force (what a download needs: its file and date),
    without reading the version's content."""
    return (
        ConventionDocument.objects.filter(
            version__convention_id=convention.pk, version__number=convention.version
        )
        .only("id", "version_id", "file", "rendered_at", "sha256")
        .first()
    )


def signed_by(
    convention: Convention, *, signatories: list[Signatory] | None = None
) -> dict[int, Signature]:
    return current_signatures(convention, signatories=signatories)


def _beneficiary_adult_on(convention: Convention, day: date) -> bool:
    birth = convention.beneficiary_birth_date
    limits = rules.rule_set_for(day).limits
    return birth is not None and rules.age_on(birth, day) >= limits.majority_age


def required_signatories(
    convention: Convention,
    *,
    signatures: dict[int, Signature] | None = None,
    signatories: list[Signatory] | None = None,
) -> list[Signatory]:
    """The active signatories whose signature the content in force needs. The legal
    representative signs when the beneficiary is a minor on the day the beneficiary signs
    (today while they have not), even if they are of age when the immersion starts.
    ``signatures``: ``signed_by(convention)``, ``signatories``: the active signatories,
    when the caller has them already."""
    if signatories is None:
        signatories = list(convention.signatories.filter(active=True))
    if signatures is None:
        signatures = signed_by(convention)
    beneficiary = next((s for s in signatories if s.role == Role.BENEFICIARY), None)
    if beneficiary is not None:
        signed = signatures.get(beneficiary.pk)
        day = timezone.localtime(signed.signed_at).date() if signed else timezone.localdate()
        if _beneficiary_adult_on(convention, day):
            signatories = [s for s in signatories if s.role != Role.LEGAL_REPRESENTATIVE]
    return signatories


def unsigned(convention: Convention) -> list[Signatory]:
    signatures = signed_by(convention)
    return [s for s in required_signatories(convention) if s.pk not in signatures]


@dataclass(frozen=True)
class ExpectedSignatory:
    role: Role
    name: str
    email: str
    phone: str


def expected_signatories(convention: Convention, today: date) -> list[ExpectedSignatory]:
    """Who signs this content: the beneficiary; their legal representative when given or
    when the beneficiary is a minor today or at the start; their current employer when
    they are an employee; the host structure's representative."""
    found = [
        ExpectedSignatory(
            Role.BENEFICIARY,
            f"{convention.beneficiary_first_name} {convention.beneficiary_last_name}".strip(),
            convention.beneficiary_email,
            convention.beneficiary_phone,
        )
    ]
    if convention.has_legal_representative:
        found.append(
            ExpectedSignatory(
                Role.LEGAL_REPRESENTATIVE,
                f"{convention.legal_rep_first_name} {convention.legal_rep_last_name}".strip(),
                convention.legal_rep_email,
                convention.legal_rep_phone,
            )
        )
    if convention.is_employee:
        found.append(
            ExpectedSignatory(
                Role.CURRENT_EMPLOYER,
                convention.employer_rep_name or convention.employer_name,
                convention.employer_rep_email,
                convention.employer_rep_phone,
            )
        )
    found.append(
        ExpectedSignatory(
            Role.HOST_REPRESENTATIVE,
            convention.host_rep_name,
            convention.host_rep_email,
            convention.host_rep_phone,
        )
    )
    return found


def contact_problems(convention: Convention, today: date) -> list[rules.Violation]:
    """What stops the signatures before they start: a minor today without a legal
    representative, or a telephone number shared by two signatories (each proves control
    of their own contact; on the public platform counsellors signed for beneficiaries with
    a shared one)."""
    found = []
    if (
        convention.beneficiary_birth_date
        and not _beneficiary_adult_on(convention, today)
        and not convention.has_legal_representative
    ):
        found.append(
            rules.Violation(
                "legal_representative",
                "legal_representative_required",
                "Le bénéficiaire est mineur aujourd'hui : son représentant légal doit être "
                "indiqué et signer la convention avec lui.",
            )
        )
    seen: dict[str, Role] = {}
    for expected in expected_signatories(convention, today):
        phone = "".join(ch for ch in expected.phone if ch.isdigit())[-9:]
        if not phone:
            continue
        if phone in seen:
            found.append(
                rules.Violation(
                    f"signatories.{expected.role.value}.phone",
                    "phone_not_distinct",
                    f"Le téléphone de : {expected.role.label.lower()} est déjà celui de : "
                    f"{seen[phone].label.lower()}. Chaque signataire signe avec son propre "
                    "numéro.",
                )
            )
        else:
            seen[phone] = expected.role
    return found


def reminder_effect(*, since: datetime | None = None) -> dict[int, dict[str, int]]:
    """For the staff: per reminder (3 or 1 working days before the start), how many were
    sent and how many of their recipients signed within ``REMINDER_ACTED_HOURS``."""
    rows = SignatureReminder.objects.all()
    if since:
        rows = rows.filter(sent_at__gte=since)
    acted = Exists(
        Signature.objects.filter(
            signatory=OuterRef("signatory"),
            signed_at__gte=OuterRef("sent_at"),
            signed_at__lte=OuterRef("sent_at") + timedelta(hours=REMINDER_ACTED_HOURS),
        )
    )
    result: dict[int, dict[str, int]] = {}
    for row in (
        rows.annotate(acted=acted)
        .values("working_days_before")
        .annotate(sent=Count("pk"), acted_count=Count("pk", filter=Q(acted=True)))
        .order_by("-working_days_before")
    ):
        result[row["working_days_before"]] = {"sent": row["sent"], "acted": row["acted_count"]}
    return result


# --- the sensitive fields ------------------------------------------------------------------

# RQTH, RSA, health-related needs, the emergency contact, and what goes with them: the
# situation (its choices include RQTH and RSA) and the birth date.
SENSITIVE_FIELDS = (
    "beneficiary_birth_date",
    "beneficiary_situation",
    "beneficiary_rqth",
    "beneficiary_rsa",
    "help_needed",
    "emergency_contact_name",
    "emergency_contact_phone",
)
SensitiveRole = Literal["person", "party", "agency", "staff"]
# The person the fields are about: their openings are not logged.
PERSON_ROLES = frozenset({Role.BENEFICIARY, Role.LEGAL_REPRESENTATIVE})
# What a log row says, for the openings that are logged.
ACCESS_ROLES: dict[str, str] = {
    "agency": "Structure d'accompagnement",
    "staff": "Équipe Immersio",
}
AGENCY_REASON = "Suivi de la convention par la structure d'accompagnement"


def _same(email: str, *others: str) -> bool:
    return bool(email) and any(email == (other or "").strip().lower() for other in others)


def sensitive_access(
    viewer: User | Signatory | None, convention: Convention
) -> SensitiveRole | None:
    """Who may see ``convention``'s sensitive fields (``SENSITIVE_FIELDS``), the one place
    that decides it.

    ``"person"``: the beneficiary or their legal representative (their account, their
    signature link); ``"party"``: another party (current employer, host representative,
    tutor, a second representative, the author of the convention); ``"agency"``: a member
    of its agency (or a valideur of its prescripteur de rattachement); ``"staff"``: the
    Immersio team, who see them only after giving a reason (``record_sensitive_access``);
    ``None``: nobody else, e.g. a member of the host structure who is not a party."""
    if isinstance(viewer, Signatory):
        if viewer.convention_id != convention.pk or not viewer.active:
            return None
        return "person" if viewer.role in PERSON_ROLES else "party"
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return None
    email = (viewer.email or "").strip().lower()
    if _same(email, convention.beneficiary_email, convention.legal_rep_email) or (
        convention.contact_request_id and convention.contact_request.candidate_id == viewer.pk  # type: ignore[union-attr]
    ):
        return "person"
    if (
        convention.created_by_id == viewer.pk
        or _same(
            email,
            convention.employer_rep_email,
            convention.host_rep_email,
            convention.tutor_email,
        )
        or (email and convention.signatories.filter(active=True, email__iexact=email).exists())
    ):
        return "party"
    if _agency_roles(viewer, convention.agency):
        return "agency"
    if viewer.is_staff:
        return "staff"
    return None


def access_log_for(convention: Convention) -> QuerySet[SensitiveAccess]:
    """The openings of the sensitive fields of ``convention``, newest first. What a person
    reads of their own immersions is ``privacy.selectors.sensitive_accesses``."""
    return SensitiveAccess.objects.filter(convention=convention).order_by("-at", "-id")


def parent_objectives_not_met(parent: Convention) -> bool | None:
    """What the assessment of ``parent`` says for its renewal (``hooks.objectives_not_met``,
    filled by the assessments): True when an objective is not met, False when none is,
    None without a filled assessment."""
    for answer_of in hooks.objectives_not_met:
        if (answer := answer_of(parent)) is not None:
            return answer
    return None
