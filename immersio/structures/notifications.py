"""E-mails about host structures. Templates: ``structures/email/<kind>.txt`` and ``.html``
(they extend the shared ``notifications/email/base.*``)."""

from django.urls import reverse

from immersio.notifications.base import (
    Notification,
    Recipient,
    absolute_url,
    is_verified_address,
)
from immersio.teams.notifications import (
    TeamInvitationNotification,
    TeamRegistrationConfirmNotification,
)

from .selectors import active_admins


class StructureNotification(Notification):
    template_dir = "structures/email"


class RegistrationConfirmNotification(TeamRegistrationConfirmNotification):
    kind = "structure_registration_confirm"
    team = "structure"
    subject = "Confirmez le référencement de votre structure sur {{ platform_name }}"
    reason = (
        "Vous recevez cet e-mail parce que cette adresse a été donnée pour référencer une "
        "structure d'accueil sur Immersio."
    )


class InvitationNotification(TeamInvitationNotification):
    kind = "structure_invitation"
    team = "structure"
    reason = (
        "Vous recevez cet e-mail parce qu'une personne de l'équipe de cette structure vous a "
        "invité à la rejoindre sur Immersio."
    )


class JoinRequestNotification(StructureNotification):
    kind = "structure_join_request"
    subject = "Demande pour rejoindre l'équipe de {{ structure_name }}"
    reason = (
        "Vous recevez cet e-mail parce que vous administrez cette structure sur Immersio et "
        "qu'une personne a demandé à rejoindre son équipe."
    )

    def __init__(self, *, structure, admins, email: str, name: str, message: str):
        self.structure = structure
        self.admins = list(admins)
        self.email = email
        self.name = name
        self.message = message

    def get_recipients(self):
        return [Recipient(email=user.email, name=user.get_full_name()) for user in self.admins]

    def get_context(self, recipient):
        # The requester has not proved their address: their name and message go only to
        # administrators who proved theirs.
        proven = is_verified_address(recipient.email)
        return {
            "structure_name": self.structure.display_name,
            "proven_recipient": proven,
            "requester_name": self.name if proven else "",
            "requester_email": self.email,
            "message": self.message if proven else "",
            "team_url": absolute_url(
                reverse("structures:team", kwargs={"public_id": self.structure.public_id})
            ),
        }

    def get_reply_to(self, recipient):
        return self.email


class SiretConfirmedNotification(StructureNotification):
    kind = "structure_siret_confirmed"
    subject = "{{ structure_name }} est publiée sur {{ platform_name }}"
    reason = "Vous recevez cet e-mail parce que vous administrez cette structure sur Immersio."

    def __init__(self, *, structure):
        self.structure = structure

    def get_recipients(self):
        return [
            Recipient(email=user.email, name=user.get_full_name())
            for user in active_admins(self.structure)
        ]

    def get_context(self, recipient):
        return {
            "structure_name": self.structure.display_name,
            "dashboard_url": absolute_url(
                reverse("structures:dashboard", kwargs={"public_id": self.structure.public_id})
            ),
        }
