from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html_join

from immersio.core.admin import ReadOnlyAdminMixin

from .models import RetentionRun


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
