"""Reads of the privacy app: everything Immersio holds about one person (« Mes données »).

``person_data(user)`` is scoped strictly to that person: rows tied to their account, and
rows naming their verified address (their login address: every login goes through a link
sent there), compared case-insensitively. Each category is a list of plain dictionaries
with French keys and ISO dates, ready for JSON.
"""

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth

from immersio.accounts.models import OneTimeCode, User
from immersio.agencies.models import AgencyInvitation, AgencyMembership, AgencyRegistration
from immersio.assessments.models import Assessment, AssessmentDocument
from immersio.contacts.models import (
    OPEN_STATUSES,
    BoardPost,
    BoardProposal,
    BoardProposalMessage,
    ContactRequest,
    Message,
)
from immersio.contacts.models import Status as RequestStatus
from immersio.conventions.models import (
    Convention,
    ConventionDocument,
    ConventionEvent,
    ConventionInvitation,
    SensitiveAccess,
    Signatory,
    Signature,
)
from immersio.conventions.models import Status as ConventionStatus
from immersio.core.validators import normalise_french_mobile
from immersio.events.selectors import events_of
from immersio.journal.selectors import journal_of
from immersio.notifications.models import OutboundEmail, OutboundSms
from immersio.resource_people.selectors import conversations_for_export
from immersio.structures.models import Invitation, Registration, Site, StructureMembership
from immersio.testimonies.selectors import testimonies_of

from .erasure import conventions_of, own_immersion, requests_of
from .models import DataExport


def token_hash(token: str) -> str:
    """What an export link's token is stored as (SHA-256, hexadecimal)."""
    return hashlib.sha256(token.encode()).hexdigest()


def export_for_token(token: str) -> DataExport | None:
    """The export whose link carries ``token`` (used, expired or not), or None."""
    if not token:
        return None
    return DataExport.objects.filter(token_hash=token_hash(token)).first()


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass
class PersonData:
    """What Immersio holds about one person, by category (the export's JSON files)."""

    categories: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def count(self, category: str) -> int:
        return len(self.categories.get(category, []))


#: Category → (file name in the ZIP, what it holds, in French for the README).
CATEGORIES = {
    "compte": (
        "compte.json",
        "votre compte : adresse, nom, téléphone, dates d'inscription et de connexion",
    ),
    "demandes": (
        "demandes.json",
        "les demandes d'immersion que vous avez envoyées, avec leurs messages et leurs étapes",
    ),
    "annonces": (
        "annonces.json",
        "vos demandes publiées sur le tableau des demandes, avec les propositions reçues et "
        "vos échanges",
    ),
    "conventions": (
        "conventions.json",
        "les conventions où vous êtes bénéficiaire, représentant légal, signataire ou rédacteur, "
        "avec vos signatures et leur historique",
    ),
    "consultations": (
        "consultations.json",
        "qui a consulté les informations sensibles de vos conventions (RQTH, RSA, besoins "
        "liés à la santé, personne à prévenir), quand et pourquoi",
    ),
    "equipes": ("equipes.json", "les structures et prescripteurs dont vous faites partie"),
    "inscriptions": (
        "inscriptions.json",
        "les structures et prescripteurs que vous avez inscrits, et les invitations reçues "
        "à rejoindre une équipe ou à compléter une convention",
    ),
    "codes": (
        "codes.json",
        "les codes à usage unique envoyés pour vos signatures (jamais le code lui-même)",
    ),
    "emails": (
        "emails.json",
        "les e-mails que nous vous avons envoyés (leur texte tant qu'il n'est pas effacé)",
    ),
    "sms": (
        "sms.json",
        "les SMS que nous avons envoyés à votre téléphone (leur texte tant qu'il n'est pas effacé)",
    ),
    "exports": ("exports.json", "vos demandes de téléchargement de vos données"),
    "carnet_et_bilan": (
        "carnet_et_bilan.json",
        "carnet et bilan : les pages de votre carnet d'immersion, les personnes rencontrées, "
        "votre bilan et votre plan d'action, et ce que vous avez partagé avec votre conseiller",
    ),
    "temoignages": (
        "temoignages.json",
        "vos témoignages : leur texte, leur état, et l'accord que vous avez donné (texte, "
        "version, date) ou retiré",
    ),
    "personnes_ressources": (
        "personnes_ressources.json",
        "votre profil de personne ressource et les entretiens-métier que vous avez demandés "
        "ou reçus, avec leurs créneaux",
    ),
    "evenements": (
        "evenements.json",
        "les événements que vous avez proposés, avec leur état et le motif d'un refus",
    ),
    "bilans": (
        "bilans.json",
        "les bilans de vos immersions remplis par le tuteur ou le prescripteur, avec votre "
        "signature, votre commentaire et leurs corrections",
    ),
}


def _account(user: User) -> list[dict[str, Any]]:
    return [
        {
            "adresse_email": user.email,
            "prenom": user.first_name,
            "nom": user.last_name,
            "telephone": user.phone,
            "inscrit_le": _iso(user.date_joined),
            "derniere_connexion": _iso(user.last_login),
            "equipe_immersio": user.is_staff,
        }
    ]


def _messages(messages: Iterable[Message | BoardProposalMessage]) -> list[dict[str, Any]]:
    return [
        {"le": _iso(m.created_at), "auteur": m.get_side_display(), "message": m.body}
        for m in messages
    ]


def _requests(user: User) -> list[dict[str, Any]]:
    rows = (
        ContactRequest.objects.filter(Q(candidate=user) | Q(email__iexact=user.email))
        .select_related("structure", "appellation")
        .prefetch_related("messages", "events")
        .order_by("created_at", "pk")
    )
    return [
        {
            "reference": str(r.public_id),
            "structure": r.structure.name,
            "metier": r.appellation.label,
            "etat": r.get_status_display(),
            "prenom": r.first_name,
            "nom": r.last_name,
            "adresse_email": r.email,
            "telephone": r.phone,
            "situation": r.get_situation_display() if r.situation else "",
            "deja_accompagne": r.has_support,
            "structure_accompagnement": r.support_name,
            "objectif": r.get_objective_display() if r.objective else "",
            "motivations": r.motivations,
            "ce_que_vous_esperez": r.hopes,
            "disponibilites": r.period,
            "duree_souhaitee": r.get_duration_display() if r.duration else "",
            "moyen_de_venir": r.transport,
            "creee_le": _iso(r.created_at),
            "envoyee_le": _iso(r.sent_at),
            "premiere_reponse_le": _iso(r.first_answer_at),
            "close_le": _iso(r.closed_at),
            "dates_proposees": r.proposed_period,
            "messages": _messages(r.messages.all()),
            "etapes": [
                {
                    "le": _iso(e.at),
                    "de": e.get_from_status_display() if e.from_status else "",
                    "vers": e.get_to_status_display(),
                    "motif": e.reason,
                }
                for e in r.events.all()
            ],
        }
        for r in rows
    ]


def _board(user: User) -> list[dict[str, Any]]:
    posts = (
        BoardPost.objects.filter(candidate=user)
        .select_related("appellation", "cause", "commune")
        .prefetch_related("proposals__structure", "proposals__messages")
        .order_by("created_at", "pk")
    )
    return [
        {
            "reference": str(p.public_id),
            "prenom": p.first_name,
            "initiale_du_nom": p.last_initial,
            "metier_ou_cause": p.subject,
            "secteur": p.commune.name,
            "disponibilites": p.period,
            "duree_souhaitee": p.get_duration_display() if p.duration else "",
            "motivations": p.motivations,
            "publiee_le": _iso(p.published_at),
            "visible_jusqu_au": _iso(p.expires_at),
            "retiree_le": _iso(p.unpublished_at),
            "propositions": [
                {
                    "structure": proposal.structure.name,
                    "le": _iso(proposal.created_at),
                    "message": proposal.body,
                    "echanges": _messages(proposal.messages.all()),
                }
                for proposal in p.proposals.all()
            ],
        }
        for p in posts
    ]


def _roles_in(convention: Convention, user: User) -> list[str]:
    email = user.email.lower()
    roles = []
    if convention.beneficiary_email.lower() == email:
        roles.append("bénéficiaire")
    if convention.legal_rep_email.lower() == email:
        roles.append("représentant légal")
    roles += [
        f"signataire ({s.get_role_display()})"
        for s in convention.signatories.all()
        if s.email.lower() == email
    ]
    if convention.created_by_id == user.pk:
        roles.append("rédacteur")
    return roles


def _conventions(user: User) -> list[dict[str, Any]]:
    email = user.email
    mine = Signatory.objects.filter(email__iexact=email)
    rows = (
        conventions_of(user)
        .select_related("agency", "appellation", "place_commune")
        .prefetch_related(
            "signatories",
            Prefetch(
                "signatories",
                queryset=mine.prefetch_related("signatures"),
                to_attr="my_signatories",
            ),
            Prefetch("events", queryset=ConventionEvent.objects.order_by("at", "pk")),
        )
    )
    own = set(Convention.objects.filter(own_immersion(user)).values_list("pk", flat=True))
    found = []
    for c in rows:
        # The beneficiary's details (RQTH, RSA, health…) go to the beneficiary and their
        # legal representative only, never to someone who drafted or signed for a structure.
        found.append(
            {
                "reference": c.reference,
                "etat": c.status_label,
                "vos_roles": _roles_in(c, user),
                "beneficiaire": None
                if c.pk not in own
                else {
                    "prenom": c.beneficiary_first_name,
                    "nom": c.beneficiary_last_name,
                    "date_de_naissance": _iso(c.beneficiary_birth_date),
                    "adresse_email": c.beneficiary_email,
                    "telephone": c.beneficiary_phone,
                    "adresse": c.beneficiary_address,
                    "situation": c.get_beneficiary_situation_display()
                    if c.beneficiary_situation
                    else "",
                    "rqth": c.beneficiary_rqth,
                    "rsa": c.beneficiary_rsa,
                    "personne_a_prevenir": c.emergency_contact_name,
                    "telephone_personne_a_prevenir": c.emergency_contact_phone,
                    "aide_necessaire": c.help_needed,
                },
                "representant_legal": None
                if c.pk not in own
                else {
                    "prenom": c.legal_rep_first_name,
                    "nom": c.legal_rep_last_name,
                    "adresse_email": c.legal_rep_email,
                    "telephone": c.legal_rep_phone,
                    "lien": c.legal_rep_relationship,
                },
                "structure_d_accueil": c.host_name,
                "tuteur": c.tutor_name,
                "prescripteur": c.agency.name if c.agency else "",
                "metier": c.appellation.label if c.appellation else "",
                "objectifs": c.objectives,
                "activites": c.tasks,
                "lieu": c.place_address,
                "debut": _iso(c.date_start),
                "fin": _iso(c.date_end),
                "envoyee_le": _iso(c.submitted_at),
                "validee_le": _iso(c.validated_at),
                "vos_signatures": [
                    {
                        "role": s.get_role_display(),
                        "version": signature.version_number,
                        "signee_le": _iso(signature.signed_at),
                        "preuve": signature.get_method_display(),
                        "code_envoye_a": signature.code_sent_to,
                        "adresse_ip": signature.ip_address or "",
                        "navigateur": signature.user_agent,
                        "empreinte_sha256": signature.content_sha256,
                    }
                    for s in c.my_signatories
                    if s.convention_id == c.pk
                    for signature in s.signatures.all()
                ],
                "historique": [
                    {
                        "le": _iso(e.at),
                        "action": e.action_label,
                        "de": e.get_from_status_display() if e.from_status else "",
                        "vers": e.get_to_status_display(),
                        "en_tant_que": e.get_role_display() if e.role else "",
                        "par_vous": e.by_id == user.pk,
                        "motif": e.reason if e.by_id == user.pk else "",
                    }
                    for e in c.events.all()
                ],
            }
        )
    return found


def sensitive_accesses(user: User) -> QuerySet[SensitiveAccess]:
    """Openings of the sensitive fields of ``user``'s own immersions (theirs to see), the
    latest first."""
    own = Convention.objects.filter(own_immersion(user)).values("pk")
    return (
        SensitiveAccess.objects.filter(convention__in=own)
        .select_related("convention")
        .order_by("-at", "-pk")
    )


def _sensitive_accesses(user: User) -> list[dict[str, Any]]:
    rows = sensitive_accesses(user)
    return [
        {
            "convention": a.convention.reference,
            "le": _iso(a.at),
            "par": a.by_name,
            "en_tant_que": a.role,
            "motif": a.reason,
        }
        for a in rows
    ]


def _memberships(user: User) -> list[dict[str, Any]]:
    rows = [
        {
            "organisation": m.structure.name,
            "type": "structure d'accueil",
            "role": m.get_role_display(),
            "fonction": m.job_title,
            "active": m.is_active,
            "depuis": _iso(m.created_at),
        }
        for m in StructureMembership.objects.filter(user=user).select_related("structure")
    ]
    rows += [
        {
            "organisation": m.agency.name,
            "type": "prescripteur",
            "role": m.get_role_display(),
            "fonction": m.job_title,
            "active": m.is_active,
            "depuis": _iso(m.created_at),
        }
        for m in AgencyMembership.objects.filter(user=user).select_related("agency")
    ]
    return rows


def registrations_of(user: User) -> list[QuerySet]:
    """The registrations of organisations made with ``user``'s address."""
    return [
        Registration.objects.filter(email__iexact=user.email).select_related("structure"),
        AgencyRegistration.objects.filter(email__iexact=user.email).select_related("agency"),
    ]


def invitations_to(user: User) -> list[QuerySet]:
    """The invitations sent to ``user``'s address (teams, conventions to complete)."""
    return [
        Invitation.objects.filter(email__iexact=user.email).select_related("structure"),
        AgencyInvitation.objects.filter(email__iexact=user.email).select_related("agency"),
        ConventionInvitation.objects.filter(email__iexact=user.email).select_related("convention"),
    ]


def _registrations(user: User) -> list[dict[str, Any]]:
    rows = []
    for registrations in registrations_of(user):
        for r in registrations.order_by("created_at", "pk"):
            rows.append(
                {
                    "quoi": "inscription",
                    "organisation": str(r.organisation),
                    "prenom": r.first_name,
                    "nom": r.last_name,
                    "fonction": r.job_title,
                    "consentement_le": _iso(r.consented_at),
                    "confirmee_le": _iso(r.confirmed_at),
                }
            )
    for invitations in invitations_to(user):
        for i in invitations.order_by("created_at", "pk"):
            rows.append(
                {
                    "quoi": "invitation",
                    "pour": (
                        f"convention {i.convention.reference}"
                        if isinstance(i, ConventionInvitation)
                        else str(i.organisation)
                    ),
                    "recue_le": _iso(i.created_at),
                    "acceptee_le": _iso(i.accepted_at),
                    "annulee_le": _iso(i.revoked_at),
                }
            )
    return rows


def signature_code_subjects(user: User) -> list[str]:
    """The prefixes of the one-time codes' subjects sent for ``user``'s signatures."""
    return [
        f"{public_id}:"
        for public_id in Signatory.objects.filter(email__iexact=user.email).values_list(
            "public_id", flat=True
        )
    ]


def codes_of(user: User) -> QuerySet[OneTimeCode]:
    prefixes = signature_code_subjects(user)
    if not prefixes:
        return OneTimeCode.objects.none()
    query = Q()
    for prefix in prefixes:
        query |= Q(subject__startswith=prefix)
    return OneTimeCode.objects.filter(query)


def _codes(user: User) -> list[dict[str, Any]]:
    return [
        {
            "usage": code.purpose,
            "envoye_par": code.get_channel_display(),
            "envoye_a": code.sent_to,
            "cree_le": _iso(code.created_at),
            "expire_le": _iso(code.expires_at),
            "utilise_le": _iso(code.used_at),
            "essais_errones": code.attempts,
        }
        for code in codes_of(user).order_by("created_at", "pk")
    ]


def emails_to(user: User) -> QuerySet[OutboundEmail]:
    return OutboundEmail.objects.filter(recipient__iexact=user.email)


def _emails(user: User) -> list[dict[str, Any]]:
    rows = []
    for email in emails_to(user).order_by("created_at", "pk"):
        purged = email.body_purged_at is not None or email.is_redacted or email.is_sensitive
        rows.append(
            {
                "objet": email.subject,
                "type": email.kind,
                "etat": email.get_status_display(),
                "cree_le": _iso(email.created_at),
                "envoye_le": _iso(email.sent_at),
                "texte": "" if purged else email.text_body,
                "texte_efface": purged,
            }
        )
    return rows


def sms_to(user: User) -> QuerySet[OutboundSms]:
    """SMS sent to ``user``'s phone (their profile's, or the one they gave to sign)."""
    phones = {
        user.phone,
        *Signatory.objects.filter(email__iexact=user.email).values_list("phone", flat=True),
    }
    numbers = {number for phone in phones if (number := normalise_french_mobile(phone))}
    return OutboundSms.objects.filter(to__in=numbers)


def _sms(user: User) -> list[dict[str, Any]]:
    rows = []
    for sms in sms_to(user).order_by("created_at", "pk"):
        purged = sms.body_purged_at is not None or sms.is_redacted or sms.is_sensitive
        rows.append(
            {
                "type": sms.kind,
                "etat": sms.get_status_display(),
                "cree_le": _iso(sms.created_at),
                "envoye_le": _iso(sms.sent_at),
                "texte": "" if purged else sms.body,
                "texte_efface": purged,
            }
        )
    return rows


def _exports(user: User) -> list[dict[str, Any]]:
    return [
        {
            "demande_le": _iso(e.created_at),
            "expire_le": _iso(e.expires_at),
            "telecharge_le": _iso(e.used_at),
        }
        for e in DataExport.objects.filter(user=user).order_by("created_at", "pk")
    ]


def _assessments(user: User) -> list[dict[str, Any]]:
    """The assessments of ``user``'s own immersions, once filled."""
    rows = (
        Assessment.objects.filter(
            convention__in=Convention.objects.filter(own_immersion(user)),
            filled_at__isnull=False,
        )
        .select_related("convention")
        .prefetch_related("events")
        .order_by("filled_at", "pk")
    )
    return [
        {
            "convention": a.convention.reference,
            "immersion": a.get_outcome_display(),
            "dernier_jour": _iso(a.last_day),
            "temps_manque_minutes": a.missed_minutes,
            "motif_absence": a.no_show_reason,
            "temps_effectue_minutes": a.minutes_done,
            "objectifs": a.objectives,
            "competences": a.skills,
            "appreciation": a.appreciation,
            "conseils": a.advice,
            "embauche": a.hired,
            "type_de_contrat": a.get_contract_type_display() if a.contract_type else "",
            "debut_du_contrat": _iso(a.contract_start),
            "rempli_par": a.get_filled_by_kind_display(),
            "rempli_le": _iso(a.filled_at),
            "vous_etes_d_accord": a.beneficiary_agrees,
            "votre_commentaire": a.beneficiary_comment,
            "cosigne_le": _iso(a.cosigned_at),
            "historique": [
                {
                    "le": _iso(e.at),
                    "action": e.get_action_display(),
                    "motif": e.reason,
                    "champs_modifies": e.changes,
                }
                for e in a.events.all()
            ],
        }
        for a in rows
    ]


def person_data(user: User) -> PersonData:
    """Everything Immersio holds about ``user`` (see ``CATEGORIES``)."""
    return PersonData(
        categories={
            "compte": _account(user),
            "demandes": _requests(user),
            "annonces": _board(user),
            "conventions": _conventions(user),
            "consultations": _sensitive_accesses(user),
            "equipes": _memberships(user),
            "inscriptions": _registrations(user),
            "codes": _codes(user),
            "emails": _emails(user),
            "sms": _sms(user),
            "exports": _exports(user),
            "carnet_et_bilan": journal_of(user),
            "temoignages": testimonies_of(user),
            "bilans": _assessments(user),
            "personnes_ressources": conversations_for_export(user),
            "evenements": events_of(user),
        }
    )


def convention_documents(user: User) -> list[ConventionDocument]:
    """The PDFs of the conventions ``user`` is a party of (their own immersion, or their
    signature): every version rendered, oldest first."""
    parties = Convention.objects.filter(
        own_immersion(user) | Q(signatories__email__iexact=user.email)
    ).values("pk")
    return list(
        ConventionDocument.objects.filter(version__convention__in=parties)
        .select_related("version__convention")
        .order_by("version__convention__created_at", "version__number")
    )


def assessment_documents(user: User) -> list[AssessmentDocument]:
    """The PDFs of the signed assessments of ``user``'s own immersions: every version,
    oldest first (the tutor and the structure read theirs on the platform)."""
    own = Convention.objects.filter(own_immersion(user)).values("pk")
    return list(
        AssessmentDocument.objects.filter(assessment__convention__in=own)
        .select_related("assessment__convention")
        .order_by("assessment__convention__created_at", "number")
    )


def signatures_of(user: User) -> QuerySet[Signature]:
    return Signature.objects.filter(signatory__email__iexact=user.email)


def open_requests(user: User) -> QuerySet[ContactRequest]:
    """``user``'s requests still open: what they may still change or withdraw."""
    return (
        requests_of(user)
        .filter(status__in=OPEN_STATUSES)
        .select_related("structure", "appellation")
        .order_by("-sent_at", "-pk")
    )


# Statistics ------------------------------------------------------------------------
# Counts for statistics that anonymisation must keep true (issue 11, item 3): every
# dimension here is a field the retention job never blanks, so the counts are the same
# before and after it. The future public statistics read them from here.
#
# Dimensions: the month (of sending, publishing or submitting), the department (of the
# structure's first site for a request, of the commune for a board post, of the place of
# the immersion for a convention), the métier (appellation code; a board post without one
# counts under its cause), the agency kind (conventions) and the outcome (the status; for a
# board post, whether it received a proposal).

Counts = dict[str, dict[str, dict[str, int]]]


def _key(dimension: str, value: object) -> str:
    if value is None:
        return ""
    return value.strftime("%Y-%m") if dimension == "mois" else str(value)


def _count(rows: QuerySet, dimensions: dict[str, str]) -> dict[str, dict[str, int]]:
    """For each dimension (name → annotated field), the count of rows per value: one
    query per dimension."""
    result = {}
    for name, column in dimensions.items():
        counter: Counter[str] = Counter()
        for row in rows.values(column).annotate(n=Count("pk", distinct=True)).order_by(column):
            counter[_key(name, row[column])] += row["n"]
        result[name] = dict(sorted(counter.items()))
    return result


def requests_counted() -> QuerySet[ContactRequest]:
    return (
        ContactRequest.objects.exclude(status=RequestStatus.DRAFT)
        .annotate(
            stat_month=TruncMonth("sent_at"),
            stat_department=Subquery(
                Site.objects.filter(structure=OuterRef("structure"))
                .order_by("pk")
                .values("commune__department")[:1]
            ),
        )
        .order_by()
    )


def board_posts_counted() -> QuerySet[BoardPost]:
    return (
        BoardPost.objects.filter(published_at__isnull=False)
        .annotate(
            stat_month=TruncMonth("published_at"),
            stat_proposed=Exists(BoardProposal.objects.filter(post=OuterRef("pk"))),
        )
        .order_by()
    )


def conventions_counted() -> QuerySet[Convention]:
    return (
        Convention.objects.exclude(status=ConventionStatus.DRAFT)
        .annotate(stat_month=TruncMonth("submitted_at"))
        .order_by()
    )


def statistics() -> Counts:
    """Requests, board posts and conventions counted by month, department, métier, agency
    kind and outcome."""
    return {
        "demandes": _count(
            requests_counted(),
            {
                "mois": "stat_month",
                "departement": "stat_department",
                "metier": "appellation_id",
                "issue": "status",
            },
        ),
        "tableau": _count(
            board_posts_counted(),
            {
                "mois": "stat_month",
                "departement": "commune__department",
                "metier": "appellation_id",
                "cause": "cause_id",
                "issue": "stat_proposed",
            },
        ),
        "conventions": _count(
            conventions_counted(),
            {
                "mois": "stat_month",
                "departement": "place_commune__department",
                "metier": "appellation_id",
                "type_de_prescripteur": "agency__kind",
                "issue": "status",
            },
        ),
    }
