from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from immersio.core.admin import PeopleListMixin, initials, mask_email

from .forms import AdminUserChangeForm, AdminUserCreationForm
from .models import OneTimeCode, User


@admin.register(User)
class UserAdmin(PeopleListMixin, DjangoUserAdmin):
    """People are identified by their e-mail address; there is no user name."""

    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    add_form_template = None  # Django's asks for a user name and a password first
    # Initials and a masked address in the list; the change page shows them in full.
    list_display = ["person", "masked_email", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name", "phone"]
    ordering = ["email"]
    readonly_fields = ["public_id", "last_login", "date_joined"]

    @admin.display(description="personne", ordering="last_name")
    def person(self, obj):
        return initials(obj.first_name, obj.last_name)

    @admin.display(description="adresse e-mail", ordering="email")
    def masked_email(self, obj):
        return mask_email(obj.email)

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


@admin.register(OneTimeCode)
class OneTimeCodeAdmin(admin.ModelAdmin):
    """Read-only, for support (« mon code ne marche pas »): where and when a code went,
    its expiry, wrong attempts and use. The code is never stored, its hash never shown."""

    list_display = [
        "created_at",
        "purpose",
        "subject",
        "channel",
        "sent_to",
        "expires_at",
        "attempts",
        "used_at",
        "revoked_at",
    ]
    list_filter = ["purpose", "channel", "created_at"]
    search_fields = ["=subject"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    exclude = ["code_hash"]
    readonly_fields = [
        "purpose",
        "subject",
        "channel",
        "sent_to",
        "expires_at",
        "attempts",
        "used_at",
        "revoked_at",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
