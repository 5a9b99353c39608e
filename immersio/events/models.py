"""Events (« Événements », issue 13): forums, festivals, open days, the Mois de l'ESS,
network meetings… where structures gather and a person can meet them before asking for
an immersion. Submitted by a structure's team (for the structure or a network) or by the
Immersio team; read by the team before they are published."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from immersio.core.models import PublicIdModel, TimeStampedModel, person_reference

from . import rules


class Kind(models.TextChoices):
    FORUM = "forum", "Forum ou salon"
    FESTIVAL = "festival", "Festival"
    OPEN_DAY = "portes_ouvertes", "Journée portes ouvertes"
    ESS_MONTH = "mois_ess", "Mois de l'ESS"
    NETWORK_MEETING = "rencontre_reseau", "Rencontre de réseau"
    JOB_DATING = "job_dating", "Job dating"
    WORKSHOP = "atelier", "Atelier ou visite"
    OTHER = "autre", "Autre rendez-vous"


class Status(models.TextChoices):
    SUBMITTED = "a_relire", "En attente de relecture"
    PUBLISHED = "publie", "Publié"
    REFUSED = "refuse", "Refusé"
    CANCELLED = "annule", "Annulé"


class EventQuerySet(models.QuerySet):
    def public(self):
        """Published events, and cancelled ones that had been published (shown as
        cancelled: someone may have planned to go)."""
        return self.filter(
            Q(status=Status.PUBLISHED) | Q(status=Status.CANCELLED, published_at__isnull=False)
        )

    def upcoming(self, now=None):
        """Not over yet (under way or to come)."""
        return self.filter(ends_at__gte=now or timezone.now())

    def archived(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now())

    def visible_to(self, user):
        """What ``user`` may open: the public events, the ones they submitted and those of
        their structures' teams; everything for staff."""
        if getattr(user, "is_staff", False):
            return self.all()
        public = self.public()
        if not getattr(user, "is_authenticated", False):
            return public
        from immersio.structures.models import StructureMembership

        theirs = Exists(
            StructureMembership.objects.filter(
                structure=OuterRef("host_structure"), user=user, is_active=True
            )
        )
        return self.filter(Q(pk__in=public.values("pk")) | Q(submitted_by=user) | Q(theirs))

    def managed_by(self, user):
        """The events ``user`` may edit or cancel: submitted by them or by their
        structure's team."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_staff:
            return self.all()
        from immersio.structures.models import StructureMembership

        theirs = Exists(
            StructureMembership.objects.filter(
                structure=OuterRef("host_structure"), user=user, is_active=True
            )
        )
        return self.filter(Q(submitted_by=user) | Q(theirs))


class Event(PublicIdModel, TimeStampedModel):
    title = models.CharField("titre", max_length=160)
    kind = models.CharField("type d'événement", max_length=20, choices=Kind.choices)
    description = models.TextField("présentation", max_length=rules.MAX_DESCRIPTION)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    address = models.CharField("adresse", max_length=255, blank=True)
    commune = models.ForeignKey(
        "referentials.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune",
    )
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    online_url = models.URLField("lien pour participer en ligne", blank=True)
    organiser_name = models.CharField("organisé par", max_length=160)
    host_structure = models.ForeignKey(
        "structures.HostStructure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organised_events",
        verbose_name="structure organisatrice",
    )
    network = models.ForeignKey(
        "structures.Network",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="réseau organisateur",
    )
    causes = models.ManyToManyField(
        "structures.Cause", blank=True, related_name="events", verbose_name="causes"
    )
    participants = models.ManyToManyField(
        "structures.HostStructure",
        blank=True,
        related_name="events",
        verbose_name="structures participantes",
    )
    registration_url = models.URLField("lien pour s'inscrire", blank=True)
    is_free = models.BooleanField("gratuit", default=True)
    price = models.CharField("tarif", max_length=200, blank=True)
    accessibility = models.TextField(
        "accessibilité", max_length=rules.MAX_ACCESSIBILITY, blank=True
    )
    contact_email = models.EmailField("adresse de contact", blank=True)
    status = models.CharField(
        "état", max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    refusal_reason = models.TextField("motif du refus", max_length=1000, blank=True)
    submitted_by = person_reference("proposé par", related_name="submitted_events")
    reviewed_by = person_reference("relu par")
    reviewed_at = models.DateTimeField("relu le", null=True, blank=True)
    published_at = models.DateTimeField("publié le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulé le", null=True, blank=True)
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "événement"
        verbose_name_plural = "événements"
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["status", "ends_at"]),
            models.Index(fields=["starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="events_end_after_start",
            ),
            # The same event proposed twice (a double click, two tabs): one stays.
            models.UniqueConstraint(
                fields=["submitted_by", "title", "starts_at"],
                condition=Q(status__in=["a_relire", "publie"]),
                name="events_unique_submission",
                violation_error_message="Vous avez déjà proposé cet événement à cette date.",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == Status.CANCELLED

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_submitted(self) -> bool:
        return self.status == Status.SUBMITTED

    @property
    def is_refused(self) -> bool:
        return self.status == Status.REFUSED

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def has_place(self) -> bool:
        return self.commune_id is not None

    @property
    def is_online(self) -> bool:
        return bool(self.online_url)
