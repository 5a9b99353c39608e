"""Immersion requests: a candidate writes to a host structure, both sides talk in a thread."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from immersio.core.fields import PhoneNumberField
from immersio.core.models import PublicIdModel, TimeStampedModel, person_reference
from immersio.core.names import public_name
from immersio.core.vocabulary import ImmersionObject, Situation

TEXT_MAX = 3000
SHORT_TEXT_MAX = 500


class Duration(models.TextChoices):
    ONE_DAY = "1j", "1 jour"
    TWO_THREE_DAYS = "2-3j", "2 à 3 jours"
    ONE_WEEK = "1s", "1 semaine"
    TWO_WEEKS = "2s", "2 semaines"
    THREE_WEEKS = "3s", "3 semaines"
    ONE_MONTH = "1m", "1 mois"


class DeclineReason(models.TextChoices):
    UNAVAILABLE = "indisponible", "Pas disponible en ce moment"
    NO_LONGER_OFFERED = "metier_retire", "Métier plus proposé"
    PROFILE = "profil", "Le profil ne correspond pas"
    OTHER = "autre", "Autre raison"


class Status(models.TextChoices):
    DRAFT = "brouillon", "Adresse e-mail à vérifier"
    NEW = "nouvelle", "Nouvelle"
    AWAITING = "en_attente", "En attente de réponse"
    QUESTION = "question", "Question posée"
    ACCEPTED = "acceptee", "Acceptée"
    DECLINED = "declinee", "Déclinée"
    WITHDRAWN = "retiree", "Retirée"
    FOUND_ELSEWHERE = "trouve_ailleurs", "Immersion trouvée ailleurs"
    EXPIRED = "expiree", "Expirée sans réponse"
    DIRECT = "coordonnees", "Coordonnées transmises"


# Requests the structure still has to answer (reminders, expiry, answer rate).
WAITING_FOR_STRUCTURE = (Status.NEW, Status.AWAITING)
# A request that occupies the candidate's slot for this structure and métier.
OPEN_STATUSES = (Status.NEW, Status.AWAITING, Status.QUESTION, Status.ACCEPTED)
CLOSED_STATUSES = (
    Status.DECLINED,
    Status.WITHDRAWN,
    Status.FOUND_ELSEWHERE,
    Status.EXPIRED,
    Status.DIRECT,
)


class ContactRequestQuerySet(models.QuerySet):
    def sent(self):
        return self.exclude(status=Status.DRAFT)

    def visible_to(self, user):
        """Requests ``user`` may read: their own as a candidate, and those of the
        structures they manage (every structure for staff)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        from immersio.structures.models import HostStructure

        structures = HostStructure.objects.visible_to(user).values("pk")
        return self.sent().filter(Q(candidate=user) | Q(structure__in=structures))


class ContactRequest(PublicIdModel, TimeStampedModel):
    Status = Status  # templates compare with ``contact_request.Status.ACCEPTED``, never a string

    structure = models.ForeignKey(
        "structures.HostStructure",
        on_delete=models.CASCADE,
        related_name="contact_requests",
        verbose_name="structure",
    )
    appellation = models.ForeignKey(
        "referentials.Appellation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="métier",
    )
    candidate = person_reference("compte du candidat", related_name="contact_requests")
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    email = models.EmailField("adresse e-mail")
    phone = PhoneNumberField("téléphone", max_length=20, blank=True)
    situation = models.CharField("situation", max_length=30, choices=Situation.choices)
    has_support = models.BooleanField("déjà accompagné(e)", default=False)
    support_name = models.CharField("structure d'accompagnement", max_length=200, blank=True)
    objective = models.CharField("objectif", max_length=20, choices=ImmersionObject.choices)
    motivations = models.TextField("intention et motivations", max_length=TEXT_MAX)
    hopes = models.TextField("ce que la personne espère voir ou essayer", max_length=TEXT_MAX)
    period = models.CharField("disponibilités", max_length=SHORT_TEXT_MAX)
    duration = models.CharField("durée souhaitée", max_length=10, choices=Duration.choices)
    transport = models.CharField("moyen de venir", max_length=SHORT_TEXT_MAX, blank=True)
    contact_mode = models.CharField("mode de contact", max_length=20)
    status = models.CharField(
        "état", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    verified_at = models.DateTimeField("adresse vérifiée le", null=True, blank=True)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)
    seen_at = models.DateTimeField("ouverte par la structure le", null=True, blank=True)
    first_answer_at = models.DateTimeField("première réponse le", null=True, blank=True)
    answered_at = models.DateTimeField("dernière réponse le", null=True, blank=True)
    closed_at = models.DateTimeField("close le", null=True, blank=True)
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True)
    reminded_3_at = models.DateTimeField("relance J+3 le", null=True, blank=True)
    reminded_7_at = models.DateTimeField("relance J+7 le", null=True, blank=True)
    proposed_start = models.DateField("début proposé", null=True, blank=True)
    proposed_end = models.DateField("fin proposée", null=True, blank=True)
    proposed_dates = models.CharField(
        "horaires et précisions", max_length=SHORT_TEXT_MAX, blank=True
    )
    decline_reason = models.CharField(
        "motif du refus", max_length=20, choices=DeclineReason.choices, blank=True
    )
    verification_sent_at = models.DateTimeField("lien de vérification envoyé le", null=True)

    objects = ContactRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande d'immersion"
        verbose_name_plural = "demandes d'immersion"
        ordering = ["-sent_at", "-created_at"]
        constraints = [
            # One open request per candidate, structure and métier: a replayed
            # confirmation or a double click cannot create a second one.
            models.UniqueConstraint(
                fields=["structure", "appellation", "email"],
                condition=Q(status__in=list(OPEN_STATUSES)),
                name="contacts_one_open_request",
                violation_error_message="Une demande est déjà en cours pour ce métier.",
            )
        ]
        indexes = [
            models.Index(fields=["structure", "sent_at"]),
            models.Index(fields=["email", "structure", "appellation", "sent_at"]),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name} → {self.structure} ({self.appellation})"

    @property
    def candidate_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def proposed_period(self) -> str:
        """« du 3 mars 2026 au 7 mars 2026 » (dates proposed when accepting), with the
        hours or details the structure added."""
        from .rules import describe_period

        period = describe_period(self.proposed_start, self.proposed_end)
        if period and self.proposed_dates:
            return f"{period} ({self.proposed_dates})"
        return period or self.proposed_dates

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Side(models.TextChoices):
    CANDIDATE = "candidat", "Candidat"
    STRUCTURE = "structure", "Structure"


class ThreadMessage(models.Model):
    """A message between a candidate and a structure, in a request's thread or in a board
    proposal's: the concrete model adds what the thread belongs to."""

    side = models.CharField("auteur", max_length=20, choices=Side.choices)
    author = person_reference()
    body = models.TextField("message", max_length=TEXT_MAX)
    created_at = models.DateTimeField("écrit le", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_side_display()} — {self.created_at:%d/%m/%Y %H:%M}"


class Message(ThreadMessage):
    Side = Side

    request = models.ForeignKey(ContactRequest, on_delete=models.CASCADE, related_name="messages")

    class Meta(ThreadMessage.Meta):
        verbose_name = "message"
        verbose_name_plural = "messages"


class ContactEvent(models.Model):
    """One row per status change of a request (who, when, from, to, reason)."""

    request = models.ForeignKey(ContactRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("le")
    by = person_reference()
    from_status = models.CharField("de", max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField("vers", max_length=20, choices=Status.choices)
    reason = models.CharField("motif", max_length=SHORT_TEXT_MAX, blank=True)

    class Meta:
        verbose_name = "événement"
        verbose_name_plural = "événements"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status}"


class AnswerStats(models.Model):
    """Answer rate and median answer time of a structure over 12 months
    (``compute_answer_rates``)."""

    structure = models.OneToOneField(
        "structures.HostStructure", on_delete=models.CASCADE, related_name="answer_stats"
    )
    requests = models.PositiveIntegerField("demandes reçues", default=0)
    answered = models.PositiveIntegerField("demandes répondues", default=0)
    answer_rate = models.FloatField("taux de réponse", null=True)
    median_answer_hours = models.FloatField("délai médian de réponse (heures)", null=True)
    computed_at = models.DateTimeField("calculé le")

    class Meta:
        verbose_name = "statistiques de réponse"
        verbose_name_plural = "statistiques de réponse"

    def __str__(self):
        return f"{self.structure_id} : {self.answer_rate}"


class AutoHide(PublicIdModel):
    """A structure taken out of the search because it never answers; its team can
    bring it back with a signed link."""

    structure = models.ForeignKey(
        "structures.HostStructure", on_delete=models.CASCADE, related_name="auto_hides"
    )
    hidden_at = models.DateTimeField("masquée le")
    reopened_at = models.DateTimeField("rouverte le", null=True, blank=True)

    class Meta:
        verbose_name = "masquage automatique"
        verbose_name_plural = "masquages automatiques"

    def __str__(self):
        return f"{self.structure_id} masquée le {self.hidden_at:%d/%m/%Y}"


# Public request board -------------------------------------------------------------------

BOARD_DAYS = 60


class BoardPostQuerySet(models.QuerySet):
    def visible(self, now):
        return self.filter(
            published_at__isnull=False,
            expires_at__gt=now,
            unpublished_at__isnull=True,
            hidden_at__isnull=True,
        )


class BoardPost(PublicIdModel, TimeStampedModel):
    """A candidate's request published openly for 60 days (« Les demandes d'immersion »):
    first name and initial only."""

    # None once anonymised (``privacy.retention``): the post no longer belongs to anyone.
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="board_posts",
    )
    first_name = models.CharField("prénom", max_length=150)
    last_initial = models.CharField("initiale du nom", max_length=1, blank=True)
    appellation = models.ForeignKey(
        "referentials.Appellation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="métier",
    )
    cause = models.ForeignKey(
        "structures.Cause",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="cause",
    )
    commune = models.ForeignKey(
        "referentials.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="secteur"
    )
    latitude = models.FloatField("latitude")
    longitude = models.FloatField("longitude")
    period = models.CharField("disponibilités", max_length=SHORT_TEXT_MAX)
    duration = models.CharField("durée souhaitée", max_length=10, choices=Duration.choices)
    motivations = models.TextField("motivations", max_length=TEXT_MAX)
    published_at = models.DateTimeField("publiée le", null=True)
    expires_at = models.DateTimeField("visible jusqu'au")
    unpublished_at = models.DateTimeField("retirée le", null=True, blank=True)
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True)
    hidden_at = models.DateTimeField("masquée par l'équipe le", null=True, blank=True)
    hidden_reason = models.CharField("motif du masquage", max_length=SHORT_TEXT_MAX, blank=True)

    objects = BoardPostQuerySet.as_manager()

    class Meta:
        verbose_name = "demande publiée"
        verbose_name_plural = "demandes publiées"
        ordering = ["-published_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(appellation__isnull=False) | Q(cause__isnull=False),
                name="contacts_board_post_has_subject",
            )
        ]

    def __str__(self):
        return f"{self.display_name} — {self.subject}"

    @property
    def display_name(self) -> str:
        return public_name(self.first_name, self.last_initial, fallback="")

    @property
    def public_motivations(self) -> str:
        """The motivations as the board shows them: no phone number, no e-mail address
        (contact goes through Immersio)."""
        from .rules import mask_contact_details

        return mask_contact_details(self.motivations)

    @property
    def public_period(self) -> str:
        from .rules import mask_contact_details

        return mask_contact_details(self.period)

    @property
    def subject(self) -> str:
        if self.appellation_id:
            return self.appellation.label
        return self.cause.label


class BoardProposal(TimeStampedModel):
    """A structure offers an immersion to the author of a board post."""

    post = models.ForeignKey(BoardPost, on_delete=models.CASCADE, related_name="proposals")
    structure = models.ForeignKey(
        "structures.HostStructure", on_delete=models.CASCADE, related_name="board_proposals"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField("message", max_length=TEXT_MAX)

    class Meta:
        verbose_name = "proposition"
        verbose_name_plural = "propositions"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "structure"], name="contacts_one_proposal_per_structure"
            )
        ]

    def __str__(self):
        return f"{self.structure} → {self.post}"


class BoardProposalMessage(ThreadMessage):
    """The conversation that follows a proposal: the candidate answers in Immersio (their
    contact details are never published) and both sides see the thread."""

    proposal = models.ForeignKey(BoardProposal, on_delete=models.CASCADE, related_name="messages")

    class Meta(ThreadMessage.Meta):
        verbose_name = "message sur une proposition"
        verbose_name_plural = "messages sur une proposition"


class BoardReport(models.Model):
    post = models.ForeignKey(BoardPost, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField("motif", max_length=SHORT_TEXT_MAX)
    created_at = models.DateTimeField("signalée le", auto_now_add=True)

    class Meta:
        verbose_name = "signalement"
        verbose_name_plural = "signalements"

    def __str__(self):
        return f"{self.post} : {self.reason[:40]}"
