"""What differs between the teams of two kinds of organisation (host structures,
agencies): one ``TeamKind`` per kind, declared by the app that owns the organisation
(``structures/team.py``, ``agencies/team.py``). The team logic itself — invitations,
join requests, members, roles, removal, the last administrator, the registration link —
lives once in ``teams.services`` and ``teams.selectors`` and reads everything it needs
from here. ``teams`` never imports the apps that use it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models

from immersio.core.links import PersonalLink, signed_url

if TYPE_CHECKING:
    from immersio.accounts.models import User
    from immersio.notifications.base import Notification

    from .errors import TeamError


@dataclass(frozen=True)
class TeamKind:
    """One kind of organisation whose people form a team."""

    #: The organisation model (locked while the team changes). Its team's models point
    #: at it with the related names ``memberships``, ``invitations`` and ``registration``.
    organisation_model: type[models.Model]
    #: ``TeamError`` subclass raised for this kind (``StructureError``, ``AgencyError``).
    error: type[TeamError]
    #: Refused removal of the last administrator, in this kind's words.
    last_admin_message: str
    #: Who may invite, revoke and remove others (staff included).
    can_manage: Callable[[User, Any], bool]
    #: ``None`` when the organisation accepts invitations now, else why not (French).
    invite_refusal: Callable[[Any], str | None]
    #: Whether an invitation link to this organisation may still be used.
    accepts_members: Callable[[Any], bool]
    #: Whether a registration link was already used (beyond ``confirmed_at``).
    registration_used: Callable[[Any], bool]
    invitation_notification: type
    registration_notification: type
    #: The app that owns the organisation: its URL namespace (``<app>:invitation``,
    #: ``<app>:confirm``, ``<app>:remove_member``, ``<app>:revoke_invitation``) and the
    #: salts of its links (``immersio.<app>.invitation``, ``immersio.<app>.registration``).
    app: str
    #: Page of the team, reversed with ``public_id`` of the organisation.
    team_url_name: str
    #: Words of the team page: what the roles do (``teams/members.html`` says what an
    #: invited person receives, with ``invitation_max_age_days``).
    roles_intro: str = ""
    #: The join-request page: what it does, and what to tell the help desk.
    join_intro: str = ""
    join_help_hint: str = ""
    #: What each role may do, told to the person invited (``teams/invitation.html``).
    role_help: dict[str, str] = field(default_factory=dict)
    #: Whether the organisation's administrators receive join requests now.
    accepts_join_requests: Callable[[Any], bool] = lambda organisation: True
    #: Order of the member list.
    member_order: tuple[str, ...] = ("user__last_name", "user__email")
    join_request_notification: type | None = None
    invitation_max_age_days: int = 14
    registration_max_age_days: int = 7

    @property
    def membership_model(self) -> type[models.Model]:
        return self.organisation_model.memberships.rel.related_model

    @property
    def invitation_model(self) -> type[models.Model]:
        return self.organisation_model.invitations.rel.related_model

    @property
    def registration_model(self) -> type[models.Model]:
        return self.organisation_model.registration.related.related_model

    @property
    def organisation_field(self) -> str:
        """The organisation's foreign key on the membership, invitation and registration."""
        return self.organisation_model.memberships.field.name

    @property
    def invitation_salt(self) -> str:
        return f"immersio.{self.app}.invitation"

    @property
    def registration_salt(self) -> str:
        return f"immersio.{self.app}.registration"

    @property
    def invitation_url_name(self) -> str:
        return f"{self.app}:invitation"

    @property
    def registration_url_name(self) -> str:
        return f"{self.app}:confirm"

    @property
    def remove_url_name(self) -> str:
        return f"{self.app}:remove_member"

    @property
    def revoke_url_name(self) -> str:
        return f"{self.app}:revoke_invitation"

    def invitation_url(self, invitation: models.Model) -> PersonalLink:
        """The personal link that accepts ``invitation``."""
        return signed_url(
            self.invitation_url_name, invitation.public_id, salt=self.invitation_salt, key="i"
        )

    def registration_url(self, registration: models.Model) -> PersonalLink:
        """The personal link that confirms ``registration``."""
        return signed_url(
            self.registration_url_name, registration.public_id, salt=self.registration_salt, key="r"
        )

    def invitation_email(self, invitation: models.Model) -> Notification:
        """The e-mail that sends ``invitation`` with its link."""
        return self.invitation_notification(
            invitation=invitation,
            accept_url=self.invitation_url(invitation),
            max_age_days=self.invitation_max_age_days,
        )

    def registration_email(self, registration: models.Model) -> Notification:
        """The e-mail that asks the registrant to confirm ``registration``."""
        return self.registration_notification(
            registration=registration,
            confirm_url=self.registration_url(registration),
            max_age_days=self.registration_max_age_days,
        )

    def read_invitation_token(self, token: str) -> models.Model:
        """The open invitation a link is for, without using it."""
        from .selectors import read_invitation_token

        return read_invitation_token(self, token)

    def read_registration_token(self, token: str) -> models.Model:
        """The registration a confirmation link is for, without using it."""
        from .selectors import read_registration_token

        return read_registration_token(self, token)

    @property
    def roles(self) -> type[models.TextChoices]:
        return self.membership_model.Role

    @property
    def admin_role(self) -> str:
        return self.roles.ADMIN

    def organisation_of(self, row: models.Model) -> Any:
        return getattr(row, self.organisation_field)

    def of(self, organisation: Any) -> dict[str, Any]:
        """Keyword filter selecting the rows of ``organisation``."""
        return {self.organisation_field: organisation}
