"""What the admin pages of every app share (nothing is registered here), and the back
office's name: the Immersio team's « Gestion », not « Administration de Django ».

Lists of the back office show people by their initials (« C. M. ») and masked addresses
(« c•••@exemple.fr », « 06 •• •• •• 12 ») until a row is opened (issue 11); the search
still looks in the full fields (``search_fields``); the change page shows them in full.
"""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from .otp import mask_email, mask_phone

admin.site.site_header = "Gestion d'Immersio"
admin.site.site_title = "Gestion d'Immersio"
admin.site.index_title = "Tableau de bord de l'équipe"

__all__ = [
    "PeopleListMixin",
    "ReadOnlyAdminMixin",
    "ServiceActionsMixin",
    "initials",
    "mask_email",
    "mask_phone",
]


def initials(*names: str) -> str:
    """« C. M. » for Camille Martin: the first letter of each name given, « — » if none."""
    letters = [f"{name.strip()[0].upper()}." for name in names if name and name.strip()]
    return " ".join(letters) or "—"


class PeopleListMixin:
    """For a list whose rows name people: each row's checkbox is labelled by the row's
    first column as the list shows it (initials, a reference), not by ``str(row)``,
    which may be a full name."""

    def action_checkbox(self, obj):
        first = self.list_display[0] if self.list_display else ""
        shown = getattr(self, first, None) if isinstance(first, str) else first
        if callable(shown):
            label = shown(obj)
        elif isinstance(first, str) and first != "__str__" and hasattr(obj, first):
            label = getattr(obj, first)
        else:
            label = f"n° {obj.pk}"
        attrs = {"class": "action-select", "aria-label": f"Sélectionner la ligne : {label}"}
        checkbox = forms.CheckboxInput(attrs, lambda value: False)
        return checkbox.render(helpers.ACTION_CHECKBOX_NAME, str(obj.pk))


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
