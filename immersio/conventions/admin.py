from datetime import date

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import format_html

from immersio.core.admin import PeopleListMixin, ReadOnlyAdminMixin, initials

from . import selectors, services
from .forms import SensitiveAccessForm
from .models import Convention, ConventionEvent, SensitiveAccess


def _shown(convention: Convention, name: str) -> str:
    value = getattr(convention, name)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "oui" if value else "non"
    display = getattr(convention, f"get_{name}_display", None)
    return str(display() if display else value) or "—"


class ConventionEventInline(admin.TabularInline):
    model = ConventionEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "by", "from_status", "to_status", "rules_version"]


@admin.register(Convention)
class ConventionAdmin(PeopleListMixin, admin.ModelAdmin):
    """The sensitive fields (``selectors.SENSITIVE_FIELDS``) are not on the change form:
    « Voir les données sensibles » asks why, logs the opening, then shows them read-only."""

    list_display = ["reference", "status", "host_name", "agency", "date_start", "updated_at"]
    list_filter = ["status"]
    search_fields = ["public_id", "host_siret", "host_name"]
    raw_id_fields = ["structure", "agency", "appellation", "place_commune", "contact_request"]
    readonly_fields = [
        "public_id",
        "share_token",
        "submitted_at",
        "rules_version",
        "created_by",
        "sensitive_data",
    ]
    exclude = list(selectors.SENSITIVE_FIELDS)
    inlines = [ConventionEventInline]

    @admin.display(description="Données sensibles")
    def sensitive_data(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("admin:conventions_convention_sensitive", args=[obj.pk])
        return format_html('<a href="{}">Voir les données sensibles</a> (motif demandé)', url)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/donnees-sensibles/",
                self.admin_site.admin_view(self.sensitive_view),
                name="conventions_convention_sensitive",
            ),
            *super().get_urls(),
        ]

    def sensitive_view(self, request, object_id):
        """GET: the reason form; POST with a reason: the opening is logged and the fields
        are shown, read-only, for this page only."""
        convention = get_object_or_404(Convention, pk=object_id)
        if not self.has_view_permission(request, convention):
            raise PermissionDenied
        form = SensitiveAccessForm(request.POST or None, prefix="motif")
        rows = None
        if request.method == "POST" and form.is_valid():
            services.record_sensitive_access(
                convention=convention,
                actor=request.user,
                role="staff",
                reason=form.cleaned_data["reason"],
            )
            rows = [
                (Convention._meta.get_field(name).verbose_name, _shown(convention, name))
                for name in selectors.SENSITIVE_FIELDS
            ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": convention,
            "title": "Données sensibles",
            "form": form,
            "rows": rows,
            "change_url": reverse("admin:conventions_convention_change", args=[convention.pk]),
        }
        return render(request, "admin/conventions/convention/sensitive.html", context)


@admin.register(SensitiveAccess)
class SensitiveAccessAdmin(PeopleListMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The log of the openings of sensitive fields, as the person reads it in « Mes
    données »: never changed nor deleted here."""

    list_display = ["at", "reference", "role", "by_initials", "reason"]
    list_select_related = ["convention"]
    list_filter = ["role", "at"]
    search_fields = ["=convention__public_id", "reason"]
    date_hierarchy = "at"
    fields = ["convention", "at", "by", "by_name", "role", "reason"]
    readonly_fields = fields

    @admin.display(description="convention", ordering="convention__id")
    def reference(self, obj):
        return obj.convention.reference

    @admin.display(description="par")
    def by_initials(self, obj):
        first, _space, last = obj.by_name.partition(" ")
        return initials(first, last)

    def has_delete_permission(self, request, obj=None):
        return False
