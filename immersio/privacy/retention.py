"""Retention as code: one declarative table, read by one job (``apply_retention``).

Each ``RetentionRule`` says which rows of which model are due (``due(now)``, a queryset of
the rows whose age field is past the duration), what happens to each (``action``) and how
(``apply(obj, now=..., actor=...)``, run for one object inside its own transaction, so an
interrupted run never half-deletes anything and a second run finds nothing left to do).
The register (``register.py``), the public « Données personnelles » page and
``docs/donnees-personnelles.md`` state the durations read from this table, never typed
again.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from immersio.accounts.models import OneTimeCode
from immersio.agencies.models import AgencyInvitation
from immersio.assessments.models import Assessment, AssessmentDocument, AssessmentEvent
from immersio.contacts.models import (
    BOARD_DAYS,
    BoardPost,
    BoardProposal,
    BoardProposalMessage,
    BoardReport,
    ContactRequest,
)
from immersio.conventions.models import (
    Convention,
    ConventionDocument,
    ConventionEvent,
    ConventionInvitation,
    ConventionVersion,
    SensitiveAccess,
    Signatory,
    Signature,
)
from immersio.conventions.models import Status as ConventionStatus
from immersio.core.models import RateLimitCounter
from immersio.events.models import Event
from immersio.events.models import Status as EventStatus
from immersio.journal.models import JournalEntry, Reflection
from immersio.notifications.models import OutboundEmail, OutboundSms, PendingNotification
from immersio.resource_people.models import Conversation, ConversationStatus, ResourceProfile
from immersio.structures.models import Invitation as StructureInvitation
from immersio.testimonies.models import Status as TestimonyStatus
from immersio.testimonies.models import Testimony

from .durations import (
    BOARD_RETENTION,
    CODE_RETENTION,
    CONVERSATION_RETENTION,
    DRAFT_RETENTION,
    EVENT_RETENTION,
    INVITATION_RETENTION,
    JOURNAL_RETENTION,
    OUTBOX_RETENTION,
    RATE_LIMIT_RETENTION,
    REFUSED_PROFILE_RETENTION,
    REQUEST_RETENTION,
    SIGNED_ACTIVE,
    SIGNED_RETENTION,
    TESTIMONY_RETENTION,
    UNPUBLISHED_EVENT_RETENTION,
    UNSIGNED_RETENTION,
    Duration,
)
from .erasure import anonymise_request  # one anonymisation, shared with account deletion


class Action(models.TextChoices):
    DELETE = "supprimer", "supprimé"
    ANONYMISE = "anonymiser", "anonymisé"
    ARCHIVE = "archiver", "archivé"
    PURGE = "effacer", "contenu effacé"
    WARN = "prevenir", "personne prévenue"


@dataclass(frozen=True)
class RetentionRule:
    key: str  # stable identifier, used in reports and in the register
    label: str  # French: what is concerned (« Demandes d'immersion sans convention »)
    model: str  # "app_label.ModelName"
    starts: str  # French: from when the duration runs (« après la dernière activité »)
    duration: Duration
    action: Action
    due: Callable[[datetime], models.QuerySet]  # rows due at ``now``
    apply: Callable[..., None]  # apply(obj, *, now, actor): one object, own transaction
    kept: str = ""  # French: what stays afterwards (for statistics), if anything

    @property
    def model_class(self) -> type[models.Model]:
        from django.apps import apps

        return apps.get_model(self.model)


# Anonymisation, one object at a time (called inside the job's transaction) ------------


def _delete_file_after_commit(field) -> None:
    """Delete a stored file once the transaction commits (a rolled-back anonymisation
    keeps its files)."""
    if field and field.name:
        storage, name = field.storage, field.name
        transaction.on_commit(lambda: storage.delete(name))


def anonymise_board_post(post: BoardPost, *, now: datetime) -> None:
    """Blank the author and their texts; keep the métier or cause, the commune, the
    duration and the dates. The proposals keep their structure and date, not their text;
    their conversations and the reports are deleted."""
    post.candidate = None
    post.first_name = ""
    post.last_initial = ""
    post.period = ""
    post.motivations = ""
    post.hidden_reason = ""
    post.anonymised_at = now
    post.save()
    BoardProposalMessage.objects.filter(proposal__post=post).delete()
    BoardProposal.objects.filter(post=post).update(body="", author=None)
    BoardReport.objects.filter(post=post).delete()


#: The convention's fields blanked by the anonymisation (every name, contact, free text and
#: sensitive field); what is not listed stays: agency, structure and its legal identity,
#: métier, commune, dates, schedule, status, situation, object.
CONVENTION_BLANKED = (
    "status_reason",
    "validator_name",
    "pre_validated_by_name",
    "beneficiary_first_name",
    "beneficiary_last_name",
    "beneficiary_email",
    "beneficiary_phone",
    "beneficiary_address",
    "emergency_contact_name",
    "emergency_contact_phone",
    "help_needed",
    "legal_rep_first_name",
    "legal_rep_last_name",
    "legal_rep_email",
    "legal_rep_phone",
    "legal_rep_relationship",
    "employer_siret",
    "employer_name",
    "employer_rep_name",
    "employer_rep_function",
    "employer_rep_email",
    "employer_rep_phone",
    "host_rep_name",
    "host_rep_function",
    "host_rep_email",
    "host_rep_phone",
    "tutor_name",
    "tutor_function",
    "tutor_email",
    "tutor_phone",
    "counsellor_name",
    "counsellor_email",
    "objectives",
    "tasks",
    "skills",
    "place_address",
    "work_conditions",
    "risks",
    "prevention",
)


def anonymise_convention(convention: Convention, *, now: datetime) -> None:
    """Anonymise a convention and everything attached to it, at once: the birth date
    becomes the 1st of January of its year (ages at the start stay countable), RQTH and RSA
    are unset, the signatures lose their IP address and browser, the PDFs and scans are
    deleted, the versions lose their content; the request it came from is anonymised too."""
    for field in CONVENTION_BLANKED:
        setattr(convention, field, "")
    birth = convention.beneficiary_birth_date
    convention.beneficiary_birth_date = date(birth.year, 1, 1) if birth else None
    convention.beneficiary_rqth = False
    convention.beneficiary_rsa = False
    convention.created_by = None
    convention.validated_by = None
    convention.anonymised_at = now
    convention.save()
    convention.participants.clear()
    ConventionInvitation.objects.filter(convention=convention).delete()
    SensitiveAccess.objects.filter(convention=convention).delete()
    ConventionEvent.objects.filter(convention=convention).update(by=None, by_name="", reason="")
    Signatory.objects.filter(convention=convention).update(
        name="", email="", phone="", decline_reason=""
    )
    signatures = Signature.objects.filter(signatory__convention=convention)
    for signature in signatures.exclude(scan=""):
        _delete_file_after_commit(signature.scan)
    signatures.update(ip_address=None, user_agent="", code_sent_to="", scan="", recorded_by=None)
    documents = ConventionDocument.objects.filter(version__convention=convention)
    for document in documents:
        _delete_file_after_commit(document.file)
    documents.delete()
    ConventionVersion.objects.filter(convention=convention).update(
        content={}, changes=[], reason="", created_by=None
    )
    _anonymise_assessment(convention)
    if convention.contact_request_id:
        request = ContactRequest.objects.filter(
            pk=convention.contact_request_id, anonymised_at__isnull=True
        ).first()
        if request is not None:
            anonymise_request(request, now=now)


def _anonymise_assessment(convention: Convention) -> None:
    """The assessment lives and dies with its convention: its free texts, the objectives'
    comments and who filled or changed it are blanked; the outcome, the results, the
    levels, the hours and the hiring stay, for statistics."""
    for assessment in Assessment.objects.filter(convention=convention):
        assessment.no_show_reason = ""
        assessment.appreciation = ""
        assessment.advice = ""
        assessment.beneficiary_comment = ""
        assessment.filled_by = None
        assessment.filled_by_name = ""
        assessment.objectives = [
            {"objective": "", "result": row.get("result", ""), "comment": ""}
            for row in assessment.objectives or []
        ]
        assessment.skills = [
            {**row, "skill": ""} if row.get("free") else row for row in assessment.skills or []
        ]
        assessment.save()
        AssessmentEvent.objects.filter(assessment=assessment).update(by=None, by_name="", reason="")
        documents = AssessmentDocument.objects.filter(assessment=assessment)
        for document in documents:  # the PDFs print names and texts: none is kept
            _delete_file_after_commit(document.file)
        documents.delete()


# The rules ---------------------------------------------------------------------------


def _today(now: datetime) -> date:
    return timezone.localtime(now).date()


def _drafts_due(now: datetime) -> models.QuerySet:
    return Convention.objects.drafts().filter(updated_at__lte=DRAFT_RETENTION.before(now))


def _delete(obj: models.Model, *, now: datetime, actor: object) -> None:
    obj.delete()


def _unsigned_due(now: datetime) -> models.QuerySet:
    return Convention.objects.filter(
        validated_at__isnull=True,
        anonymised_at__isnull=True,
        updated_at__lte=UNSIGNED_RETENTION.before(now),
    ).exclude(status=ConventionStatus.DRAFT)


def _signed(now: datetime) -> models.QuerySet:
    return Convention.objects.filter(validated_at__isnull=False, anonymised_at__isnull=True)


def _archive_due(now: datetime) -> models.QuerySet:
    return _signed(now).filter(
        archived_at__isnull=True, date_end__lte=SIGNED_ACTIVE.before_date(_today(now))
    )


def _archive(convention: Convention, *, now: datetime, actor: object) -> None:
    convention.archived_at = now
    convention.save(update_fields=["archived_at", "updated_at"])


def _signed_due(now: datetime) -> models.QuerySet:
    return _signed(now).filter(date_end__lte=SIGNED_RETENTION.before_date(_today(now)))


def _anonymise_convention(convention: Convention, *, now: datetime, actor: object) -> None:
    if convention.archived_at is None:
        convention.archived_at = now
    anonymise_convention(convention, now=now)


def _requests_due(now: datetime) -> models.QuerySet:
    cutoff = REQUEST_RETENTION.before(now)
    return (
        ContactRequest.objects.filter(anonymised_at__isnull=True, updated_at__lte=cutoff)
        .exclude(Q(conventions__isnull=False))
        .exclude(messages__created_at__gt=cutoff)
    )


def _anonymise_request(request: ContactRequest, *, now: datetime, actor: object) -> None:
    anonymise_request(request, now=now)


def _board_due(now: datetime) -> models.QuerySet:
    return BoardPost.objects.filter(
        anonymised_at__isnull=True, expires_at__lte=BOARD_RETENTION.before(now)
    )


def _anonymise_board_post(post: BoardPost, *, now: datetime, actor: object) -> None:
    anonymise_board_post(post, now=now)


def _emails_due(now: datetime) -> models.QuerySet:
    return OutboundEmail.objects.filter(
        body_purged_at__isnull=True, created_at__lte=OUTBOX_RETENTION.before(now)
    )


def _purge_email(email: OutboundEmail, *, now: datetime, actor: object) -> None:
    email.text_body = ""
    email.html_body = ""
    email.links = []
    email.body_purged_at = now
    email.save(update_fields=["text_body", "html_body", "links", "body_purged_at"])


def _pending_notifications_due(now: datetime) -> models.QuerySet:
    # Rendered within seconds, or given up after OUTBOX_GIVE_UP_AFTER_HOURS: any row this
    # old is one the worker gave up on, kept until now for the team to see why.
    return PendingNotification.objects.filter(created_at__lte=OUTBOX_RETENTION.before(now))


def _sms_due(now: datetime) -> models.QuerySet:
    return OutboundSms.objects.filter(
        body_purged_at__isnull=True, created_at__lte=OUTBOX_RETENTION.before(now)
    )


def _purge_sms(sms: OutboundSms, *, now: datetime, actor: object) -> None:
    sms.body = ""
    sms.body_purged_at = now
    sms.save(update_fields=["body", "body_purged_at"])


def _counters_due(now: datetime) -> models.QuerySet:
    return RateLimitCounter.objects.filter(window_start__lte=RATE_LIMIT_RETENTION.before(now))


def _codes_due(now: datetime) -> models.QuerySet:
    return OneTimeCode.objects.filter(expires_at__lte=CODE_RETENTION.before(now))


def _invitations_due(model: type[models.Model]) -> Callable[[datetime], models.QuerySet]:
    def due(now: datetime) -> models.QuerySet:
        return model.objects.filter(
            accepted_at__isnull=True, created_at__lte=INVITATION_RETENTION.before(now)
        )

    return due


def _invitation_rule(key: str, label: str, model: type[models.Model]) -> RetentionRule:
    return RetentionRule(
        key=key,
        label=label,
        model=model._meta.label,
        starts="après leur envoi, si elles n'ont pas été acceptées",
        duration=INVITATION_RETENTION,
        action=Action.DELETE,
        due=_invitations_due(model),
        apply=_delete,
    )


#: The table, read in this order: conventions first (a request whose only convention was
#: a deleted draft is then a request « without convention »).
RULES: list[RetentionRule] = [
    RetentionRule(
        key="conventions_brouillons",
        label="Brouillons de convention",
        model="conventions.Convention",
        starts="après leur dernière modification",
        duration=DRAFT_RETENTION,
        action=Action.DELETE,
        due=_drafts_due,
        apply=_delete,
    ),
    RetentionRule(
        key="conventions_non_signees",
        label="Conventions envoyées mais jamais validées (refusées, annulées, obsolètes)",
        model="conventions.Convention",
        starts="après leur dernier changement",
        duration=UNSIGNED_RETENTION,
        action=Action.ANONYMISE,
        due=_unsigned_due,
        apply=_anonymise_convention,
        kept=(
            "le prescripteur, la structure, le métier, la commune, les dates et l'état, "
            "pour les statistiques"
        ),
    ),
    RetentionRule(
        key="conventions_signees_archivage",
        label=(
            "Conventions validées (archivées, elles ne sont plus lisibles que par leur "
            "prescripteur, sur demande : litige, preuve de l'immersion)"
        ),
        model="conventions.Convention",
        starts="après la fin de l'immersion",
        duration=SIGNED_ACTIVE,
        action=Action.ARCHIVE,
        due=_archive_due,
        apply=_archive,
    ),
    RetentionRule(
        key="conventions_signees",
        label="Conventions validées, leurs signatures et leurs PDF",
        model="conventions.Convention",
        starts="après la fin de l'immersion",
        duration=SIGNED_RETENTION,
        action=Action.ANONYMISE,
        due=_signed_due,
        apply=_anonymise_convention,
        kept=(
            "le prescripteur, la structure, le métier, la commune, les dates, l'état et "
            "l'année de naissance, pour les statistiques"
        ),
    ),
    RetentionRule(
        key="demandes",
        label="Demandes d'immersion sans convention, et leurs messages",
        model="contacts.ContactRequest",
        starts="après leur dernière activité (message, réponse, changement d'état)",
        duration=REQUEST_RETENTION,
        action=Action.ANONYMISE,
        due=_requests_due,
        apply=_anonymise_request,
        kept="la structure, le métier, la durée, les dates et l'issue, pour les statistiques",
    ),
    RetentionRule(
        key="tableau",
        label="Demandes publiées sur le tableau, et les propositions reçues",
        model="contacts.BoardPost",
        starts=f"après leur retrait du tableau ({BOARD_DAYS} jours après leur publication)",
        duration=BOARD_RETENTION,
        action=Action.ANONYMISE,
        due=_board_due,
        apply=_anonymise_board_post,
        kept="le métier ou la cause, la commune et les dates, pour les statistiques",
    ),
    RetentionRule(
        key="emails",
        label="Texte des e-mails envoyés",
        model="notifications.OutboundEmail",
        starts="après leur envoi",
        duration=OUTBOX_RETENTION,
        action=Action.PURGE,
        due=_emails_due,
        apply=_purge_email,
        kept="le destinataire, l'objet, le type d'e-mail et les dates",
    ),
    RetentionRule(
        key="notifications_a_preparer",
        label="E-mails à préparer que le worker n'a pas pu écrire",
        model="notifications.PendingNotification",
        starts="après l'action qui les a causés",
        duration=OUTBOX_RETENTION,
        action=Action.DELETE,
        due=_pending_notifications_due,
        apply=_delete,
    ),
    RetentionRule(
        key="sms",
        label="Texte des SMS envoyés",
        model="notifications.OutboundSms",
        starts="après leur envoi",
        duration=OUTBOX_RETENTION,
        action=Action.PURGE,
        due=_sms_due,
        apply=_purge_sms,
        kept="le numéro, le type de SMS et les dates",
    ),
    RetentionRule(
        key="limites_de_debit",
        label="Compteurs de limites de débit",
        model="core.RateLimitCounter",
        starts="après le début de leur période de comptage",
        duration=RATE_LIMIT_RETENTION,
        action=Action.DELETE,
        due=_counters_due,
        apply=_delete,
    ),
    _invitation_rule(
        "invitations_structures",
        "Invitations à rejoindre l'équipe d'une structure",
        StructureInvitation,
    ),
    _invitation_rule(
        "invitations_prescripteurs",
        "Invitations à rejoindre l'équipe d'un prescripteur",
        AgencyInvitation,
    ),
    _invitation_rule(
        "invitations_conventions", "Invitations à compléter une convention", ConventionInvitation
    ),
    RetentionRule(
        key="codes",
        label="Codes à usage unique (signature, vérification d'une adresse ou d'un téléphone)",
        model="accounts.OneTimeCode",
        starts="après leur expiration",
        duration=CODE_RETENTION,
        action=Action.DELETE,
        due=_codes_due,
        apply=_delete,
    ),
]


def _journal_due(model: type[models.Model]) -> Callable[[datetime], models.QuerySet]:
    def due(now: datetime) -> models.QuerySet:
        cutoff = JOURNAL_RETENTION.before_date(_today(now))
        return model.objects.filter(convention__date_end__lte=cutoff)

    return due


RULES += [
    RetentionRule(
        key="carnets",
        label="Carnets d'immersion (pages et personnes rencontrées)",
        model="journal.JournalEntry",
        starts="après la fin de l'immersion (ou avant, avec le compte de la personne)",
        duration=JOURNAL_RETENTION,
        action=Action.DELETE,
        due=_journal_due(JournalEntry),
        apply=_delete,
    ),
    RetentionRule(
        key="bilans_personnels",
        label="Bilans personnels et plans d'action",
        model="journal.Reflection",
        starts="après la fin de l'immersion (ou avant, avec le compte de la personne)",
        duration=JOURNAL_RETENTION,
        action=Action.DELETE,
        due=_journal_due(Reflection),
        apply=_delete,
    ),
]


def _testimonies_due(now: datetime) -> models.QuerySet:
    cutoff = TESTIMONY_RETENTION.before(now)
    return Testimony.objects.filter(
        Q(status=TestimonyStatus.WITHDRAWN, consent_withdrawn_at__lte=cutoff)
        | Q(status=TestimonyStatus.REJECTED, reviewed_at__lte=cutoff)
    )


def _conversations_due(now: datetime) -> models.QuerySet:
    cutoff = CONVERSATION_RETENTION.before(now)
    return Conversation.objects.filter(
        Q(closed_at__lte=cutoff) | Q(status=ConversationStatus.CONFIRMED, slot_at__lte=cutoff)
    )


def _refused_profiles_due(now: datetime) -> models.QuerySet:
    cutoff = REFUSED_PROFILE_RETENTION.before(now)
    return ResourceProfile.objects.filter(
        status=ResourceProfile.Status.REFUSED, reviewed_at__lte=cutoff, updated_at__lte=cutoff
    )


RULES += [
    RetentionRule(
        key="temoignages_retires",
        label="Témoignages retirés par leur auteur ou non publiés",
        model="testimonies.Testimony",
        starts="après le retrait de l'accord ou la décision de ne pas publier",
        duration=TESTIMONY_RETENTION,
        action=Action.DELETE,
        due=_testimonies_due,
        apply=_delete,
    ),
    RetentionRule(
        key="entretiens_metier",
        label="Entretiens-métier avec les personnes ressources",
        model="resource_people.Conversation",
        starts="après le créneau retenu, ou après la clôture de la demande (déclinée, annulée, "
        "expirée)",
        duration=CONVERSATION_RETENTION,
        action=Action.DELETE,
        due=_conversations_due,
        apply=_delete,
    ),
    RetentionRule(
        key="profils_refuses",
        label="Profils de personnes ressources refusés et jamais modifiés depuis",
        model="resource_people.ResourceProfile",
        starts="après la relecture par l'équipe",
        duration=REFUSED_PROFILE_RETENTION,
        action=Action.DELETE,
        due=_refused_profiles_due,
        apply=_delete,
    ),
]


def _events_due(now: datetime) -> models.QuerySet:
    return Event.objects.filter(
        anonymised_at__isnull=True, ends_at__lte=EVENT_RETENTION.before(now)
    )


def _anonymise_event(event: Event, *, now: datetime, actor: object) -> None:
    event.submitted_by = None
    event.reviewed_by = None
    event.contact_email = ""
    event.anonymised_at = now
    event.save(update_fields=["submitted_by", "reviewed_by", "contact_email", "anonymised_at"])


def _unpublished_events_due(now: datetime) -> models.QuerySet:
    return Event.objects.filter(
        published_at__isnull=True,
        status__in=[EventStatus.REFUSED, EventStatus.CANCELLED],
        updated_at__lte=UNPUBLISHED_EVENT_RETENTION.before(now),
    )


RULES += [
    RetentionRule(
        key="evenements",
        label="Événements : qui les a proposés, relus, et leur adresse de contact",
        model="events.Event",
        starts="après la fin de l'événement",
        duration=EVENT_RETENTION,
        action=Action.ANONYMISE,
        due=_events_due,
        apply=_anonymise_event,
        kept="l'événement lui-même, public, dans les archives",
    ),
    RetentionRule(
        key="evenements_non_publies",
        label="Événements refusés, ou annulés avant leur publication",
        model="events.Event",
        starts="après leur dernière modification",
        duration=UNPUBLISHED_EVENT_RETENTION,
        action=Action.DELETE,
        due=_unpublished_events_due,
        apply=_delete,
    ),
]

# Accounts inactive for too long (« Mes données », part of the same issue): their module
# reads this one's shapes, so it is imported once they exist.
from .inactivity import INACTIVITY_RULES  # noqa: E402

RULES += INACTIVITY_RULES

RULES_BY_KEY: dict[str, RetentionRule] = {rule.key: rule for rule in RULES}


def rule(key: str) -> RetentionRule:
    """The rule ``key`` (the register names its durations this way)."""
    return RULES_BY_KEY[key]
