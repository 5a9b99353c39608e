from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.utils.html import format_html

from immersio.core.admin import PeopleListMixin, mask_email, mask_phone

from . import services
from .models import OutboundEmail, OutboundSms, PendingNotification

MASKED = "Contenu masqué : cet e-mail contient un lien personnel (lien de connexion…)."
MASKED_SMS = "Texte masqué : code à usage unique"


@admin.register(OutboundEmail)
class OutboundEmailAdmin(PeopleListMixin, admin.ModelAdmin):
    """Read-only: rows change only through the services (send, retry, « Renvoyer »)."""

    list_display = [
        "created_at",
        "masked_recipient",
        "subject",
        "kind",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "kind", "is_sensitive", "created_at"]
    search_fields = ["recipient", "subject", "=public_id"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    actions = ["resend"]
    fieldsets = [
        (None, {"fields": ["public_id", "kind", "recipient", "reply_to", "subject"]}),
        (
            "Envoi",
            {
                "fields": [
                    "status",
                    "attempts",
                    "first_attempt_at",
                    "next_attempt_at",
                    "sent_at",
                    "last_error",
                    "created_at",
                ]
            },
        ),
        ("Contenu", {"fields": ["is_sensitive", "text_content", "html_content"]}),
    ]
    readonly_fields = flatten_fieldsets(fieldsets)

    @admin.display(description="destinataire", ordering="recipient")
    def masked_recipient(self, obj):
        return mask_email(obj.recipient)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the detail page is read-only; the action goes through the service

    @admin.display(description="texte")
    def text_content(self, obj):
        if obj.is_sensitive and not obj.is_redacted:
            return MASKED
        return format_html('<pre class="mb-0">{}</pre>', obj.text_body)

    @admin.display(description="version HTML (source)")
    def html_content(self, obj):
        if obj.is_sensitive:
            return MASKED if not obj.is_redacted else "—"
        return format_html('<pre class="mb-0">{}</pre>', obj.html_body) if obj.html_body else "—"

    @admin.action(description="Renvoyer les e-mails sélectionnés", permissions=["resend"])
    def resend(self, request, queryset):
        result = services.resend_emails(emails=queryset, actor=request.user)
        if result.requeued:
            self.message_user(
                request,
                f"{result.requeued} e-mail(s) remis dans la file d'envoi.",
                messages.SUCCESS,
            )
        if result.copied:
            self.message_user(
                request,
                f"{result.copied} e-mail(s) déjà envoyé(s) recopié(s) pour un nouvel envoi.",
                messages.SUCCESS,
            )
        if result.skipped:
            self.message_user(
                request,
                f"{result.skipped} e-mail(s) ignoré(s) : envoi en cours, ou lien personnel "
                "effacé (la personne doit demander un nouveau lien).",
                messages.WARNING,
            )

    def has_resend_permission(self, request):
        return request.user.has_perm("notifications.change_outboundemail")


@admin.register(OutboundSms)
class OutboundSmsAdmin(PeopleListMixin, admin.ModelAdmin):
    """Read-only: rows change only through the services (send, retry). The text of a
    sensitive SMS (a one-time code) is never shown, before or after it is erased."""

    list_display = [
        "created_at",
        "masked_to",
        "kind",
        "text",
        "status",
        "attempts",
        "sent_at",
        "failed_at",
    ]
    list_filter = ["status", "kind", "is_sensitive", "created_at"]
    search_fields = ["to", "=public_id", "=provider_id"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    fields = [
        "public_id",
        "kind",
        "to",
        "is_sensitive",
        "text",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "provider_id",
        "created_at",
        "sent_at",
        "failed_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="texte")
    @admin.display(description="numéro", ordering="to")
    def masked_to(self, obj):
        return mask_phone(obj.to)

    def text(self, obj):
        if obj.is_sensitive:
            return MASKED_SMS
        return obj.body


@admin.register(PendingNotification)
class PendingNotificationAdmin(admin.ModelAdmin):
    """Read-only: what the worker has still to render. The arguments (a decision's reason
    may be personal) are not shown; only the kind, the dates and the last error."""

    list_display = ["created_at", "kind", "attempts", "next_attempt_at", "failed_at"]
    list_filter = ["kind", "failed_at"]
    ordering = ["next_attempt_at", "id"]
    fields = ["kind", "attempts", "next_attempt_at", "last_error", "created_at", "failed_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
