"""The back office of personal data: deleting a person goes through
``services.delete_account``, like the person does (the same erasure, the same things kept,
the same receipt, the same refusals); the retention job's reports are read only."""

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.html import format_html_join

from immersio.accounts.admin import UserAdmin
from immersio.accounts.models import User
from immersio.core.admin import ReadOnlyAdminMixin

from . import erasure, services
from .models import RetentionRun


class ErasingUserAdmin(UserAdmin):
    def get_deleted_objects(self, objs, request):
        """Django's confirmation page, whose « protected » list stops the deletion: here,
        the reasons an account cannot be deleted yet."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        for user in objs:
            protected += [f"{user} : {reason}" for reason in erasure.blocking_reasons(user)]
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        try:
            services.delete_account(user=obj, actor=request.user)
        except services.DeletionBlocked as blocked:
            messages.error(request, f"{obj} : {blocked}")

    def delete_queryset(self, request, queryset):
        for user in queryset:
            self.delete_model(request, user)


admin.site.unregister(User)
admin.site.register(User, ErasingUserAdmin)


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The reports of the retention job (``apply_retention``), written by the job only."""

    list_display = ["started_at", "finished_at", "wet_run", "done", "errors"]
    list_filter = ["wet_run"]
    readonly_fields = ["started_at", "finished_at", "wet_run", "report_table"]
    exclude = ["report"]

    def has_delete_permission(self, request: HttpRequest, obj: RetentionRun | None = None) -> bool:
        return False

    @admin.display(description="traités")
    def done(self, run: RetentionRun) -> int:
        return sum(line.get("done", 0) for line in run.report)

    @admin.display(description="erreurs")
    def errors(self, run: RetentionRun) -> int:
        return sum(line.get("errors", 0) for line in run.report)

    @admin.display(description="compte rendu")
    def report_table(self, run: RetentionRun) -> str:
        return format_html_join(
            "\n",
            "<p>{} ({}) : {} trouvé(s), {} traité(s), {} erreur(s)</p>",
            (
                (line["rule"], line["action"], line["found"], line["done"], line["errors"])
                for line in run.report
            ),
        )
