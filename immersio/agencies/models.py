"""Prescribers (France Travail, missions locales, Cap emploi…) and accompanying structures,
with their staff.

Who may prescribe an immersion is set by L5135-2 of the Code du travail (see
``docs/glossary.md``): France Travail, missions locales, Cap emploi, SIAE (EI, AI, ACI —
never ETTI), conseils départementaux, bodies running a prépa-apprentissage, and bodies
bound by a delegation to one of FT, ML, Cap emploi or a CD (D5135-7). A *structure
d'accompagnement* follows beneficiaries for a prescribing agency whose validators
validate its conventions.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from immersio.core.fields import PhoneNumberField
from immersio.core.models import Invitation as CoreInvitation
from immersio.core.models import (
    Membership,
    PublicIdModel,
    TeamOrganisationQuerySet,
    TimeStampedModel,
)
from immersio.core.models import Registration as CoreRegistration
from immersio.core.validators import validate_siret

ETTI_MESSAGE = (
    "Les entreprises de travail temporaire d'insertion (ETTI) ne peuvent pas prescrire "
    "d'immersion professionnelle : seules les EI, AI et ACI le peuvent, pour leurs "
    "salariés en insertion."
)


class AgencyQuerySet(TeamOrganisationQuerySet):
    def active(self):
        return self.filter(status=Agency.Status.ACTIVE)


class Agency(PublicIdModel, TimeStampedModel):
    class Kind(models.TextChoices):
        FRANCE_TRAVAIL = "france-travail", "France Travail"
        MISSION_LOCALE = "mission-locale", "Mission locale"
        CAP_EMPLOI = "cap-emploi", "Cap emploi"
        CONSEIL_DEPARTEMENTAL = "conseil-departemental", "Conseil départemental"
        SIAE = "siae", "Structure d'insertion par l'activité économique (SIAE)"
        PREPA_APPRENTISSAGE = "prepa-apprentissage", "Organisme de prépa-apprentissage"
        CONVENTIONNEE = "structure-conventionnee", "Structure conventionnée"
        ACCOMPAGNEMENT = "structure-accompagnement", "Structure d'accompagnement"

    class SiaeKind(models.TextChoices):
        EI = "EI", "Entreprise d'insertion (EI)"
        AI = "AI", "Association intermédiaire (AI)"
        ACI = "ACI", "Atelier et chantier d'insertion (ACI)"

    class Status(models.TextChoices):
        PENDING = "en-attente", "En attente d'activation"
        ACTIVE = "active", "Active"
        REJECTED = "refusee", "Refusée"
        CLOSED = "fermee", "Fermée"

    # Kinds that may mandate a structure conventionnée (L5135-2 1° to 3° and 4° bis).
    DELEGATING_KINDS = (
        Kind.FRANCE_TRAVAIL,
        Kind.MISSION_LOCALE,
        Kind.CAP_EMPLOI,
        Kind.CONSEIL_DEPARTEMENTAL,
    )
    # Kinds a structure d'accompagnement may refer to (they validate conventions).
    PRESCRIBING_KINDS = (
        Kind.FRANCE_TRAVAIL,
        Kind.MISSION_LOCALE,
        Kind.CAP_EMPLOI,
        Kind.CONSEIL_DEPARTEMENTAL,
        Kind.SIAE,
        Kind.PREPA_APPRENTISSAGE,
        Kind.CONVENTIONNEE,
    )

    kind = models.CharField("type", max_length=40, choices=Kind.choices)
    siae_kind = models.CharField("type de SIAE", max_length=4, choices=SiaeKind.choices, blank=True)
    name = models.CharField("nom", max_length=255)
    siret = models.CharField("SIRET", max_length=14, validators=[validate_siret], db_index=True)
    address = models.CharField("adresse", max_length=255)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        "referentials.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="commune"
    )
    latitude = models.FloatField("latitude")
    longitude = models.FloatField("longitude")
    covered_departments = models.JSONField(
        "départements couverts", default=list, help_text="Codes de département, ex. 69, 2A."
    )
    contact_email = models.EmailField("adresse e-mail de contact")
    phone = PhoneNumberField("téléphone", max_length=20, blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    status_reason = models.CharField("motif", max_length=500, blank=True)
    activated_at = models.DateTimeField("activée le", null=True, blank=True)
    delegating_agency = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations",
        verbose_name="agence délégante",
        limit_choices_to={"kind__in": DELEGATING_KINDS},
        help_text="France Travail, mission locale, Cap emploi ou conseil départemental.",
    )
    delegation_end_date = models.DateField("fin de la délégation", null=True, blank=True)
    referring_agency = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accompanying_structures",
        verbose_name="prescripteur de rattachement",
        help_text="Ses valideurs valident les conventions de la structure d'accompagnement.",
    )
    # Delegation reminders: each is sent once for a given end date.
    reminders_end_date = models.DateField("rappels envoyés pour la fin au", null=True, blank=True)
    reminder_3_months_at = models.DateTimeField("rappel à 3 mois envoyé le", null=True, blank=True)
    reminder_1_month_at = models.DateTimeField("rappel à 1 mois envoyé le", null=True, blank=True)
    reminder_1_day_at = models.DateTimeField("rappel la veille envoyé le", null=True, blank=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = "prescripteur"
        verbose_name_plural = "prescripteurs"
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "kind"])]
        constraints = [
            models.CheckConstraint(condition=~Q(siae_kind="ETTI"), name="agencies_agency_no_etti"),
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        if self.kind == self.Kind.SIAE and self.siae_kind:
            return f"SIAE – {self.get_siae_kind_display()}"
        return self.get_kind_display()

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def clean(self):
        errors = {}
        if self.siae_kind and self.siae_kind.upper() == "ETTI":
            errors["siae_kind"] = ETTI_MESSAGE
        elif self.kind == self.Kind.SIAE and not self.siae_kind:
            errors["siae_kind"] = "Précisez le type de SIAE : EI, AI ou ACI."
        elif self.kind != self.Kind.SIAE and self.siae_kind:
            errors["siae_kind"] = "Le type de SIAE ne concerne que les SIAE."
        if self.kind == self.Kind.CONVENTIONNEE:
            delegating = self.delegating_agency
            if delegating is None:
                errors["delegating_agency"] = (
                    "Indiquez l'agence qui vous a délégué la prescription (France Travail, "
                    "mission locale, Cap emploi ou conseil départemental)."
                )
            elif delegating.kind not in self.DELEGATING_KINDS:
                errors["delegating_agency"] = (
                    "Seuls France Travail, une mission locale, Cap emploi ou un conseil "
                    "départemental peuvent déléguer la prescription."
                )
            if self.delegation_end_date is None:
                errors["delegation_end_date"] = "Indiquez la date de fin de la délégation."
        elif self.delegating_agency_id or self.delegation_end_date:
            errors["delegating_agency"] = "Seule une structure conventionnée a une délégation."
        if self.kind == self.Kind.ACCOMPAGNEMENT:
            referring = self.referring_agency
            if referring is None:
                errors["referring_agency"] = (
                    "Indiquez le prescripteur dont les valideurs valideront vos conventions."
                )
            elif referring.kind == self.Kind.ACCOMPAGNEMENT:
                errors["referring_agency"] = (
                    "Une structure d'accompagnement se rattache à un prescripteur, pas à une "
                    "autre structure d'accompagnement."
                )
            elif self.pk and referring.pk == self.pk:
                errors["referring_agency"] = "Une structure ne peut pas se rattacher à elle-même."
        elif self.referring_agency_id:
            errors["referring_agency"] = (
                "Seule une structure d'accompagnement se rattache à un prescripteur."
            )
        departments = self.covered_departments
        if not isinstance(departments, list) or not departments:
            errors["covered_departments"] = "Indiquez au moins un département couvert."
        if errors:
            raise ValidationError(errors)


class AgencyMembership(Membership):
    class Role(models.TextChoices):
        COUNSELLOR = "conseiller", "Conseiller"
        VALIDATOR = "valideur", "Valideur"
        ADMIN = "administrateur", "Administrateur"

    organisation_field = "agency"
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=32, choices=Role.choices, default=Role.COUNSELLOR)

    class Meta:
        verbose_name = "membre d'un prescripteur"
        verbose_name_plural = "membres des prescripteurs"
        constraints = [
            models.UniqueConstraint(fields=["agency", "user"], name="agencies_unique_membership")
        ]


class AgencyRegistration(CoreRegistration):
    """Who registered an agency through the public form. They confirm their address first
    (``confirmed_at``); the Immersio team then activates or rejects the agency."""

    organisation_field = "agency"
    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="registration")
    confirmed_at = models.DateTimeField("adresse confirmée le", null=True, blank=True)

    class Meta:
        verbose_name = "inscription d'un prescripteur"
        verbose_name_plural = "inscriptions de prescripteurs"


class AgencyInvitation(CoreInvitation):
    """An invitation to join an agency's team, sent by e-mail; single-use."""

    organisation_field = "agency"
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(
        "rôle",
        max_length=32,
        choices=AgencyMembership.Role.choices,
        default=AgencyMembership.Role.COUNSELLOR,
    )
