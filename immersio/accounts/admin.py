from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .forms import AdminUserChangeForm, AdminUserCreationForm
from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """People are identified by their e-mail address; there is no user name."""

    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    add_form_template = None  # Django's asks for a user name and a password first
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name", "phone"]
    ordering = ["email"]
    readonly_fields = ["public_id", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password", "public_id"]}),
        ("Coordonnées", {"fields": ["first_name", "last_name", "phone"]}),
        (
            "Droits",
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "description": (
                    "Le compte est créé sans mot de passe : la personne se connecte avec un "
                    "lien reçu par e-mail, depuis la page « Se connecter »."
                ),
                "fields": ["email", "first_name", "last_name", "phone", "is_staff"],
            },
        ),
    ]
