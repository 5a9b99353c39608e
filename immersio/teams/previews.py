"""Examples of the team e-mails of any kind (see ``immersio.notifications.previews``): each
kind's ``previews`` module gives its organisation and people."""

from typing import Any

from .kinds import TeamKind
from .notifications import TeamInvitationNotification


def invitation_example(
    kind: TeamKind, organisation: Any, *, inviter: Any, email: str, role: str
) -> TeamInvitationNotification:
    invitation = kind.invitation_model.objects.create(
        **kind.of(organisation), email=email, invited_by=inviter, role=role
    )
    return kind.invitation_email(invitation)
