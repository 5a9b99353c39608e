"""What the admin pages of every app share (nothing is registered here), and the back
office's name: the Immersio team's « Gestion », not « Administration de Django »."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest

admin.site.site_header = "Gestion d'Immersio"
admin.site.site_title = "Gestion d'Immersio"
admin.site.index_title = "Tableau de bord de l'équipe"


class ServiceActionsMixin:
    """Admin actions that call one service per selected row: each refusal is told with
    its row and its French ``message``, then how many rows changed."""

    def apply_each(
        self: admin.ModelAdmin,
        request: HttpRequest,
        queryset: QuerySet,
        change: Callable[[Model], object],
        *,
        done: str,
        refused: type[Exception],
        tell_none: bool = True,
    ) -> int:
        """Runs ``change(row)`` on each row; ``done`` says how many changed (``{count}``),
        also when none did unless ``tell_none`` is false."""
        count = 0
        for row in queryset:
            try:
                change(row)
            except refused as error:
                self.message_user(request, f"{row} : {error.message}", messages.ERROR)
            else:
                count += 1
        if count or tell_none:
            self.message_user(request, done.format(count=count), messages.SUCCESS)
        return count


class ReadOnlyAdminMixin:
    """A page that shows rows written by the services only: nothing to add or change."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
