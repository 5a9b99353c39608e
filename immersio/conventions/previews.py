"""Examples of the e-mails about conventions (see ``immersio.notifications.previews``)."""

from immersio.accounts.previews import verified_person
from immersio.notifications.previews import example

from . import notifications, services


@example(notifications.ConventionInvitationNotification)
def convention_invitation():
    inviter = verified_person("ines.martin@exemple.fr", first_name="Inès", last_name="Martin")
    convention = services.start_draft(actor=inviter)
    invitation = convention.invitations.create(email="tuteur@exemple.fr", invited_by=inviter)
    return notifications.ConventionInvitationNotification(
        invitation=invitation, accept_url=services.invitation_url(invitation)
    )
