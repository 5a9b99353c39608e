"""Base models shared by every domain app."""

import uuid

from django.conf import settings
from django.db import models


def person_reference(
    verbose_name: str | None = None, *, related_name: str = "+"
) -> models.ForeignKey:
    """The person a row is ascribed to (who invited, confirmed, wrote…): the row stays,
    without them, when their account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
    )


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True


class PublicIdModel(models.Model):
    """Public URLs carry this UUID, never the sequential primary key."""

    public_id = models.UUIDField(
        "identifiant public", default=uuid.uuid4, unique=True, editable=False
    )

    class Meta:
        abstract = True


class TeamOrganisationQuerySet(models.QuerySet):
    """The queryset of an organisation whose people form a team (its concrete membership
    model points at it with ``related_name="memberships"``)."""

    def visible_to(self, user):
        """The organisations whose team space ``user`` may open: those where they are an
        active member (every one for staff)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_staff:
            return self.all()
        memberships = self.model.memberships.rel
        # Exists, not a join + distinct(): the result combines with other querysets
        # (``public() | visible_to(user)``) and needs no DISTINCT.
        return self.filter(
            models.Exists(
                memberships.related_model.objects.filter(
                    **{memberships.field.name: models.OuterRef("pk")}, user=user, is_active=True
                )
            )
        )


class OfOrganisation:
    """A row of an organisation's team (membership, invitation, registration): the
    concrete model names its organisation foreign key in ``organisation_field``."""

    organisation_field = ""

    @property
    def organisation(self):
        return getattr(self, self.organisation_field)


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user, is_active=True)

    def with_role(self, *roles):
        return self.filter(role__in=roles)


class Membership(OfOrganisation, TimeStampedModel):
    """A person's place in an organisation (host structure, agency…), with a role.

    Each domain app declares a concrete subclass with its own ``organisation`` foreign
    key and its own ``Role`` choices; permissions are read from these rows through
    scoped querysets (``Structure.objects.visible_to(user)`` and the like).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="personne",
    )
    role = models.CharField("rôle", max_length=32)
    job_title = models.CharField("fonction", max_length=120, blank=True)
    is_active = models.BooleanField("active", default=True)
    invited_by = person_reference("invitée par")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) — {self.organisation}"


class Invitation(OfOrganisation, PublicIdModel, TimeStampedModel):
    """An invitation to join an organisation's team, sent by e-mail; single use.

    Concrete subclasses add the organisation's foreign key and a ``role`` with its own
    choices (like ``Membership``)."""

    email = models.EmailField("adresse e-mail")
    invited_by = person_reference("invitée par")
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    revoked_at = models.DateTimeField("annulée le", null=True, blank=True)

    class Meta:
        abstract = True
        verbose_name = "invitation"
        verbose_name_plural = "invitations"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()}) — {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class Registration(OfOrganisation, PublicIdModel, TimeStampedModel):
    """Who registered an organisation through its public form, and their consent. They
    confirm their address through a single-use link (``confirmed_at``).

    Concrete subclasses add the organisation's one-to-one field (``registration``)."""

    email = models.EmailField("adresse e-mail")
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    job_title = models.CharField("fonction", max_length=120, blank=True)
    consented_at = models.DateTimeField("consentement donné le")
    confirmed_at = models.DateTimeField("confirmée le", null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.email} — {self.organisation}"


class RateLimitCounter(models.Model):
    """Attempts counted in one fixed window of one rate limit (``core.ratelimit``).

    ``key`` is a hash: no e-mail address or IP is stored in clear. Rows are only ever
    incremented by one atomic upsert; past windows are dead weight that the personal-data
    purge deletes (``window_start`` is indexed for it)."""

    scope = models.CharField("limite", max_length=64)
    key = models.CharField("clé (empreinte)", max_length=64)
    window_start = models.DateTimeField("début de la fenêtre", db_index=True)
    count = models.PositiveIntegerField("tentatives", default=0)

    class Meta:
        verbose_name = "compteur de limite de débit"
        verbose_name_plural = "compteurs de limites de débit"
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "window_start"], name="ratelimit_one_row_per_window"
            )
        ]

    def __str__(self):
        return f"{self.scope} {self.window_start:%Y-%m-%d %H:%M} : {self.count}"
