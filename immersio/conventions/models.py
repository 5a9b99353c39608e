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
from immersio.core.storage import private_storage
from immersio.core.vocabulary import CONVENTION_SITUATIONS, ImmersionObject

from . import rules, transitions
from .schedule import Schedule, expand_weekly_pattern

DRAFT_LIFETIME = timedelta(days=30)
INVITATION_LIFETIME = timedelta(days=30)  # the link sent to complete a draft
TEXT_MAX = 2000  # the API's MAX_TEXT: the form and the API accept the same texts
SHORT = 255


def new_share_token() -> str:
    return secrets.token_urlsafe(24)


# The statuses and who may change them: ``transitions`` (re-exported here for the models'
# callers).
Status = transitions.Status


CONTRACT_KINDS = [("", "Aucun"), *rules.ContractKind.choices]


WEEKDAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


class ConventionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Conventions ``user`` may read and, as drafts, edit: the ones they created or were
        invited to (after proving their address), those of the immersion request they sent,
        of their agencies and of their host structures (every convention for staff); and,
        once sent to its signatories, the one whose beneficiary's address is theirs (the
        signature e-mail already showed it to that address; a draft never sent is not
        theirs to read before the drafter sends it).

        An archived convention (``archived_at``, 2 years after the end of a validated one:
        ``privacy.retention``) is readable by its agency's team only, on request (litigation,
        proof of the immersion): no longer by its other parties, nor by the staff.

        Subqueries (``Exists``), never joins + ``distinct()``: the result combines with
        other querysets with ``|`` and ``&``."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        from immersio.agencies.models import AgencyMembership
        from immersio.structures.models import StructureMembership

        of_agency = Exists(
            AgencyMembership.objects.filter(agency=OuterRef("agency"), user=user, is_active=True)
        )
        not_archived_or_of_agency = Q(archived_at__isnull=True) | of_agency
        if user.is_staff:
            return self.filter(not_archived_or_of_agency)
        mine = (
            Q(created_by=user)
            | Q(contact_request__candidate=user)
            | Exists(
                Convention.participants.through.objects.filter(convention=OuterRef("pk"), user=user)
            )
            | of_agency
            | Exists(
                StructureMembership.objects.filter(
                    structure=OuterRef("structure"), user=user, is_active=True
                )
            )
        )
        if user.email:
            mine |= Q(beneficiary_email__iexact=user.email) & ~Q(status=Status.DRAFT, version=0)
        return self.filter(mine).filter(not_archived_or_of_agency)

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
    # An amendment (avenant) of a validated convention is a convention of its own, signed
    # and validated again; the amended one stays in force until then (``replaced_at``).
    amends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name="avenant à la convention",
    )
    replaced_at = models.DateTimeField("remplacée par un avenant le", null=True, blank=True)
    # The lifecycle (``transitions``, ``lifecycle``): the version in force and the last
    # version whose content changed in substance (a signature counts from that one on).
    version = models.PositiveIntegerField("version", default=0)
    substance_version = models.PositiveIntegerField("version à signer", default=0)
    status_changed_at = models.DateTimeField("état changé le", null=True, blank=True)
    status_reason = models.TextField("motif du dernier changement d'état", blank=True)
    validated_at = models.DateTimeField("validée le", null=True, blank=True)
    archived_at = models.DateTimeField(
        "archivée le",
        null=True,
        blank=True,
        help_text=(
            "Archivage intermédiaire : lisible par la seule structure d'accompagnement, "
            "sur demande."
        ),
    )
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="validée par",
    )
    validator_name = _char("nom du valideur", max_length=150)
    pre_validated_by_name = _char("nom du conseiller qui a pré-validé", max_length=150)

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
                # An amendment of a renewal shares its original: it is that renewal, changed.
                condition=Q(renewal_root__isnull=False, amends__isnull=True)
                & ~Q(status=Status.DRAFT),
                name="conventions_one_renewal_per_original",
                violation_error_message="Cette immersion a déjà été renouvelée.",
            ),
        ]

    def __str__(self):
        who = f"{self.beneficiary_first_name} {self.beneficiary_last_name}".strip()
        return f"Convention {self.reference} – {who or 'bénéficiaire à préciser'}"

    @property
    def reference(self) -> str:
        """« IMM-2027-000123 » once sent (the year it was first sent, the row's number);
        the start of the public id for a draft."""
        if self.submitted_at and self.pk:
            return f"IMM-{timezone.localtime(self.submitted_at).year}-{self.pk:06d}"
        return str(self.public_id)[:8].upper()

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def status_badge(self) -> str:
        """The Bootstrap colours of the status's badge: in progress, validated, refused,
        or ended otherwise (cancelled, obsolete, draft)."""
        if self.status == Status.VALIDATED:
            return "text-bg-success"
        if self.status == Status.REFUSED:
            return "text-bg-danger"
        if self.status in transitions.IN_PROGRESS:
            return "text-bg-primary"
        return "text-bg-secondary"

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_validated(self) -> bool:
        return self.status == Status.VALIDATED

    @property
    def is_in_review(self) -> bool:
        """Signed by everyone, waiting for the prescriber."""
        return self.status in transitions.REVIEWING

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
    def is_amendment(self) -> bool:
        return self.amends_id is not None

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
    """One row per action on a convention (``transitions.Action``), status change or not:
    who (and in which role), when, from which status to which, why, and which version of
    the content (its number and SHA-256). Never updated."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("le", default=timezone.now)
    action = models.CharField("action", max_length=40, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    by_name = _char("nom de la personne", max_length=150)
    role = _char("en tant que", max_length=40, choices=transitions.Role.choices)
    from_status = models.CharField("de", max_length=30, choices=Status.choices, blank=True)
    to_status = models.CharField("vers", max_length=30, choices=Status.choices)
    reason = models.TextField("motif", blank=True)
    version = models.PositiveIntegerField("version", default=0)
    content_sha256 = _char("empreinte SHA-256 du contenu", max_length=64)
    rules_version = models.CharField("version des règles", max_length=20, blank=True)

    class Meta:
        verbose_name = "évènement de convention"
        verbose_name_plural = "évènements de convention"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.convention.reference} : {self.from_status or '—'} → {self.to_status}"

    @property
    def role_shown(self) -> str:
        """« conseiller », « valideur »… after the person's name in the history; nothing
        for the platform itself, whose name already says it (« Immersio (tâche
        planifiée) »)."""
        if not self.role or self.role == transitions.Role.SYSTEM:
            return ""
        return self.get_role_display().lower()

    @property
    def action_label(self) -> str:
        try:
            return transitions.ACTION_LABELS[transitions.Action(self.action)]
        except ValueError:
            return self.get_to_status_display()

    @property
    def changed_status(self) -> bool:
        return self.from_status != self.to_status


class ConventionVersion(models.Model):
    """The content of a convention as sent, modified or corrected: canonical JSON and its
    SHA-256 (what a signature binds to). ``substance`` is False for a correction of contact
    details or of a misspelt name (signatures kept)."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("numéro")
    substance = models.BooleanField("change le fond", default=True)
    content = models.JSONField("contenu")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    reason = models.TextField("motif", blank=True)
    changes = models.JSONField("changements", default=list, blank=True)

    class Meta:
        verbose_name = "version de convention"
        verbose_name_plural = "versions de convention"
        ordering = ["convention", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"], name="conventions_unique_version_number"
            )
        ]

    def __str__(self):
        return f"{self.convention.reference} v{self.number}"


class Signatory(PublicIdModel, TimeStampedModel):
    """A person who signs a convention, in one role, with their own contact details."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="signatories")
    role = models.CharField("rôle", max_length=40, choices=transitions.Role.choices)
    name = _char("nom", max_length=300)
    email = models.EmailField("adresse e-mail", blank=True)
    phone = PhoneNumberField("téléphone", max_length=20, blank=True)
    # False once a change removed this party (no longer an employee…): their signatures
    # stay as evidence of the versions they signed.
    active = models.BooleanField("signe la version en vigueur", default=True)
    link_sent_at = models.DateTimeField("dernier lien envoyé le", null=True, blank=True)
    links_sent = models.PositiveSmallIntegerField("liens envoyés", default=0)
    declined_at = models.DateTimeField("a refusé de signer le", null=True, blank=True)
    decline_reason = models.TextField("motif du refus", blank=True)

    class Meta:
        verbose_name = "signataire"
        verbose_name_plural = "signataires"
        ordering = ["convention", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "role"], name="conventions_one_signatory_per_role"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class Signature(models.Model):
    """The evidence of one signature (eIDAS art. 25, simple electronic signature): who,
    when, from where, how their control of their own contact was proved, and the SHA-256 of
    the version they signed. One per signatory and version; never updated."""

    class Method(models.TextChoices):
        EMAIL_CODE = "code_email", "Code à usage unique reçu par e-mail"
        SMS_CODE = "code_sms", "Code à usage unique reçu par SMS"
        PAPER = "papier", "Signature papier numérisée, déposée par le prescripteur"
        AUTHOR = "auteur", "Auteur de la modification, signe la nouvelle version"

    signatory = models.ForeignKey(Signatory, on_delete=models.CASCADE, related_name="signatures")
    version = models.ForeignKey(
        ConventionVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    version_number = models.PositiveIntegerField("version signée")
    signed_at = models.DateTimeField("signée le", default=timezone.now)
    method = models.CharField("preuve", max_length=20, choices=Method.choices)
    code_sent_to = _char("code envoyé à", max_length=120)
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    user_agent = _char("navigateur", max_length=500)
    content_sha256 = models.CharField("empreinte SHA-256 de la version signée", max_length=64)
    scan = models.FileField(
        "scan de la signature papier",
        storage=private_storage,
        upload_to="signatures/%Y/%m/",
        blank=True,
    )
    scan_sha256 = _char("empreinte SHA-256 du scan", max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="déposée par",
    )

    class Meta:
        verbose_name = "signature"
        verbose_name_plural = "signatures"
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["signatory", "version"], name="conventions_one_signature_per_version"
            )
        ]

    def __str__(self):
        return f"{self.signatory} v{self.version_number}"


class SignatureReminder(models.Model):
    """A reminder sent to a signatory who had not signed, before the start: one per
    signatory, version and delay; kept to measure whether reminders help (the staff see
    what share of recipients signed within 48 hours)."""

    signatory = models.ForeignKey(Signatory, on_delete=models.CASCADE, related_name="reminders")
    version = models.PositiveIntegerField("version")
    working_days_before = models.PositiveSmallIntegerField("jours ouvrés avant le début")
    sent_at = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        verbose_name = "relance de signature"
        verbose_name_plural = "relances de signature"
        constraints = [
            models.UniqueConstraint(
                fields=["signatory", "version", "working_days_before"],
                name="conventions_one_reminder_per_delay",
            )
        ]

    def __str__(self):
        return f"{self.signatory} J-{self.working_days_before}"


class ConventionDocument(models.Model):
    """The PDF of one version of a convention, rendered once (``tasks.render_pdf``) and
    kept with its SHA-256; parties download it from their link or their space."""

    version = models.OneToOneField(
        ConventionVersion, on_delete=models.CASCADE, related_name="document"
    )
    file = models.FileField("PDF", storage=private_storage, upload_to="conventions/%Y/%m/")
    sha256 = models.CharField("empreinte SHA-256 du PDF", max_length=64)
    size = models.PositiveIntegerField("taille (octets)")
    rendered_at = models.DateTimeField("produit le", default=timezone.now)
    render_ms = models.PositiveIntegerField("durée de production (ms)", default=0)

    class Meta:
        verbose_name = "PDF de convention"
        verbose_name_plural = "PDF de conventions"

    def __str__(self):
        return f"PDF {self.version}"


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


class SensitiveAccess(models.Model):
    """One opening of a convention's sensitive fields (RQTH, RSA, health-related needs,
    emergency contact) by someone who is not the person: who, when, which convention, why.
    The person sees these rows in « Mes données ». Never updated."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="sensitive_accesses"
    )
    at = models.DateTimeField("le", default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    by_name = _char("nom de la personne", max_length=150)
    role = _char("en tant que", max_length=40)
    reason = models.TextField("motif")
    # The agency's member is logged once per convention and day (Paris): the day, for them
    # only, under a unique constraint, so two pages opened at the same second write one row.
    # The team's rows have none: each opening is logged.
    day = models.DateField("jour (agence)", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "consultation de données sensibles"
        verbose_name_plural = "consultations de données sensibles"
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "by", "day"], name="sensitive_access_once_a_day"
            )
        ]

    def __str__(self):
        return f"{self.convention.reference} consultée le {self.at:%d/%m/%Y %H:%M}"
