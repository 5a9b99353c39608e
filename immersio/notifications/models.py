"""The e-mail outbox: one row per message, written in the transaction that caused it.

A row is sent by the ``send_outbound_email`` task (queue "emails"), retried with an
exponential backoff while the SMTP server is unreachable, and given up only
``settings.OUTBOX_GIVE_UP_AFTER_HOURS`` after its first attempt. See
``immersio/notifications/README.md``.
"""

from django.db import models
from django.utils import timezone

from immersio.core.models import PublicIdModel

LAST_ERROR_MAX_LENGTH = 2000
REDACTED_BODY = "[Contenu effacé après l'envoi : il contenait un lien personnel.]"


class OutboundEmailQuerySet(models.QuerySet):
    def due(self, now=None):
        """Rows the worker should (re)send now: pending and due, or stuck in "sending"."""
        now = now or timezone.now()
        return self.filter(
            status__in=[OutboundEmail.Status.PENDING, OutboundEmail.Status.SENDING],
            next_attempt_at__lte=now,
        )


class OutboundEmail(PublicIdModel):
    class Status(models.TextChoices):
        PENDING = "pending", "en attente"
        SENDING = "sending", "envoi en cours"
        SENT = "sent", "envoyé"
        FAILED = "failed", "abandonné"

    recipient = models.EmailField("destinataire", max_length=254)
    subject = models.CharField("objet", max_length=255)
    text_body = models.TextField("texte")
    html_body = models.TextField("version HTML", blank=True)
    reply_to = models.EmailField("adresse de réponse", max_length=254, blank=True)
    kind = models.CharField("type de notification", max_length=64)
    is_sensitive = models.BooleanField(
        "contient un lien personnel",
        default=False,
        help_text=(
            "Le contenu (un lien de connexion, par exemple) est masqué dans l'interface de "
            "gestion et effacé une fois l'envoi terminé."
        ),
    )
    status = models.CharField("état", max_length=16, choices=Status.choices, default=Status.PENDING)
    links = models.JSONField(
        "liens personnels",
        default=list,
        blank=True,
        help_text="Comment refaire chaque lien personnel du texte au moment de l'envoi.",
    )
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    first_attempt_at = models.DateTimeField("première tentative", null=True, blank=True)
    next_attempt_at = models.DateTimeField("prochaine tentative", default=timezone.now)
    last_error = models.TextField("dernière erreur", blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now, editable=False)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    body_purged_at = models.DateTimeField(
        "contenu effacé le",
        null=True,
        blank=True,
        help_text=(
            "Passé le délai de conservation, le texte est effacé ; l'objet, le type et les "
            "dates restent."
        ),
    )

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        verbose_name = "e-mail sortant"
        verbose_name_plural = "e-mails sortants"
        ordering = ["-created_at", "-id"]
        indexes = [
            # The worker's query: due rows by state and date.
            models.Index(fields=["status", "next_attempt_at"], name="notif_outbox_due_idx"),
            models.Index(fields=["kind", "created_at"], name="notif_outbox_kind_idx"),
        ]

    def __str__(self):
        return f"{self.subject} → {self.recipient}"

    @property
    def is_finished(self):
        return self.status in {self.Status.SENT, self.Status.FAILED}

    @property
    def is_redacted(self):
        return self.text_body == REDACTED_BODY


REDACTED_SMS_BODY = "[Contenu effacé après l'envoi : il contenait un code à usage unique.]"
#: E.164: « + », then at most 15 digits.
SMS_NUMBER_MAX_LENGTH = 16


class OutboundSmsQuerySet(models.QuerySet):
    def due(self, now=None):
        """Rows the worker should (re)send now: pending and due, or stuck in "sending"."""
        now = now or timezone.now()
        return self.filter(
            status__in=[OutboundSms.Status.PENDING, OutboundSms.Status.SENDING],
            next_attempt_at__lte=now,
        )


class OutboundSms(PublicIdModel):
    """One SMS, written in the transaction that caused it, sent after it by the
    ``send_outbound_sms`` task through ``settings.SMS_PROVIDER`` (``sms.py``)."""

    # The same life as an e-mail of the outbox.
    Status = OutboundEmail.Status

    to = models.CharField("numéro (E.164)", max_length=SMS_NUMBER_MAX_LENGTH)
    body = models.TextField("texte")
    kind = models.CharField("type de SMS", max_length=64)
    is_sensitive = models.BooleanField(
        "contient un code à usage unique",
        default=False,
        help_text=(
            "Le texte est masqué dans l'interface de gestion et effacé une fois l'envoi terminé."
        ),
    )
    status = models.CharField("état", max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    next_attempt_at = models.DateTimeField("prochaine tentative", default=timezone.now)
    last_error = models.TextField("dernière erreur", blank=True)
    provider_id = models.CharField("identifiant chez le fournisseur", max_length=128, blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now, editable=False)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    body_purged_at = models.DateTimeField(
        "contenu effacé le",
        null=True,
        blank=True,
        help_text=(
            "Passé le délai de conservation, le texte est effacé ; l'objet, le type et les "
            "dates restent."
        ),
    )
    failed_at = models.DateTimeField("abandonné le", null=True, blank=True)

    objects = OutboundSmsQuerySet.as_manager()

    class Meta:
        verbose_name = "SMS sortant"
        verbose_name_plural = "SMS sortants"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notif_sms_due_idx"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.to}"

    @property
    def is_redacted(self):
        return self.body == REDACTED_SMS_BODY


class PendingNotificationQuerySet(models.QuerySet):
    def due(self, now=None):
        """Notifications the worker should render now (not given up, time come)."""
        now = now or timezone.now()
        return self.filter(failed_at__isnull=True, next_attempt_at__lte=now)


class PendingNotification(models.Model):
    """A deferred notification (``notifications.deferred``): written in the transaction of
    the change it announces, rendered into outbox rows by the ``render_notification`` task,
    then deleted in the transaction that writes those rows. It holds references (a model and
    a key) and the words of the decision (a reason), never an address: the recipients are
    read when it is rendered."""

    kind = models.CharField("type de notification", max_length=64)
    payload = models.JSONField("classe et arguments")
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    next_attempt_at = models.DateTimeField("prochaine tentative", default=timezone.now)
    last_error = models.TextField("dernière erreur", blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now, editable=False)
    failed_at = models.DateTimeField("abandonnée le", null=True, blank=True)

    objects = PendingNotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "notification à préparer"
        verbose_name_plural = "notifications à préparer"
        ordering = ["next_attempt_at", "id"]
        indexes = [
            models.Index(fields=["failed_at", "next_attempt_at"], name="notif_pending_due_idx"),
        ]

    def __str__(self):
        return f"{self.kind} ({self.created_at:%Y-%m-%d %H:%M})"
