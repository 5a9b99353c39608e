"""E-mails about conventions. Templates: ``conventions/email/<kind>.txt`` and ``.html``."""

from immersio.notifications.base import Notification, Recipient

from .models import INVITATION_LIFETIME


class ConventionInvitationNotification(Notification):
    kind = "convention_invitation"
    template_dir = "conventions/email"
    subject = "Complétez une demande de convention d'immersion sur {{ platform_name }}"
    reason = (
        "Vous recevez cet e-mail parce qu'une personne qui prépare une convention "
        "d'immersion vous a invité à la compléter."
    )
    sensitive = True

    def __init__(self, *, invitation, accept_url: str):
        self.invitation = invitation
        self.accept_url = accept_url

    def get_recipients(self):
        return [Recipient(email=self.invitation.email)]

    def get_context(self, recipient):
        inviter = self.invitation.invited_by
        return {
            "inviter_name": (inviter.get_full_name() or inviter.email) if inviter else "",
            "reference": self.invitation.convention.reference,
            "accept_url": self.accept_url,
            "max_age_days": INVITATION_LIFETIME.days,
        }
