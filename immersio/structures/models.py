"""Host structures: who they are, where, which métiers they open, how much they can take."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from immersio.core.fields import PhoneNumberField
from immersio.core.models import Invitation as CoreInvitation
from immersio.core.models import (
    Membership,
    PublicIdModel,
    TeamOrganisationQuerySet,
    TimeStampedModel,
    person_reference,
)
from immersio.core.models import Registration as CoreRegistration
from immersio.core.validators import validate_siret

from . import rules


class Cause(models.Model):
    """A cause a structure works for (managed vocabulary, editable by staff)."""

    slug = models.SlugField("identifiant", max_length=60, unique=True)
    label = models.CharField("libellé", max_length=120)
    position = models.PositiveSmallIntegerField("ordre", default=0)
    bit = models.PositiveSmallIntegerField(
        "bit de recherche",
        unique=True,
        help_text="Position dans le masque de bits de l'index de recherche (0 à 62).",
    )

    class Meta:
        verbose_name = "cause"
        verbose_name_plural = "causes"
        ordering = ["position", "label"]

    def __str__(self):
        return self.label


class Network(models.Model):
    """A network structures belong to (CRESS, FNE, GRAINE…); staff can add more."""

    slug = models.SlugField("identifiant", max_length=60, unique=True)
    name = models.CharField("nom", max_length=160)
    website = models.URLField("site web", blank=True)
    description = models.TextField("présentation", blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=100)
    bit = models.PositiveSmallIntegerField(
        "bit de recherche",
        unique=True,
        help_text="Position dans le masque de bits de l'index de recherche (0 à 62).",
    )

    class Meta:
        verbose_name = "réseau"
        verbose_name_plural = "réseaux"
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


# Groups of a structure's profile, in one order for the back office, the edit form, the
# service that saves them and the synthetic directory.
IDENTITY_FIELDS = ("name", "brand_name", "kind", "is_ess", "ess_status", "naf", "headcount")
WELCOME_FIELDS = (
    "fit_for_disabled_workers",
    "public_transport",
    "welcomes_job_seekers",
    "welcomes_employees",
    "welcomes_minors",
)
CONTACT_FIELDS = ("contact_mode", "contact_phone", "contact_instructions")


class HostStructureQuerySet(TeamOrganisationQuerySet):
    def public(self):
        return self.filter(status=HostStructure.Status.PUBLISHED)


class HostStructure(PublicIdModel, TimeStampedModel):
    class Kind(models.TextChoices):
        COMPANY = "entreprise", "Entreprise"
        ASSOCIATION = "association", "Association"
        PUBLIC = "public", "Structure publique"
        SIAE = "siae", "Structure d'insertion (SIAE)"
        OTHER = "autre", "Autre"

    class EssStatus(models.TextChoices):
        NONE = "", "—"
        ASSOCIATION = "association", "Association"
        SCOP = "scop", "SCOP"
        SCIC = "scic", "SCIC"
        COOPERATIVE = "cooperative", "Autre coopérative"
        MUTUAL = "mutuelle", "Mutuelle"
        FOUNDATION = "fondation", "Fondation"
        ESUS = "esus", "Entreprise solidaire d'utilité sociale (ESUS)"
        COMMERCIAL_ESS = "societe_ess", "Société commerciale de l'ESS"

    class Headcount(models.TextChoices):
        NONE = "0", "Aucun salarié"
        XS = "1-9", "1 à 9 salariés"
        S = "10-49", "10 à 49 salariés"
        M = "50-249", "50 à 249 salariés"
        L = "250+", "250 salariés ou plus"

    class ContactMode(models.TextChoices):
        MESSAGE = "message", "Par message sur Immersio"
        PHONE = "telephone", "Par téléphone"
        IN_PERSON = "sur_place", "En se présentant sur place"

    class Status(models.TextChoices):
        PENDING = "en_attente", "En attente de confirmation"
        # Confirmed by e-mail, but the SIRET is not confirmed yet (by the SIRENE register
        # or by the Immersio team): not published, out of the search.
        UNVERIFIED = "a_verifier", "En attente de vérification"
        PUBLISHED = "publiee", "Publiée"
        SUSPENDED = "suspendue", "Suspendue par l'équipe"
        CLOSED = "fermee", "Fermée"

    class SiretCheck(models.TextChoices):
        REGISTER = "registre", "Répertoire Sirene"
        STAFF = "equipe", "Équipe Immersio"
        IMPORT = "import", "Liste d'un réseau importée par l'équipe"

    siret = models.CharField("SIRET", max_length=14, validators=[validate_siret])
    siret_checked_by = models.CharField(
        "SIRET confirmé par", max_length=20, choices=SiretCheck.choices, blank=True
    )
    siret_checked_at = models.DateTimeField("SIRET confirmé le", null=True, blank=True)
    name = models.CharField("raison sociale", max_length=255)
    brand_name = models.CharField("nom d'usage ou enseigne", max_length=255, blank=True)
    kind = models.CharField("type de structure", max_length=20, choices=Kind.choices)
    is_ess = models.BooleanField("structure de l'économie sociale et solidaire", default=False)
    ess_status = models.CharField(
        "statut ESS", max_length=20, choices=EssStatus.choices, blank=True, default=""
    )
    naf = models.ForeignKey(
        "referentials.NafCode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="code NAF",
    )
    headcount = models.CharField(
        "effectif", max_length=10, choices=Headcount.choices, default=Headcount.XS
    )
    description = models.TextField("présentation", max_length=5000, blank=True)
    website = models.URLField("site web", blank=True)
    causes = models.ManyToManyField(Cause, blank=True, related_name="structures")
    networks = models.ManyToManyField(Network, blank=True, related_name="structures")
    immersion_description = models.TextField(
        "à quoi ressemble une immersion chez nous", max_length=5000, blank=True
    )
    fit_for_disabled_workers = models.BooleanField(
        "accueil adapté aux personnes en situation de handicap", default=False
    )
    public_transport = models.BooleanField("accessible en transports en commun", default=False)
    welcomes_job_seekers = models.BooleanField("accueille des personnes sans emploi", default=True)
    welcomes_employees = models.BooleanField("accueille des salariés en reconversion", default=True)
    welcomes_minors = models.BooleanField("accueille des mineurs de 16 et 17 ans", default=False)
    max_requests_per_month = models.PositiveSmallIntegerField(
        "demandes par mois au maximum",
        default=4,
        help_text=(
            f"Au plus un {rules.share_name()} de ce nombre arrive sur {rules.ROLLING_DAYS} "
            "jours glissants."
        ),
    )
    paused_until = models.DateField("en pause jusqu'au", null=True, blank=True)
    contact_mode = models.CharField(
        "comment vous contacter",
        max_length=20,
        choices=ContactMode.choices,
        default=ContactMode.MESSAGE,
    )
    contact_phone = PhoneNumberField("téléphone de contact", max_length=20, blank=True)
    contact_instructions = models.TextField(
        "consignes pour se présenter ou appeler", max_length=1000, blank=True
    )
    status = models.CharField("état", max_length=20, choices=Status.choices, default=Status.PENDING)
    status_reason = models.CharField("motif de l'état", max_length=500, blank=True)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    answer_rate = models.FloatField(
        "taux de réponse", null=True, blank=True, help_text="Sur 12 mois ; vide sans demande."
    )
    last_activity_at = models.DateTimeField("dernière activité", null=True, blank=True)
    source = models.CharField(
        "origine", max_length=60, blank=True, help_text="Formulaire, import d'un réseau…"
    )

    objects = HostStructureQuerySet.as_manager()

    class Meta:
        verbose_name = "structure d'accueil"
        verbose_name_plural = "structures d'accueil"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siret"],
                condition=~Q(status="fermee"),  # Status.CLOSED (not reachable from Meta)
                name="structures_unique_active_siret",
                violation_error_message="Une structure active utilise déjà ce SIRET.",
            ),
            models.CheckConstraint(
                condition=Q(max_requests_per_month__lte=rules.MAX_CAPACITY),
                name="structures_capacity_bounded",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.brand_name or self.name

    @property
    def is_paused(self) -> bool:
        return bool(self.paused_until and self.paused_until >= timezone.localdate())

    @property
    def siren(self) -> str:
        return self.siret[:9]


class Site(TimeStampedModel, PublicIdModel):
    """A place where a structure hosts immersions."""

    structure = models.ForeignKey(
        HostStructure, on_delete=models.CASCADE, related_name="sites", verbose_name="structure"
    )
    label = models.CharField("nom du lieu", max_length=160, blank=True)
    address = models.CharField("adresse", max_length=255)
    commune = models.ForeignKey(
        "referentials.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="commune"
    )
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    latitude = models.FloatField("latitude")
    longitude = models.FloatField("longitude")
    appellations = models.ManyToManyField(
        "referentials.Appellation",
        through="Offer",
        related_name="sites",
        verbose_name="métiers proposés",
    )

    class Meta:
        verbose_name = "lieu d'accueil"
        verbose_name_plural = "lieux d'accueil"
        ordering = ["structure", "id"]

    def __str__(self):
        return f"{self.label or self.address}, {self.commune.name}"


class Offer(models.Model):
    """A métier (ROME appellation) a structure opens to immersion at one of its sites."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="offers")
    appellation = models.ForeignKey(
        "referentials.Appellation", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("ajouté le", auto_now_add=True)

    class Meta:
        verbose_name = "métier proposé"
        verbose_name_plural = "métiers proposés"
        constraints = [
            models.UniqueConstraint(fields=["site", "appellation"], name="structures_unique_offer")
        ]

    def __str__(self):
        return f"{self.appellation} — {self.site}"


class StructureMembership(Membership):
    class Role(models.TextChoices):
        ADMIN = "admin", "Administrateur"
        CONTACT = "contact", "Contact"

    organisation_field = "structure"
    structure = models.ForeignKey(
        HostStructure, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("rôle", max_length=32, choices=Role.choices, default=Role.CONTACT)

    class Meta:
        verbose_name = "membre de l'équipe"
        verbose_name_plural = "membres de l'équipe"
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "user"], name="structures_unique_membership"
            )
        ]


class ReceivedRequest(models.Model):
    """One line per request a structure received (contact request, board proposal…).

    Capacity is counted from this ledger; the capabilities that send requests write it
    through ``structures.services.record_request_received``.
    """

    structure = models.ForeignKey(
        HostStructure, on_delete=models.CASCADE, related_name="received_requests"
    )
    received_at = models.DateTimeField("reçue le", default=timezone.now)
    kind = models.CharField("type", max_length=40, default="contact")

    class Meta:
        verbose_name = "demande reçue"
        verbose_name_plural = "demandes reçues"
        indexes = [models.Index(fields=["structure", "received_at"])]

    def __str__(self):
        return f"{self.structure} — {self.received_at:%d/%m/%Y %H:%M}"


class Registration(CoreRegistration):
    """Who registered a structure through the public form, and their consent.

    The structure waits in the ``PENDING`` state until this person opens the link sent
    to their address; ``confirmed_at`` makes the link single-use.
    """

    organisation_field = "structure"
    structure = models.OneToOneField(
        HostStructure, on_delete=models.CASCADE, related_name="registration"
    )
    phone = PhoneNumberField("téléphone", max_length=20, blank=True)
    confirmed_by = person_reference("confirmée par")

    class Meta:
        verbose_name = "inscription"
        verbose_name_plural = "inscriptions"


class Invitation(CoreInvitation):
    """An invitation to join a structure's team, sent by e-mail; single-use."""

    organisation_field = "structure"
    structure = models.ForeignKey(
        HostStructure, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(
        "rôle",
        max_length=32,
        choices=StructureMembership.Role.choices,
        default=StructureMembership.Role.CONTACT,
    )
