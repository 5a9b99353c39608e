"""Events in the back office (« Gestion »): find, correct, publish. The reading with a
reason for a refusal happens on the team's page, /evenements/a-relire/."""

from django.contrib import admin

from immersio.core.admin import ServiceActionsMixin

from . import services
from .models import Event


@admin.register(Event)
class EventAdmin(ServiceActionsMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "organiser_name", "status"]
    list_filter = ["status", "kind", "causes"]
    search_fields = ["title", "organiser_name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["commune", "host_structure", "participants"]
    filter_horizontal = ["causes"]
    readonly_fields = [
        "public_id",
        "status",
        "refusal_reason",
        "submitted_by",
        "reviewed_by",
        "reviewed_at",
        "published_at",
        "cancelled_at",
        "anonymised_at",
        "created_at",
        "updated_at",
    ]
    actions = ["publish"]

    @admin.action(description="Publier les événements sélectionnés (la personne est prévenue)")
    def publish(self, request, queryset):
        self.apply_each(
            request,
            queryset,
            lambda event: services.publish_event(event=event, actor=request.user),
            done="{count} événement(s) publié(s).",
            refused=services.EventError,
        )
