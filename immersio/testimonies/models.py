"""Testimonies: a person's story of an immersion, its consent and its review; the reports
of the structure it names. Deleting the author's account deletes their testimonies."""

from django.conf import settings
from django.db import models

from immersio.core.models import PublicIdModel, TimeStampedModel
from immersio.referentials.models import Appellation
from immersio.structures.models import Cause, HostStructure

from . import rules


class Status(models.TextChoices):
    PENDING = "a_relire", "En attente de relecture"
    PUBLISHED = "publie", "Publié"
    REJECTED = "refuse", "Non publié"
    WITHDRAWN = "retire", "Retiré par son auteur"


class Display(models.TextChoices):
    NAME = "prenom", "Mon prénom et l'initiale de mon nom"
    ANONYMOUS = "anonyme", "Anonyme"


class TestimonyQuerySet(models.QuerySet):
    def published(self) -> "TestimonyQuerySet":
        return self.filter(status=Status.PUBLISHED)

    def of_author(self, user) -> "TestimonyQuerySet":
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(author=user)


class Testimony(PublicIdModel, TimeStampedModel):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="auteur",
    )
    title = models.CharField("titre", max_length=rules.TITLE_MAX)
    text = models.TextField("témoignage", max_length=rules.TEXT_MAX)
    appellation = models.ForeignKey(
        Appellation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="métier",
    )
    causes = models.ManyToManyField(Cause, blank=True, related_name="+", verbose_name="causes")
    structure = models.ForeignKey(
        HostStructure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure d'accueil",
    )
    display = models.CharField(
        "nom affiché", max_length=10, choices=Display.choices, default=Display.NAME
    )
    display_name = models.CharField("nom montré", max_length=160)
    status = models.CharField(
        "état", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    #: The consent: what the author agreed to (its version and words), and when.
    consent_version = models.CharField("version du texte d'accord", max_length=20)
    consent_text = models.TextField("texte de l'accord")
    consent_given_at = models.DateTimeField("accord donné le")
    consent_withdrawn_at = models.DateTimeField("accord retiré le", null=True, blank=True)
    submitted_at = models.DateTimeField("envoyé à la relecture le")
    reviewed_at = models.DateTimeField("relu le", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="relu par",
    )
    review_note = models.TextField("mot de la relecture", blank=True)
    published_at = models.DateTimeField("publié le", null=True, blank=True)

    objects = TestimonyQuerySet.as_manager()

    class Meta:
        verbose_name = "témoignage"
        verbose_name_plural = "témoignages"
        indexes = [models.Index(fields=["status", "-published_at"], name="testimony_published")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_pending(self) -> bool:
        return self.status == Status.PENDING

    @property
    def is_withdrawn(self) -> bool:
        return self.status == Status.WITHDRAWN

    @property
    def is_rejected(self) -> bool:
        return self.status == Status.REJECTED

    @property
    def excerpt(self) -> str:
        return rules.excerpt(self.text)


class ReportReason(models.TextChoices):
    INACCURATE = "inexact", "Il contient des faits inexacts"
    PERSONAL = "donnees", "Il cite une personne ou des données personnelles"
    OFFENSIVE = "propos", "Propos déplacés ou discriminatoires"
    NOT_HERE = "pas_chez_nous", "Cette immersion n'a pas eu lieu chez nous"
    OTHER = "autre", "Autre"


class TestimonyReport(TimeStampedModel):
    """A host structure named in a testimony tells the team something is wrong (once per
    structure and testimony: a database constraint)."""

    testimony = models.ForeignKey(
        Testimony, on_delete=models.CASCADE, related_name="reports", verbose_name="témoignage"
    )
    structure = models.ForeignKey(
        HostStructure, on_delete=models.CASCADE, related_name="+", verbose_name="structure"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="signalé par",
    )
    reason = models.CharField("motif", max_length=20, choices=ReportReason.choices)
    note = models.TextField("précisions", max_length=rules.REPORT_NOTE_MAX, blank=True)
    handled_at = models.DateTimeField("traité le", null=True, blank=True)

    class Meta:
        verbose_name = "signalement d'un témoignage"
        verbose_name_plural = "signalements de témoignages"
        constraints = [
            models.UniqueConstraint(
                fields=["testimony", "structure"], name="testimonies_one_report_per_structure"
            )
        ]

    def __str__(self) -> str:
        return ReportReason(self.reason).label
