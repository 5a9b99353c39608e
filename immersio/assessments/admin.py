"""Assessments in the back office: read only (they change through the services: the
tutor's link, the agency's fill and correction, the beneficiary's co-signature)."""

from django.contrib import admin

from immersio.core.admin import PeopleListMixin

from .models import Assessment, AssessmentEvent


class EventInline(admin.TabularInline):
    model = AssessmentEvent
    extra = 0
    can_delete = False
    fields = ("at", "action", "by_name", "reason", "changes")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(PeopleListMixin, admin.ModelAdmin):
    list_display = ("reference", "outcome", "state_label", "requested_at", "filled_at")
    list_filter = ("outcome", "filled_by_kind")
    list_select_related = ("convention",)
    ordering = ("-created_at", "-pk")
    inlines = [EventInline]

    @admin.display(description="convention")
    def reference(self, obj):
        return obj.convention.reference

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
