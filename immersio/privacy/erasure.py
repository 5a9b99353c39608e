"""Erasing a person: what stops it for now (``blocking_reasons``), what is kept by law and
why (``KEPT``), and the building blocks the deletion service and the retention job share
(``anonymise_request``). The service that acts, with its actor, is
``services.delete_account``.

The person is found by their account (foreign keys) and by their verified address
(case-insensitive): a convention names its beneficiary, legal representative and
signatories by e-mail, not by account.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from immersio.accounts.models import User
from immersio.agencies.models import AgencyMembership
from immersio.contacts.models import OPEN_STATUSES, ContactEvent, ContactRequest, Message, Status
from immersio.conventions.models import Convention
from immersio.conventions.transitions import Status as ConventionStatus
from immersio.structures.models import HostStructure, StructureMembership

from .durations import SIGNED_RETENTION, UNSIGNED_RETENTION

#: How long a validated convention is kept (pmsmp-rules §9: 2 years active, then 3 years
#: archived), and one sent but never validated after its last change. The retention table
#: enforces them; the deletion page and receipt state them.
VALIDATED_CONVENTION_KEPT = SIGNED_RETENTION
UNVALIDATED_CONVENTION_KEPT = UNSIGNED_RETENTION
LEGAL_BASIS = (
    "mission d'intérêt public (article 6-1 e du RGPD), précisée par l'arrêté du 13 novembre "
    "2024 pris pour l'application des articles D5135-2 et suivants du Code du travail"
)


def parties_of(user: User) -> Q:
    """The conventions where ``user`` is a party: beneficiary, legal representative or
    signatory by their address; or the author of the draft, or of the request it followed."""
    email = user.email
    return (
        Q(beneficiary_email__iexact=email)
        | Q(legal_rep_email__iexact=email)
        | Q(signatories__email__iexact=email)
        | Q(created_by=user)
        | Q(contact_request__candidate=user)
    )


def conventions_of(user: User) -> QuerySet[Convention]:
    """Every convention concerning ``user`` (each once), oldest first."""
    ids = Convention.objects.filter(parties_of(user)).values("pk")
    return Convention.objects.filter(pk__in=ids).order_by("created_at", "pk")


def own_immersion(user: User) -> Q:
    """The conventions of ``user``'s own immersion: as its beneficiary (by address, or as
    the author of the request it followed) or as their legal representative. The others
    (a draft written for someone else, a signature for a structure) are not about them."""
    return (
        Q(beneficiary_email__iexact=user.email)
        | Q(legal_rep_email__iexact=user.email)
        | Q(contact_request__candidate=user)
    )


def ongoing_conventions(user: User, today: date | None = None) -> QuerySet[Convention]:
    """Validated conventions of ``user``'s own immersions under way or to come."""
    today = today or timezone.localdate()
    return Convention.objects.filter(
        own_immersion(user),
        status=ConventionStatus.VALIDATED,
        replaced_at__isnull=True,
        date_end__gte=today,
    ).order_by("date_end", "pk")


@dataclass(frozen=True)
class Blocker:
    """Why an account cannot be deleted yet (French), and where to act first."""

    text: str
    url: str = ""
    url_label: str = ""


def _last_admin_of(user: User) -> list[Blocker]:
    found = []
    for membership_model, admin_role, kind in (
        (StructureMembership, StructureMembership.Role.ADMIN, "structure"),
        (AgencyMembership, AgencyMembership.Role.ADMIN, "agency"),
    ):
        mine = membership_model.objects.filter(user=user, is_active=True, role=admin_role)
        for membership in mine.select_related(membership_model.organisation_field):
            organisation = getattr(membership, membership_model.organisation_field)
            if kind == "structure" and organisation.status == HostStructure.Status.CLOSED:
                continue
            others = (
                membership_model.objects.filter(
                    **{membership_model.organisation_field: organisation},
                    role=admin_role,
                    is_active=True,
                    user__is_active=True,
                )
                .exclude(user=user)
                .exists()
            )
            if others:
                continue
            if kind == "structure":
                found.append(
                    Blocker(
                        text=(
                            f"Vous êtes la seule personne à administrer la structure "
                            f"« {organisation} ». Nommez d'abord un autre administrateur dans "
                            "son équipe (invitez-le si besoin) ; sans cela, plus personne ne "
                            "pourrait répondre aux demandes qu'elle reçoit."
                        ),
                        url=reverse("structures:team", args=[organisation.public_id]),
                        url_label=f"Équipe de « {organisation} »",
                    )
                )
            else:
                found.append(
                    Blocker(
                        text=(
                            f"Vous êtes la seule personne à administrer le prescripteur "
                            f"« {organisation} ». Nommez d'abord un autre administrateur dans "
                            "son équipe ; sans cela, plus personne ne pourrait suivre ses "
                            "conventions."
                        ),
                        url=reverse("agencies:space_agency", args=[organisation.public_id]),
                        url_label=f"Équipe de « {organisation} »",
                    )
                )
    return found


def blockers(user: User, today: date | None = None) -> list[Blocker]:
    """What must happen before ``user``'s account can be deleted (empty: nothing)."""
    found = []
    for convention in ongoing_conventions(user, today):
        end = convention.date_end
        found.append(
            Blocker(
                text=(
                    f"Votre immersion « {convention.host_name or convention.reference} » "
                    f"(convention {convention.reference}) est en cours ou à venir : elle se "
                    f"termine le {end:%d/%m/%Y}. Tant qu'elle n'est pas finie, votre compte "
                    "reste nécessaire pour la suivre (signatures, avenant, attestation, "
                    "contact en cas d'accident). Vous pourrez le supprimer à partir du "
                    "lendemain."
                ),
                url=reverse("conventions:mine"),
                url_label="Mes conventions",
            )
        )
    found.extend(_last_admin_of(user))
    return found


def blocking_reasons(user: User, today: date | None = None) -> list[str]:
    """Why ``user``'s account cannot be deleted now, in French (empty: it can)."""
    return [blocker.text for blocker in blockers(user, today)]


def kept_conventions(user: User) -> QuerySet[Convention]:
    """The conventions kept when ``user`` leaves: every one sent (never a draft)."""
    return conventions_of(user).exclude(status=ConventionStatus.DRAFT)


def unsent_drafts(user: User) -> QuerySet[Convention]:
    """Drafts ``user`` wrote and never sent: deleted with the account."""
    return Convention.objects.filter(
        created_by=user, status=ConventionStatus.DRAFT, submitted_at__isnull=True
    )


def requests_of(user: User) -> QuerySet[ContactRequest]:
    """The immersion requests ``user`` sent (by account or by address), not yet anonymised."""
    return ContactRequest.objects.filter(
        Q(candidate=user) | Q(email__iexact=user.email), anonymised_at__isnull=True
    )


#: The fields of a request blanked by ``anonymise_request``; what stays (structure,
#: métier, objective, duration, status, dates) keeps the statistics true.
ANONYMISED_REQUEST_FIELDS = {
    "first_name": "",
    "last_name": "",
    "email": "",
    "phone": "",
    "situation": "",
    "has_support": False,
    "support_name": "",
    "motivations": "",
    "hopes": "",
    "period": "",
    "transport": "",
    "contact_mode": "",
    "proposed_dates": "",
    "candidate": None,
}


#: The domain of the placeholder address of an anonymised request still open (reserved,
#: RFC 2606: it can never reach anyone).
ANONYMOUS_DOMAIN = "anonyme.invalid"


def anonymise_request(
    request: ContactRequest, *, now: datetime, withdraw: bool = False
) -> ContactRequest:
    """Keep of ``request`` only what statistics need: structure, métier, objective,
    duration, status and dates. Names, contact details, situation and free texts are blanked,
    its messages deleted, its events' reasons and authors emptied. ``withdraw``: a request
    still open is withdrawn first (its candidate deleted their account); otherwise its
    status stays as it is (the statistics count it), with a placeholder address so that the
    one-open-request-per-address constraint still holds. Idempotent; the caller checked
    who acts and holds the transaction."""
    if request.anonymised_at is not None:
        return request
    changed = list(ANONYMISED_REQUEST_FIELDS)
    if withdraw and request.status in OPEN_STATUSES:
        ContactEvent.objects.create(
            request=request, at=now, from_status=request.status, to_status=Status.WITHDRAWN
        )
        request.status = Status.WITHDRAWN
        request.closed_at = now
        changed += ["status", "closed_at"]
    for field, value in ANONYMISED_REQUEST_FIELDS.items():
        setattr(request, field, value)
    if request.status in OPEN_STATUSES:
        request.email = f"anonyme-{request.public_id}@{ANONYMOUS_DOMAIN}"
    request.anonymised_at = now
    request.save(update_fields=[*changed, "anonymised_at", "updated_at"])
    Message.objects.filter(request=request).delete()
    ContactEvent.objects.filter(request=request).update(reason="", by=None)
    return request
