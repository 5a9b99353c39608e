"""Reference data in the admin: to look up, not to edit (``import_referentials`` writes it)."""

from django.contrib import admin

from .models import Appellation, Commune, NafCode, ReferentialsVersion, RomeMetier, RomeNafHiring


class ReadOnlyAdmin(admin.ModelAdmin):
    list_per_page = 50
    show_full_result_count = False  # no COUNT(*) of 35,000 rows on every search

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AppellationInline(admin.TabularInline):
    model = Appellation
    fields = ["code", "label"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RomeMetier)
class RomeMetierAdmin(ReadOnlyAdmin):
    list_display = ["code", "label"]
    search_fields = ["code", "label"]
    search_help_text = "Code ROME (D1102) ou mot du libellé."
    inlines = [AppellationInline]


@admin.register(Appellation)
class AppellationAdmin(ReadOnlyAdmin):
    list_display = ["code", "label", "rome"]
    list_select_related = ["rome"]
    search_fields = ["label", "search_text", "rome__code"]
    search_help_text = "Mot du libellé (avec ou sans accents) ou code ROME."

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip().isdigit():  # an OGR code
            queryset |= self.model.objects.filter(code=int(search_term))
        return queryset, may_have_duplicates


@admin.register(Commune)
class CommuneAdmin(ReadOnlyAdmin):
    list_display = ["insee_code", "name", "department", "postal_codes", "population", "kind"]
    list_filter = ["kind"]
    search_fields = ["=insee_code", "name", "normalized_name", "postal_codes"]
    search_help_text = "Nom de commune, code INSEE exact ou code postal."


@admin.register(NafCode)
class NafCodeAdmin(ReadOnlyAdmin):
    list_display = ["code", "label"]
    search_fields = ["code", "label"]


@admin.register(RomeNafHiring)
class RomeNafHiringAdmin(ReadOnlyAdmin):
    list_display = ["rome", "naf", "hirings"]
    list_select_related = ["rome", "naf"]
    search_fields = ["=rome__code", "=naf__code"]
    search_help_text = "Code ROME ou code NAF exact."


@admin.register(ReferentialsVersion)
class ReferentialsVersionAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "token"]
