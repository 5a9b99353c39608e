from django.contrib import admin

from .models import Convention, ConventionEvent


class ConventionEventInline(admin.TabularInline):
    model = ConventionEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "by", "from_status", "to_status", "rules_version"]


@admin.register(Convention)
class ConventionAdmin(admin.ModelAdmin):
    list_display = ["reference", "status", "host_name", "agency", "date_start", "updated_at"]
    list_filter = ["status"]
    search_fields = ["public_id", "host_siret", "host_name"]
    raw_id_fields = ["structure", "agency", "appellation", "place_commune", "contact_request"]
    readonly_fields = ["public_id", "share_token", "submitted_at", "rules_version", "created_by"]
    inlines = [ConventionEventInline]
