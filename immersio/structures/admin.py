"""Host structures in the admin. State changes (suspend, reopen, close, import) go
through the services; edits saved here are reindexed for the search."""

import secrets

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join

from immersio.core.admin import (
    PeopleListMixin,
    ReadOnlyAdminMixin,
    ServiceActionsMixin,
    mask_email,
)

from . import selectors, services
from .importer import ImportFileError, decode, run_import
from .models import (
    CONTACT_FIELDS,
    IDENTITY_FIELDS,
    WELCOME_FIELDS,
    Cause,
    HostStructure,
    Invitation,
    Network,
    Offer,
    ReceivedRequest,
    Registration,
    Site,
    StructureMembership,
)

IMPORT_SESSION_KEY = "structures_admin_import"
MAX_IMPORT_BYTES = 5 * 1024 * 1024


class SiteInline(admin.StackedInline):
    model = Site
    extra = 0
    fields = ["label", "address", "commune", "postal_code", "latitude", "longitude"]
    autocomplete_fields = ["commune"]
    show_change_link = True


class MembershipInline(admin.TabularInline):
    model = StructureMembership
    fk_name = "structure"
    extra = 0
    fields = ["user", "role", "job_title", "is_active", "invited_by", "created_at"]
    readonly_fields = ["invited_by", "created_at"]
    raw_id_fields = ["user"]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["email", "role", "invited_by", "created_at", "accepted_at", "revoked_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class VocabularyAdmin(admin.ModelAdmin):
    """Causes and networks: staff add more; the search-index bit is assigned here."""

    readonly_fields = ["bit"]
    search_fields = ["slug"]

    def save_model(self, request, obj, form, change):
        if obj.bit is None:
            try:
                obj.bit = selectors.next_free_bit(type(obj))
            except services.NoFreeBit as error:
                raise PermissionDenied(error.message) from error
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            ids = list(form.instance.structures.values_list("pk", flat=True))
            if ids:
                services.reindex(ids)


@admin.register(Cause)
class CauseAdmin(VocabularyAdmin):
    list_display = ["label", "slug", "position", "bit"]
    search_fields = ["label", "slug"]
    prepopulated_fields = {"slug": ["label"]}
    fields = ["label", "slug", "position", "bit"]


@admin.register(Network)
class NetworkAdmin(VocabularyAdmin):
    list_display = ["name", "slug", "position", "bit"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "website", "description", "position", "bit"]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV",
        help_text="UTF-8, séparateur « ; » ou « , » (voir docs/import-structures.md).",
    )
    network = forms.ModelChoiceField(
        label="Réseau", queryset=Network.objects.all(), empty_label=None
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("Le fichier dépasse 5 Mo : découpez-le.")
        try:
            return decode(upload.read())
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from error


@admin.register(HostStructure)
class HostStructureAdmin(ServiceActionsMixin, admin.ModelAdmin):
    list_display = ["display_name", "siret", "status", "kind", "is_ess", "paused_until", "source"]
    list_filter = ["status", "kind", "is_ess", "ess_status", "networks", "causes", "headcount"]
    search_fields = ["=siret", "name", "brand_name"]
    search_help_text = "SIRET exact, raison sociale ou nom d'usage."
    readonly_fields = [
        "public_id",
        "status",
        "status_reason",
        "published_at",
        "source",
        "answer_rate",
        "last_activity_at",
        "created_at",
        "updated_at",
        "offers_summary",
        "siret_checked_by",
        "siret_checked_at",
    ]
    autocomplete_fields = ["naf"]
    filter_horizontal = ["causes", "networks"]
    inlines = [SiteInline, MembershipInline, InvitationInline]
    actions = ["confirm_siret", "suspend", "reopen", "close"]
    change_list_template = "structures/admin/change_list.html"
    fieldsets = [
        (
            None,
            {"fields": ["public_id", "siret", *IDENTITY_FIELDS, "website"]},
        ),
        ("Présentation", {"fields": ["description", "immersion_description", "offers_summary"]}),
        ("Engagements", {"fields": ["causes", "networks"]}),
        (
            "Accueil",
            {
                "fields": [
                    *WELCOME_FIELDS,
                    *CONTACT_FIELDS,
                    "max_requests_per_month",
                    "paused_until",
                ]
            },
        ),
        (
            "État",
            {
                "fields": [
                    "status",
                    "status_reason",
                    "published_at",
                    "siret_checked_by",
                    "siret_checked_at",
                    "source",
                    "answer_rate",
                    "last_activity_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    @admin.display(description="métiers proposés")
    def offers_summary(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        offers = (
            Offer.objects.filter(site__structure=obj)
            .select_related("appellation", "site__commune")
            .order_by("site_id", "appellation__label")
        )
        if not offers:
            return "—"
        return format_html_join(
            "",
            "<div>{} — {}</div>",
            ((offer.appellation.label, offer.site.commune.name) for offer in offers),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.reindex([form.instance.pk])

    def delete_model(self, request, obj):
        pk = obj.pk
        super().delete_model(request, obj)
        services.reindex([pk])

    def delete_queryset(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        services.reindex(ids)

    @admin.action(description="Confirmer le SIRET et publier les structures sélectionnées")
    def confirm_siret(self, request, queryset):
        self.apply_each(
            request,
            queryset,
            lambda structure: services.confirm_siret(structure=structure, actor=request.user),
            done="{count} structure(s) vérifiée(s) et publiée(s).",
            refused=services.StructureError,
        )

    @admin.action(description="Suspendre les structures sélectionnées (retirées de la recherche)")
    def suspend(self, request, queryset):
        self.apply_each(
            request,
            queryset,
            lambda structure: services.suspend_structure(
                structure=structure, actor=request.user, reason="Suspendue par l'équipe."
            ),
            done="{count} structure(s) suspendue(s).",
            refused=services.StructureError,
        )

    @admin.action(description="Rouvrir les structures sélectionnées (publiées de nouveau)")
    def reopen(self, request, queryset):
        self.apply_each(
            request,
            queryset,
            lambda structure: services.reopen_structure(structure=structure, actor=request.user),
            done="{count} structure(s) rouverte(s).",
            refused=services.StructureError,
        )

    @admin.action(description="Fermer les structures sélectionnées (définitivement)")
    def close(self, request, queryset):
        for structure in queryset:
            services.close_structure(
                structure=structure, actor=request.user, reason="Fermée par l'équipe."
            )
        self.message_user(request, f"{queryset.count()} structure(s) fermée(s).", messages.SUCCESS)

    # Import of a network's list ---------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "importer/",
                self.admin_site.admin_view(self.import_view),
                name="structures_hoststructure_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Importer la liste d'un réseau",
            "report": None,
            "token": "",
            "changelist_url": reverse("admin:structures_hoststructure_changelist"),
        }
        if request.method == "POST" and request.POST.get("appliquer"):
            pending = request.session.get(IMPORT_SESSION_KEY) or {}
            if not pending or pending.get("token") != request.POST.get("jeton"):
                self.message_user(
                    request,
                    "Cette simulation n'est plus disponible : chargez le fichier de nouveau.",
                    messages.ERROR,
                )
                return redirect("admin:structures_hoststructure_import")
            network = Network.objects.get(pk=pending["network"])
            report = run_import(
                text=pending["text"], network=network, wet_run=True, actor=request.user
            )
            del request.session[IMPORT_SESSION_KEY]
            self.message_user(request, report.summary(), messages.SUCCESS)
            context.update(report=report, form=ImportForm())
            return TemplateResponse(request, "structures/admin/import.html", context)
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            text = form.cleaned_data["file"]
            network = form.cleaned_data["network"]
            try:
                report = run_import(text=text, network=network, wet_run=False, actor=request.user)
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                token = secrets.token_urlsafe(16)
                request.session[IMPORT_SESSION_KEY] = {
                    "token": token,
                    "text": text,
                    "network": network.pk,
                }
                context.update(report=report, token=token)
        context["form"] = form
        return TemplateResponse(request, "structures/admin/import.html", context)


class OfferInline(admin.TabularInline):
    model = Offer
    extra = 1
    autocomplete_fields = ["appellation"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    """A site and its métiers (offers), reached from the structure's page."""

    list_display = ["__str__", "structure", "commune"]
    search_fields = ["structure__name", "=structure__siret", "address"]
    autocomplete_fields = ["commune"]
    raw_id_fields = ["structure"]
    inlines = [OfferInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.reindex([form.instance.structure_id])


@admin.register(ReceivedRequest)
class ReceivedRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["structure", "received_at", "kind"]
    list_filter = ["kind", "received_at"]
    search_fields = ["structure__name", "=structure__siret"]
    date_hierarchy = "received_at"

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(PeopleListMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["structure", "masked_email", "created_at", "confirmed_at"]
    search_fields = ["email", "structure__name", "=structure__siret"]
    readonly_fields = [
        "structure",
        "email",
        "first_name",
        "last_name",
        "phone",
        "job_title",
        "consented_at",
        "confirmed_at",
        "confirmed_by",
    ]

    @admin.display(description="adresse e-mail", ordering="email")
    def masked_email(self, obj):
        return mask_email(obj.email)
