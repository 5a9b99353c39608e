"""The tutor's assessment of an immersion (bilan): one per validated convention.

It lives and dies with its convention: anonymised with it (``privacy.retention``), never
kept apart. Its changes are ``AssessmentEvent`` rows (who, when, what, why)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from immersio.conventions.schedule import format_minutes
from immersio.core.models import PublicIdModel, TimeStampedModel
from immersio.core.storage import private_storage

from .rules import (
    ADVICE_MAX,
    APPRECIATION_MAX,
    BENEFICIARY_COMMENT_MAX,
    NO_SHOW_REASON_MAX,
    ContractType,
    Outcome,
)


class FilledBy(models.TextChoices):
    TUTOR = "tuteur", "Le tuteur ou la tutrice"
    AGENCY = "prescripteur", "Le prescripteur, à la place du tuteur"


class AssessmentQuerySet(models.QuerySet):
    def waiting(self):
        """Asked of the tutor, not filled yet."""
        return self.filter(filled_at__isnull=True)


class Assessment(PublicIdModel, TimeStampedModel):
    convention = models.OneToOneField(
        "conventions.Convention",
        on_delete=models.CASCADE,
        related_name="assessment",
        verbose_name="convention",
    )
    requested_at = models.DateTimeField("demandé au tuteur le", null=True, blank=True)
    reminded_at = models.JSONField(
        "relances envoyées",
        default=dict,
        blank=True,
        help_text='{"3": "2027-03-12T08:00:00+01:00"} : jours après la demande → envoi.',
    )
    link_resent_at = models.DateTimeField("lien renvoyé le", null=True, blank=True)

    outcome = models.CharField("l'immersion", max_length=20, choices=Outcome.choices, blank=True)
    last_day = models.DateField("dernier jour de présence", null=True, blank=True)
    missed_minutes = models.PositiveIntegerField("temps manqué (minutes)", default=0)
    no_show_reason = models.TextField(
        "motif de l'absence", max_length=NO_SHOW_REASON_MAX, blank=True
    )
    objectives = models.JSONField(
        "objectifs",
        default=list,
        blank=True,
        help_text='[{"objective": "…", "result": "atteint", "comment": ""}]',
    )
    skills = models.JSONField(
        "compétences observées",
        default=list,
        blank=True,
        help_text='[{"skill": "…", "level": "maitrise", "free": false}]',
    )
    appreciation = models.TextField(
        "appréciation générale", max_length=APPRECIATION_MAX, blank=True
    )
    advice = models.TextField("conseils pour la suite", max_length=ADVICE_MAX, blank=True)
    hired = models.BooleanField("débouche sur une embauche", default=False)
    contract_type = models.CharField(
        "type de contrat", max_length=30, choices=ContractType.choices, blank=True
    )
    contract_start = models.DateField("début du contrat", null=True, blank=True)
    minutes_done = models.PositiveIntegerField("temps réellement effectué (minutes)", default=0)

    filled_by_kind = models.CharField(
        "rempli par", max_length=20, choices=FilledBy.choices, blank=True
    )
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="compte qui l'a rempli",
    )
    filled_by_name = models.CharField(
        "nom de la personne qui l'a rempli", max_length=150, blank=True
    )
    filled_at = models.DateTimeField("rempli le", null=True, blank=True)

    beneficiary_agrees = models.BooleanField("le bénéficiaire est d'accord", null=True, blank=True)
    beneficiary_comment = models.TextField(
        "commentaire du bénéficiaire", max_length=BENEFICIARY_COMMENT_MAX, blank=True
    )
    cosigned_at = models.DateTimeField("cosigné le", null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = "bilan d'immersion"
        verbose_name_plural = "bilans d'immersion"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Bilan de la convention {self.convention.reference}"

    @property
    def is_filled(self) -> bool:
        return self.filled_at is not None

    @property
    def is_no_show(self) -> bool:
        return self.outcome == Outcome.NO_SHOW

    @property
    def to_cosign(self) -> bool:
        """Filled, waiting for the beneficiary (a no-show has nothing to co-sign)."""
        return self.is_filled and not self.is_no_show and self.cosigned_at is None

    @property
    def is_final(self) -> bool:
        return self.is_filled and (self.is_no_show or self.cosigned_at is not None)

    @property
    def state_label(self) -> str:
        if not self.is_filled:
            return "En attente du tuteur"
        if self.to_cosign:
            return "Rempli, en attente de la signature du bénéficiaire"
        if self.is_no_show:
            return "Rempli : pas présenté·e"
        return "Rempli et cosigné"

    @property
    def hours_done(self) -> str:
        return format_minutes(self.minutes_done)

    @property
    def missed_label(self) -> str:
        return format_minutes(self.missed_minutes)


class AssessmentEvent(models.Model):
    """One step of an assessment: asked, reminded, link sent again, filled, co-signed,
    corrected (with the reason and the fields changed), a renewal asked by the beneficiary
    (their message in ``reason``) or prepared by the agency. Never updated."""

    class Action(models.TextChoices):
        REQUESTED = "demande", "Demandé au tuteur"
        REMINDED = "relance", "Relance"
        RESENT = "lien_renvoye", "Lien renvoyé"
        FILLED = "rempli", "Rempli"
        COSIGNED = "cosigne", "Cosigné par le bénéficiaire"
        CORRECTED = "corrige", "Corrigé par le prescripteur"
        # The beneficiary asks their agency for a renewal (``reason``: their message, if
        # any); once per assessment. Then the agency prepares it (the draft is created).
        RENEWAL_ASKED = "renouvellement_demande", "Renouvellement demandé par le bénéficiaire"
        RENEWAL_STARTED = "renouvellement_prepare", "Renouvellement préparé par le prescripteur"
        # The agency answers the request: not possible (``reason``, told to the beneficiary).
        RENEWAL_DECLINED = "renouvellement_refuse", "Renouvellement refusé par le prescripteur"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("le", default=timezone.now)
    action = models.CharField("action", max_length=30, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    by_name = models.CharField("nom de la personne", max_length=150, blank=True)
    reason = models.TextField("motif", blank=True)
    changes = models.JSONField("champs modifiés", default=list, blank=True)

    class Meta:
        verbose_name = "évènement de bilan"
        verbose_name_plural = "évènements de bilan"
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment"],
                condition=models.Q(action="renouvellement_demande"),
                name="assessments_one_renewal_request",
                violation_error_message="Le renouvellement a déjà été demandé.",
            )
        ]

    def __str__(self):
        return f"{self.assessment} : {self.get_action_display()}"


class AssessmentDocument(PublicIdModel):
    """The PDF of a signed assessment (``documents.store_document``): one per content,
    numbered. A correction after the signature makes a new one; the link to an older one
    (its ``public_id``) keeps serving that version. Deleted with the convention's
    anonymisation (``privacy.retention``)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="documents")
    number = models.PositiveIntegerField("version")
    content_sha256 = models.CharField("empreinte SHA-256 du contenu imprimé", max_length=64)
    file = models.FileField("PDF", storage=private_storage, upload_to="bilans/%Y/%m/")
    sha256 = models.CharField("empreinte SHA-256 du PDF", max_length=64)
    size = models.PositiveIntegerField("taille (octets)")
    rendered_at = models.DateTimeField("produit le", default=timezone.now)
    render_ms = models.PositiveIntegerField("durée de production (ms)", default=0)

    class Meta:
        verbose_name = "PDF de bilan"
        verbose_name_plural = "PDF de bilans"
        ordering = ["assessment", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "number"], name="assessment_document_number_unique"
            ),
            models.UniqueConstraint(
                fields=["assessment", "content_sha256"], name="assessment_document_content_unique"
            ),
        ]

    def __str__(self):
        return f"PDF {self.number} du bilan {self.assessment_id}"
