"""Reading conventions: who holds which role on one, the prescriber's work list, signatures.

Pure reads; the services (``lifecycle``) change state."""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from immersio.accounts.models import User
from immersio.agencies.models import Agency, AgencyMembership
from immersio.structures.models import StructureMembership

from .models import Convention, Signatory, Signature
from .transitions import IN_PROGRESS, SIGNATORIES, Role, Status


def _agency_roles(user: User, agency: Agency | None) -> set[Role]:
    """Conseiller or valideur of ``agency``. For a structure d'accompagnement, its own team
    reviews (conseiller) and the valideurs of its prescripteur de rattachement validate."""
    if agency is None:
        return set()
    roles: set[Role] = set()
    own = set(
        AgencyMembership.objects.filter(agency=agency, user=user, is_active=True).values_list(
            "role", flat=True
        )
    )
    accompanying = agency.kind == Agency.Kind.ACCOMPAGNEMENT
    if own:
        roles.add(Role.COUNSELLOR)
        if AgencyMembership.Role.VALIDATOR in own and not accompanying:
            roles.add(Role.VALIDATOR)
    referring_validator = AgencyMembership.objects.filter(
        agency_id=agency.referring_agency_id,
        user=user,
        is_active=True,
        role=AgencyMembership.Role.VALIDATOR,
    )
    if accompanying and agency.referring_agency_id and referring_validator.exists():
        roles.add(Role.VALIDATOR)
    return roles


def roles_of(user: User | None, convention: Convention) -> frozenset[Role]:
    """The roles a logged-in person holds on ``convention`` (``transitions.Role``):
    drafter (wrote it or was invited to), conseiller, valideur, équipe. Signatories act
    through their personal link (``signatory_of``), not through an account."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    roles = _agency_roles(user, convention.agency)
    if user.is_staff:
        roles.add(Role.STAFF)
    drafter = (
        convention.created_by_id == user.pk
        or (convention.contact_request_id and convention.contact_request.candidate_id == user.pk)
        or convention.participants.filter(pk=user.pk).exists()
        or (
            convention.structure_id
            and StructureMembership.objects.filter(
                structure_id=convention.structure_id, user=user, is_active=True
            ).exists()
        )
    )
    if drafter:
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
    memberships = AgencyMembership.objects.filter(user=user, is_active=True)
    own = Exists(memberships.filter(agency=OuterRef("agency")))
    referred = Exists(
        memberships.filter(
            role=AgencyMembership.Role.VALIDATOR, agency=OuterRef("agency__referring_agency")
        )
    )
    # Sent once at least: a draft reopened for a change stays in the agency's list.
    return Convention.objects.exclude(status=Status.DRAFT, version=0).filter(own | referred)


def counts_by_status(queryset: QuerySet[Convention]) -> dict[str, int]:
    rows = queryset.order_by().values("status").annotate(n=Count("pk"))
    found = {row["status"]: row["n"] for row in rows}
    return {status.value: found.get(status.value, 0) for status in Status if status != Status.DRAFT}


def starting_soon(queryset: QuerySet[Convention], *, today: date, until: date) -> QuerySet:
    """Not yet validated, starting between ``today`` and ``until`` (both included)."""
    return queryset.filter(status__in=IN_PROGRESS, date_start__gte=today, date_start__lte=until)


def current_signatures(convention: Convention) -> dict[int, Signature]:
    """Signatory pk → their signature of the content in force (a signature counts from
    the last change of substance on; a later correction keeps it)."""
    found: dict[int, Signature] = {}
    for signature in Signature.objects.filter(
        signatory__convention=convention,
        version_number__gte=convention.substance_version,
    ).order_by("signed_at", "id"):
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
