"""Resource people: a profile (before → after, path, what helped) reviewed by the Immersio
team before publication, and the conversations (« entretiens-métier ») candidates ask
them for. Deleting an account deletes its profile and conversations (``CASCADE``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from immersio.core.models import PublicIdModel, TimeStampedModel

from . import rules


class Mode(models.TextChoices):
    VIDEO = "visio", "En visio"
    PHONE = "telephone", "Par téléphone"
    IN_PERSON = "en_personne", "En personne"


class ProfileStatus(models.TextChoices):
    SUBMITTED = "a_relire", "En cours de relecture"
    PUBLISHED = "publie", "Publié"
    REFUSED = "refuse", "Refusé"


class ResourceProfileQuerySet(models.QuerySet):
    def for_user(self, user):
        """The person's own profile (none for a visitor), as memberships answer it."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(person=user)

    def published(self):
        """Shown in the search: published and not paused."""
        return self.filter(status=ProfileStatus.PUBLISHED, paused_at__isnull=True)

    def visible_to(self, user):
        """The profiles whose page ``user`` may open: the published ones, their own, and
        every one for staff."""
        if getattr(user, "is_staff", False):
            return self.all()
        if getattr(user, "is_authenticated", False):
            return self.filter(
                Q(status=ProfileStatus.PUBLISHED, paused_at__isnull=True) | Q(person=user)
            )
        return self.published()


class ResourceProfile(PublicIdModel, TimeStampedModel):
    Status = ProfileStatus
    Mode = Mode

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="resource_profile",
        verbose_name="personne",
    )
    before_title = models.CharField("avant : métier ou situation", max_length=rules.TITLE_MAX)
    before_appellation = models.ForeignKey(
        "referentials.Appellation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="avant : métier (ROME)",
    )
    after_title = models.CharField("après : métier ou situation", max_length=rules.TITLE_MAX)
    after_appellation = models.ForeignKey(
        "referentials.Appellation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="après : métier (ROME)",
    )
    path = models.TextField("mon parcours", max_length=rules.PROFILE_TEXT_MAX)
    helped = models.TextField("ce qui m'a aidé", max_length=rules.PROFILE_TEXT_MAX)
    presentation = models.CharField(
        "présentation courte", max_length=rules.SHORT_TEXT_MAX, blank=True
    )
    causes = models.ManyToManyField(
        "structures.Cause", blank=True, related_name="+", verbose_name="causes"
    )
    commune = models.ForeignKey(
        "referentials.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="commune"
    )
    department = models.CharField("département", max_length=3, db_index=True)
    region = models.CharField("région", max_length=3, blank=True, db_index=True)
    modes = models.JSONField("façons d'échanger", default=list)
    monthly_quota = models.PositiveSmallIntegerField(
        "entretiens par mois", default=rules.MONTHLY_QUOTA_DEFAULT
    )
    status = models.CharField(
        "état", max_length=20, choices=ProfileStatus.choices, default=ProfileStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField("envoyé à la relecture le", null=True, blank=True)
    reviewed_at = models.DateTimeField("relu le", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="relu par",
    )
    refusal_reason = models.CharField("motif du refus", max_length=rules.SHORT_TEXT_MAX, blank=True)
    published_at = models.DateTimeField("publié le", null=True, blank=True)
    paused_at = models.DateTimeField("en pause depuis le", null=True, blank=True)

    objects = ResourceProfileQuerySet.as_manager()

    class Meta:
        verbose_name = "profil de personne ressource"
        verbose_name_plural = "profils de personnes ressources"
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_quota__gte=1, monthly_quota__lte=rules.MONTHLY_QUOTA_MAX),
                name="resource_people_quota_bounds",
            )
        ]

    def __str__(self):
        return f"{self.before_title} → {self.after_title}"

    @property
    def display_name(self) -> str:
        return rules.display_name(self.person.first_name, self.person.last_name)

    @property
    def mode_labels(self) -> list[str]:
        return [Mode(value).label for value in self.modes if value in Mode.values]

    @property
    def is_published(self) -> bool:
        return self.status == ProfileStatus.PUBLISHED

    @property
    def is_submitted(self) -> bool:
        return self.status == ProfileStatus.SUBMITTED

    @property
    def is_refused(self) -> bool:
        return self.status == ProfileStatus.REFUSED

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    def public_text(self, name: str) -> str:
        from immersio.contacts.rules import mask_contact_details

        return mask_contact_details(getattr(self, name))

    @property
    def public_path(self) -> str:
        return self.public_text("path")

    @property
    def public_helped(self) -> str:
        return self.public_text("helped")

    @property
    def public_presentation(self) -> str:
        return self.public_text("presentation")


class ConversationStatus(models.TextChoices):
    ASKED = "demande", "En attente de réponse"
    ACCEPTED = "acceptee", "Créneaux proposés"
    CONFIRMED = "confirmee", "Entretien confirmé"
    DECLINED = "declinee", "Déclinée"
    CANCELLED = "annulee", "Annulée"
    EXPIRED = "expiree", "Expirée sans réponse"


OPEN_CONVERSATION = (
    ConversationStatus.ASKED,
    ConversationStatus.ACCEPTED,
    ConversationStatus.CONFIRMED,
)


class DeclineReason(models.TextChoices):
    BUSY = "pas_disponible", "Je ne suis pas disponible en ce moment"
    FIELD = "hors_sujet", "Je ne suis pas la bonne personne pour cette question"
    MONTH = "mois_complet", "J'ai déjà beaucoup d'échanges ce mois-ci"
    OTHER = "autre", "Une autre raison"


class ConversationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Conversations ``user`` takes part in (as the candidate or the resource person)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(Q(candidate=user) | Q(profile__person=user))


class Conversation(PublicIdModel, TimeStampedModel):
    """A candidate asks a resource person for an entretien-métier."""

    Status = ConversationStatus
    Mode = Mode
    DeclineReason = DeclineReason

    profile = models.ForeignKey(
        ResourceProfile,
        on_delete=models.CASCADE,
        related_name="conversations",
        verbose_name="personne ressource",
    )
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="candidat",
    )
    mode = models.CharField("façon d'échanger", max_length=20, choices=Mode.choices)
    about_me = models.TextField("qui je suis", max_length=rules.MESSAGE_MAX)
    why_you = models.TextField("pourquoi cette personne", max_length=rules.MESSAGE_MAX)
    to_understand = models.TextField("ce que je veux comprendre", max_length=rules.MESSAGE_MAX)
    month = models.DateField("mois (quota)", db_index=True)
    status = models.CharField(
        "état",
        max_length=20,
        choices=ConversationStatus.choices,
        default=ConversationStatus.ASKED,
        db_index=True,
    )
    asked_at = models.DateTimeField("demandé le")
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    slot_at = models.DateTimeField("créneau retenu", null=True, blank=True)
    confirmed_at = models.DateTimeField("confirmé le", null=True, blank=True)
    closed_at = models.DateTimeField("clos le", null=True, blank=True)
    contact_detail = models.CharField(
        "lien de visio, numéro ou lieu", max_length=rules.DETAIL_MAX, blank=True
    )
    decline_reason = models.CharField(
        "raison du refus", max_length=20, choices=DeclineReason.choices, blank=True
    )
    decline_word = models.CharField("un mot", max_length=rules.SHORT_TEXT_MAX, blank=True)
    cancelled_by_candidate = models.BooleanField("annulé par le candidat", null=True)
    reminded_3_at = models.DateTimeField("relance J+3 le", null=True, blank=True)
    reminded_7_at = models.DateTimeField("relance J+7 le", null=True, blank=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        verbose_name = "entretien-métier"
        verbose_name_plural = "entretiens-métier"
        ordering = ["-asked_at", "-pk"]
        constraints = [
            # One open conversation per candidate and resource person: a double click or
            # two tabs cannot ask twice.
            models.UniqueConstraint(
                fields=["profile", "candidate"],
                condition=Q(status__in=list(OPEN_CONVERSATION)),
                name="resource_people_one_open_conversation",
                violation_error_message=(
                    "Vous avez déjà une demande en cours auprès de cette personne."
                ),
            )
        ]
        indexes = [models.Index(fields=["profile", "month"])]

    def __str__(self):
        return f"Entretien-métier {self.public_id}"

    @staticmethod
    def reminder_column(days: int) -> str:
        """The column that records the reminder sent ``days`` after asking: one per day of
        ``rules.REMINDER_DAYS`` (``reminded_3_at``, ``reminded_7_at``)."""
        return f"reminded_{days}_at"

    @property
    def candidate_name(self) -> str:
        """« Prénom N. » of the candidate (the resource person's lists and e-mails)."""
        return rules.display_name(self.candidate.first_name, self.candidate.last_name)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CONVERSATION

    @property
    def is_asked(self) -> bool:
        return self.status == ConversationStatus.ASKED

    @property
    def is_accepted(self) -> bool:
        return self.status == ConversationStatus.ACCEPTED

    @property
    def is_confirmed(self) -> bool:
        return self.status == ConversationStatus.CONFIRMED

    @property
    def is_declined(self) -> bool:
        return self.status == ConversationStatus.DECLINED


class ProposedSlot(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="slots", verbose_name="entretien"
    )
    starts_at = models.DateTimeField("début")

    class Meta:
        verbose_name = "créneau proposé"
        verbose_name_plural = "créneaux proposés"
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "starts_at"], name="resource_people_slot_once"
            )
        ]

    def __str__(self):
        return f"{self.starts_at:%d/%m/%Y %H:%M}"
