from django.contrib import admin

from immersio.core.admin import PeopleListMixin, ServiceActionsMixin, initials, mask_email

from . import services
from .models import Agency, AgencyInvitation, AgencyMembership, AgencyRegistration


class MembershipInline(admin.TabularInline):
    model = AgencyMembership
    fk_name = "agency"
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "job_title", "is_active"]


class RegistrationInline(admin.StackedInline):
    model = AgencyRegistration
    extra = 0
    can_delete = False
    readonly_fields = [
        "email",
        "first_name",
        "last_name",
        "job_title",
        "consented_at",
        "confirmed_at",
    ]


@admin.register(Agency)
class AgencyAdmin(ServiceActionsMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "status", "delegation_end_date", "created_at"]
    list_filter = [
        "status",
        "kind",
        "siae_kind",
        ("registration__confirmed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["name", "siret", "contact_email", "commune__name"]
    autocomplete_fields = ["commune", "delegating_agency", "referring_agency"]
    readonly_fields = [
        "public_id",
        "status",
        "activated_at",
        "reminders_end_date",
        "reminder_3_months_at",
        "reminder_1_month_at",
        "reminder_1_day_at",
    ]
    inlines = [RegistrationInline, MembershipInline]
    actions = ["activate", "reject"]

    @admin.action(description="Activer les prescripteurs sélectionnés")
    def activate(self, request, queryset):
        self.apply_each(
            request,
            queryset,
            lambda agency: services.activate_agency(agency=agency, actor=request.user),
            done="{count} prescripteur(s) activé(s).",
            refused=services.AgencyError,
            tell_none=False,
        )

    @admin.action(description="Refuser les prescripteurs sélectionnés")
    def reject(self, request, queryset):
        self.apply_each(
            request,
            queryset,
            lambda agency: services.reject_agency(agency=agency, actor=request.user),
            done="{count} prescripteur(s) refusé(s).",
            refused=services.AgencyError,
            tell_none=False,
        )


@admin.register(AgencyMembership)
class AgencyMembershipAdmin(PeopleListMixin, admin.ModelAdmin):
    list_display = ["member", "agency", "role", "is_active"]
    list_select_related = ["user", "agency"]
    list_filter = ["role", "is_active", "agency__kind"]
    search_fields = ["user__email", "user__last_name", "agency__name"]
    autocomplete_fields = ["user", "agency", "invited_by"]

    @admin.display(description="membre", ordering="user__last_name")
    def member(self, obj):
        return initials(obj.user.first_name, obj.user.last_name)


@admin.register(AgencyInvitation)
class AgencyInvitationAdmin(PeopleListMixin, admin.ModelAdmin):
    list_display = ["masked_email", "agency", "role", "created_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email", "agency__name"]
    readonly_fields = ["agency", "email", "role", "invited_by", "accepted_at", "revoked_at"]

    @admin.display(description="adresse e-mail", ordering="email")
    def masked_email(self, obj):
        return mask_email(obj.email)
