"""Conventions d'immersion (PMSMP): the mandatory content (Code du travail art. D5135-2).

A convention is typed in several steps and saved as a draft at each step; every field is
therefore optional in the database and the rules (``rules.check``) decide what is missing
at submission. Snapshot fields keep what the host structure was when the convention was
written, even if its listing changes later.
"""

import secrets
from datetime import date, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from immersio.core.fields import PhoneNumberField
from immersio.core.models import Invitation, PublicIdModel, TimeStampedModel
from immersio.core.vocabulary import CONVENTION_SITUATIONS, ImmersionObject

from . import rules
from .schedule import Schedule, expand_weekly_pattern

DRAFT_LIFETIME = timedelta(days=30)
INVITATION_LIFETIME = timedelta(days=30)  # the link sent to complete a draft
TEXT_MAX = 2000  # the API's MAX_TEXT: the form and the API accept the same texts
SHORT = 255


def new_share_token() -> str:
    return secrets.token_urlsafe(24)


class Status(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    SUBMITTED = "envoyee", "Envoyée au prescripteur"


CONTRACT_KINDS = [("", "Aucun"), *rules.ContractKind.choices]


WEEKDAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


class ConventionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Conventions ``user`` may read and, as drafts, edit: the ones they created or were
        invited to (after proving their address), those of the immersion request they sent,
        of their agencies and of their host structures (every convention for staff).

        Subqueries (``Exists``), never joins + ``distinct()``: the result combines with
        other querysets with ``|`` and ``&``."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_staff:
            return self.all()
        from immersio.agencies.models import AgencyMembership
        from immersio.structures.models import StructureMembership

        return self.filter(
            Q(created_by=user)
            | Q(contact_request__candidate=user)
            | Exists(
                Convention.participants.through.objects.filter(convention=OuterRef("pk"), user=user)
            )
            | Exists(
                AgencyMembership.objects.filter(
                    agency=OuterRef("agency"), user=user, is_active=True
                )
            )
            | Exists(
                StructureMembership.objects.filter(
                    structure=OuterRef("structure"), user=user, is_active=True
                )
            )
        )

    def drafts(self):
        return self.filter(status=Status.DRAFT)

    def expired_drafts(self, now=None):
        now = now or timezone.now()
        return self.drafts().filter(updated_at__lt=now - DRAFT_LIFETIME)


def _text(label, **kwargs):
    return models.TextField(label, max_length=TEXT_MAX, blank=True, **kwargs)


def _char(label, max_length=SHORT, **kwargs):
    return models.CharField(label, max_length=max_length, blank=True, **kwargs)


class Convention(PublicIdModel, TimeStampedModel):
    status = models.CharField("état", max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )
    share_token = models.CharField(
        "jeton du lien de partage", max_length=64, unique=True, default=new_share_token
    )
    contact_request = models.ForeignKey(
        "contacts.ContactRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conventions",
        verbose_name="demande d'immersion",
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="shared_conventions",
        verbose_name="personnes invitées",
        help_text="Invitées par lien, elles ont prouvé leur adresse avant d'y accéder.",
    )
    rules_version = _char("version des règles", max_length=20)
    # Renewal (D5135-3: once). ``renews`` is the convention renewed; ``renewal_root`` the
    # original one, for a renewal of an original and (refused) for a renewal of a renewal
    # alike, so that the database holds at most one sent renewal per original.
    renews = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name="renouvelle la convention",
    )
    renewal_root = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="convention d'origine du renouvellement",
    )
    submitted_at = models.DateTimeField("envoyée le", null=True, blank=True)

    # Bénéficiaire
    beneficiary_first_name = _char("prénom", max_length=150)
    beneficiary_last_name = _char("nom", max_length=150)
    beneficiary_birth_date = models.DateField("date de naissance", null=True, blank=True)
    beneficiary_email = models.EmailField("adresse e-mail", blank=True)
    beneficiary_phone = PhoneNumberField("téléphone", max_length=20, blank=True)
    beneficiary_address = _char("adresse")
    beneficiary_situation = _char("situation", max_length=20, choices=CONVENTION_SITUATIONS)
    beneficiary_rqth = models.BooleanField(
        "reconnaissance de travailleur handicapé (RQTH)", default=False
    )
    beneficiary_rsa = models.BooleanField("bénéficiaire du RSA", default=False)
    emergency_contact_name = _char("personne à prévenir en cas d'urgence", max_length=150)
    emergency_contact_phone = PhoneNumberField(
        "téléphone de la personne à prévenir", max_length=20, blank=True
    )
    help_needed = _text("aide financière ou matérielle nécessaire")

    # Représentant légal (bénéficiaire mineur)
    legal_rep_first_name = _char("prénom du représentant légal", max_length=150)
    legal_rep_last_name = _char("nom du représentant légal", max_length=150)
    legal_rep_email = models.EmailField("adresse e-mail du représentant légal", blank=True)
    legal_rep_phone = PhoneNumberField("téléphone du représentant légal", max_length=20, blank=True)
    legal_rep_relationship = _char("lien avec le bénéficiaire", max_length=100)

    # Employeur actuel (bénéficiaire salarié)
    is_employee = models.BooleanField("le bénéficiaire est salarié", default=False)
    employer_siret = _char("SIRET de l'employeur actuel", max_length=14)
    employer_name = _char("employeur actuel")
    employer_rep_name = _char("représentant de l'employeur actuel", max_length=150)
    employer_rep_function = _char("fonction du représentant de l'employeur", max_length=150)
    employer_rep_email = models.EmailField(
        "adresse e-mail du représentant de l'employeur", blank=True
    )
    employer_rep_phone = PhoneNumberField(
        "téléphone du représentant de l'employeur", max_length=20, blank=True
    )
    contract_kind = _char("contrat aidé ou d'insertion", max_length=10, choices=CONTRACT_KINDS)
    contract_start = models.DateField("début du contrat", null=True, blank=True)
    contract_end = models.DateField("fin du contrat", null=True, blank=True)

    # Structure d'accueil (instantané)
    structure = models.ForeignKey(
        "structures.HostStructure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conventions",
        verbose_name="structure d'accueil",
    )
    host_siret = _char("SIRET", max_length=14)
    host_name = _char("raison sociale")
    host_legal_form = _char("forme juridique", max_length=120)
    host_activity = _char("activité principale (code NAF)")
    host_collective_agreement = _char("convention collective")
    host_headcount = _char("effectif", max_length=40)
    host_address = _char("adresse du siège")
    host_rep_name = _char("représentant de la structure (signataire)", max_length=150)
    host_rep_function = _char("fonction du représentant", max_length=150)
    host_rep_email = models.EmailField("adresse e-mail du représentant", blank=True)
    host_rep_phone = PhoneNumberField("téléphone du représentant", max_length=20, blank=True)
    tutor_name = _char("tuteur ou tutrice", max_length=150)
    tutor_function = _char("fonction du tuteur", max_length=150)
    tutor_email = models.EmailField("adresse e-mail du tuteur", blank=True)
    tutor_phone = PhoneNumberField("téléphone du tuteur", max_length=20, blank=True)
    replaces_no_job = models.BooleanField(
        "la structure certifie que l'immersion ne remplace aucun emploi", default=False
    )

    # Prescripteur
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conventions",
        verbose_name="prescripteur",
    )
    counsellor_name = _char("conseiller ou conseillère référent(e)", max_length=150)
    counsellor_email = models.EmailField("adresse e-mail du conseiller référent", blank=True)

    # Immersion
    object = _char("objet de l'immersion", max_length=20, choices=ImmersionObject.choices)
    objectives = _text("objectifs précis et modalités d'évaluation")
    appellation = models.ForeignKey(
        "referentials.Appellation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="métier",
    )
    tasks = _text("activités et tâches confiées")
    skills = _text("compétences observées ou évaluées")
    place_address = _char("adresse du lieu de l'immersion")
    place_commune = models.ForeignKey(
        "referentials.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune du lieu de l'immersion",
    )
    work_conditions = _text("conditions particulières d'exercice")
    risks = _text("risques professionnels")
    prevention = _text("actions de prévention et équipements de protection")
    provides_meals = models.BooleanField("repas pris en charge par la structure", default=False)
    provides_transport = models.BooleanField(
        "transport pris en charge par la structure", default=False
    )

    # Dates et horaires
    date_start = models.DateField("date de début", null=True, blank=True)
    date_end = models.DateField("date de fin", null=True, blank=True)
    weekly_pattern = models.JSONField(
        "horaires types",
        default=dict,
        blank=True,
        help_text='{"0": [["08:00", "12:00"], …]} : 0 = lundi … 6 = dimanche.',
    )
    schedule_exceptions = models.JSONField(
        "exceptions au planning",
        default=dict,
        blank=True,
        help_text='{"2026-03-10": []} : une liste vide, pas de présence ce jour-là.',
    )
    total_minutes = models.PositiveIntegerField("durée totale (minutes)", default=0)
    presence_days = models.PositiveSmallIntegerField("jours de présence", default=0)

    objects = ConventionQuerySet.as_manager()

    class Meta:
        verbose_name = "convention d'immersion"
        verbose_name_plural = "conventions d'immersion"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "updated_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(renews__isnull=True, renewal_root__isnull=True)
                | Q(renews__isnull=False, renewal_root__isnull=False),
                name="conventions_renewal_has_its_original",
            ),
            models.UniqueConstraint(
                fields=["renewal_root"],
                condition=Q(renewal_root__isnull=False) & ~Q(status=Status.DRAFT),
                name="conventions_one_renewal_per_original",
                violation_error_message="Cette immersion a déjà été renouvelée.",
            ),
        ]

    def __str__(self):
        who = f"{self.beneficiary_first_name} {self.beneficiary_last_name}".strip()
        return f"Convention {self.reference} – {who or 'bénéficiaire à préciser'}"

    @property
    def reference(self) -> str:
        return str(self.public_id)[:8].upper()

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def expires_at(self):
        return (self.updated_at or timezone.now()) + DRAFT_LIFETIME

    def is_expired(self, now=None) -> bool:
        return self.is_draft and (now or timezone.now()) >= self.expires_at

    def save(self, *args, **kwargs):
        # A renewal's original is the original of the convention it renews, or that
        # convention itself: a renewal of a renewal thus meets the unique constraint.
        if self.renews_id is not None:
            parent = self.renews
            self.renewal_root_id = parent.renewal_root_id or parent.pk
        else:
            self.renewal_root = None
        super().save(*args, **kwargs)

    @property
    def is_renewal(self) -> bool:
        return self.renews_id is not None

    def objective_list(self) -> tuple[str, ...]:
        """The objectives, one a line in ``objectives``."""
        return rules.split_objectives(self.objectives)

    @property
    def has_legal_representative(self) -> bool:
        return bool(self.legal_rep_email or self.legal_rep_last_name)

    def pattern_slots(self) -> dict[int, list[tuple[time, time]]]:
        return {int(day): _slots(slots) for day, slots in (self.weekly_pattern or {}).items()}

    def exception_slots(self) -> dict[date, list[tuple[time, time]]]:
        return {
            date.fromisoformat(day): _slots(slots)
            for day, slots in (self.schedule_exceptions or {}).items()
        }

    def schedule(self) -> Schedule:
        if not (self.date_start and self.date_end):
            return Schedule()
        return expand_weekly_pattern(
            self.date_start, self.date_end, self.pattern_slots(), self.exception_slots()
        )


def _slots(raw) -> list[tuple[time, time]]:
    return [(time.fromisoformat(a), time.fromisoformat(b)) for a, b in raw]


class ConventionEvent(models.Model):
    """One row per status change of a convention."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("le", default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    from_status = models.CharField("de", max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField("vers", max_length=20, choices=Status.choices)
    rules_version = models.CharField("version des règles", max_length=20, blank=True)

    class Meta:
        verbose_name = "évènement de convention"
        verbose_name_plural = "évènements de convention"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.convention.reference} : {self.from_status or '—'} → {self.to_status}"


class ConventionInvitation(Invitation):
    """A party invited by e-mail to complete a draft: the link sent to ``email`` proves the
    address; opening it adds the person to ``Convention.participants``. Same shape as a
    team invitation (``core.models.Invitation``)."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="invitations")

    class Meta:
        verbose_name = "invitation à compléter une convention"
        verbose_name_plural = "invitations à compléter une convention"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.convention.reference}"
