"""What the privacy app itself stores: the reports of the retention job, the single-use
export links, and the warnings sent before an inactive account is deleted."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class RetentionRun(models.Model):
    """One run of ``apply_retention``: when, dry or wet, and what each rule found and did
    (``report``: a list of ``{"rule", "model", "action", "found", "done", "errors"}``)."""

    started_at = models.DateTimeField("commencé le", default=timezone.now)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    wet_run = models.BooleanField("appliqué (sinon simulation)", default=False)
    report = models.JSONField("compte rendu", default=list, blank=True)

    class Meta:
        verbose_name = "passage de la conservation"
        verbose_name_plural = "passages de la conservation"
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"Conservation du {self.started_at:%d/%m/%Y %H:%M}"


class DataExport(models.Model):
    """A person's request to download their data: a single-use link valid 24 hours, whose
    token is stored only as a hash."""

    public_id = models.UUIDField(
        "identifiant public", default=uuid.uuid4, unique=True, editable=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    token_hash = models.CharField("empreinte du jeton", max_length=64, unique=True)
    created_at = models.DateTimeField("demandé le", default=timezone.now)
    expires_at = models.DateTimeField("expire le")
    used_at = models.DateTimeField("téléchargé le", null=True, blank=True)

    class Meta:
        verbose_name = "export de données"
        verbose_name_plural = "exports de données"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Export du {self.created_at:%d/%m/%Y %H:%M}"


class InactivityWarning(models.Model):
    """The e-mail sent before an inactive account is deleted; deleted with the account, and
    by any activity (logging in again)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inactivity_warning"
    )
    sent_at = models.DateTimeField("prévenu le", default=timezone.now)

    class Meta:
        verbose_name = "avertissement d'inactivité"
        verbose_name_plural = "avertissements d'inactivité"

    def __str__(self):
        return f"{self.user} prévenu le {self.sent_at:%d/%m/%Y}"
