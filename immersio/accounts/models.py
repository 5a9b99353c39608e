"""People who log in: e-mail is the identifier, there is no password by default."""

import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from immersio.core.fields import PhoneNumberField


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Une adresse e-mail est obligatoire.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    public_id = models.UUIDField(
        "identifiant public", default=uuid.uuid4, unique=True, editable=False
    )
    email = models.EmailField("adresse e-mail", max_length=254, unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    phone = PhoneNumberField("téléphone", max_length=20, blank=True)
    is_staff = models.BooleanField(
        "équipe Immersio",
        default=False,
        help_text="Peut se connecter à l'interface de gestion.",
    )
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "personne"
        verbose_name_plural = "personnes"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email


class OneTimeCode(models.Model):
    """A code sent to prove control of an e-mail address or a phone, for one purpose and
    one subject (e.g. purpose « signature », subject the signatory's key). Only its hash
    is kept (``core.otp``); see ``services.issue_code`` and ``services.check_code``."""

    class Channel(models.TextChoices):
        EMAIL = "email", "e-mail"
        SMS = "sms", "SMS"

    purpose = models.CharField("usage", max_length=64)
    subject = models.CharField("objet (clé)", max_length=200)
    code_hash = models.CharField("empreinte du code", max_length=64)
    channel = models.CharField("envoyé par", max_length=8, choices=Channel.choices)
    sent_to = models.CharField(
        "envoyé à", max_length=254, help_text="Masqué : « c•••@exemple.fr », « 06 •• •• •• 12 »."
    )
    expires_at = models.DateTimeField("expire le")
    attempts = models.PositiveSmallIntegerField("essais erronés", default=0)
    used_at = models.DateTimeField("utilisé le", null=True, blank=True)
    revoked_at = models.DateTimeField(
        "remplacé le", null=True, blank=True, help_text="Un nouveau code a été envoyé."
    )
    created_at = models.DateTimeField("créé le", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "code à usage unique"
        verbose_name_plural = "codes à usage unique"
        ordering = ["-created_at", "-id"]
        constraints = [
            # At most one code in play per purpose and subject: a new one replaces it.
            models.UniqueConstraint(
                fields=["purpose", "subject"],
                condition=models.Q(used_at__isnull=True, revoked_at__isnull=True),
                name="accounts_one_live_code",
            ),
        ]

    def __str__(self):
        return f"{self.purpose} · {self.sent_to}"
