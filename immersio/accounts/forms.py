from django import forms
from django.contrib.auth.forms import UserChangeForm

from immersio.core.fields import EmailAddressField
from immersio.core.forms import StyledFormMixin

from .models import User


class EmailLoginForm(StyledFormMixin, forms.Form):
    mark_required = True

    email = EmailAddressField(
        label="Adresse e-mail",
        help_text="Par exemple : prenom.nom@exemple.fr",
        error_messages={
            "required": "Saisissez votre adresse e-mail.",
            "max_length": (
                "Cette adresse e-mail est trop longue : %(limit_value)d caractères au maximum "
                "(elle en compte %(show_value)d)."
            ),
        },
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "inputmode": "email", "spellcheck": "false"}
        ),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip()


class ProfileForm(StyledFormMixin, forms.ModelForm):
    mark_required = True

    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone"]
        labels = {"first_name": "Prénom", "last_name": "Nom", "phone": "Téléphone"}
        help_texts = {"phone": "Un numéro français, par exemple 06 12 34 56 78."}
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
        }
        error_messages = {
            "first_name": {"max_length": "150 caractères au maximum."},
            "last_name": {"max_length": "150 caractères au maximum."},
        }


class AdminUserCreationForm(forms.ModelForm):
    """Staff create accounts without a password: people log in with a link."""

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "phone", "is_staff"]

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"].strip()).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Un compte existe déjà avec cette adresse e-mail.")
        return email

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
            self.save_m2m()
        return user


class AdminUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"].strip()).lower()
        taken = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("Un compte existe déjà avec cette adresse e-mail.")
        return email
