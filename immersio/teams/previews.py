"""Examples of the team e-mails of any kind (see ``immersio.notifications.previews``): each
kind's ``previews`` module gives its organisation and people."""

from typing import Any

from .kinds import TeamKind
from .notifications import TeamInvitationNotification, TeamRegistrationConfirmNotification


def invitation_example(
    kind: TeamKind, organisation: Any, *, inviter: Any, email: str, role: str
) -> TeamInvitationNotification:
    invitation = kind.invitation_model.objects.create(
        **kind.of(organisation), email=email, invited_by=inviter, role=role
    )
    return kind.invitation_notification(
        invitation=invitation,
        accept_url=kind.invitation_url(invitation),
        max_age_days=kind.invitation_max_age_days,
    )


def registration_example(kind: TeamKind, registration: Any) -> TeamRegistrationConfirmNotification:
    return kind.registration_notification(
        registration=registration,
        confirm_url=kind.registration_url(registration),
        max_age_days=kind.registration_max_age_days,
    )
