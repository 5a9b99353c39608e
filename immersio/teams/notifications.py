"""The two e-mails of a team, one class each for every kind of organisation: the
invitation to join a team, and the link that confirms the registration of an organisation.
Templates: ``teams/email/invitation.*`` and ``teams/email/registration_confirm.*``; their
words follow ``team`` (``agency``, ``structure``). Each kind's app declares a subclass with
its ``kind`` (the stored name of the e-mail), its ``team`` and why the person receives it."""

from typing import ClassVar

from immersio.notifications.base import Notification, Recipient


class TeamNotification(Notification):
    template_dir = "teams/email"
    #: Which words the templates use: ``agency`` or ``structure``.
    team: ClassVar[str] = ""
    # Each subclass names its ``template`` in ``teams/email``, the same for every kind.
    sensitive = True


class TeamInvitationNotification(TeamNotification):
    template = "invitation"
    subject = "Rejoignez l'équipe de {{ organisation_name }} sur {{ platform_name }}"

    def __init__(self, *, invitation, accept_url: str, max_age_days: int):
        self.invitation = invitation
        self.accept_url = accept_url
        self.max_age_days = max_age_days

    def get_recipients(self) -> list[Recipient]:
        return [Recipient(email=self.invitation.email)]

    def get_context(self, recipient: Recipient) -> dict:
        invitation = self.invitation
        inviter = invitation.invited_by
        return {
            "team": self.team,
            "organisation_name": invitation.organisation.display_name,
            "inviter_name": inviter.get_full_name() if inviter else "",
            "role_label": invitation.get_role_display().lower(),
            "is_admin": invitation.role == "admin",
            "accept_url": self.accept_url,
            "max_age_days": self.max_age_days,
        }


class TeamRegistrationConfirmNotification(TeamNotification):
    # The address has not proved itself yet: nothing typed in the form (names) is sent.
    template = "registration_confirm"

    def __init__(self, *, registration, confirm_url: str, max_age_days: int):
        self.registration = registration
        self.confirm_url = confirm_url
        self.max_age_days = max_age_days

    def get_recipients(self) -> list[Recipient]:
        return [Recipient(email=self.registration.email)]

    def get_context(self, recipient: Recipient) -> dict:
        return {
            "team": self.team,
            "siret": self.registration.organisation.siret,
            "confirm_url": self.confirm_url,
            "max_age_days": self.max_age_days,
        }
