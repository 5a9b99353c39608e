"""The form of « Mes données »: confirming the deletion of one's account."""

from django import forms

from immersio.core.forms import StyledFormMixin


class DeleteAccountForm(StyledFormMixin, forms.Form):
    mark_required = True

    confirm = forms.BooleanField(
        label="Je comprends que mon compte et mes données seront supprimés définitivement.",
        error_messages={
            "required": "Cochez la case pour confirmer la suppression de votre compte."
        },
    )
