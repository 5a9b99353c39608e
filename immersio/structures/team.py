"""The team of a host structure, as ``teams`` sees it: its models, roles, links, e-mails
and who manages it. The team logic itself is ``teams.services``."""

from immersio.teams.kinds import TeamKind

from . import access
from .errors import LAST_ADMIN_MESSAGE, StructureError
from .models import HostStructure, StructureMembership
from .notifications import (
    InvitationNotification,
    JoinRequestNotification,
    RegistrationConfirmNotification,
)

Status = HostStructure.Status

TEAM = TeamKind(
    organisation_model=HostStructure,
    error=StructureError,
    last_admin_message=LAST_ADMIN_MESSAGE,
    can_manage=access.can_manage_team,
    invite_refusal=lambda structure: None,
    accepts_members=lambda structure: structure.status != Status.CLOSED,
    accepts_join_requests=lambda structure: structure.status not in (Status.CLOSED, Status.PENDING),
    registration_used=lambda registration: registration.structure.status != Status.PENDING,
    invitation_notification=InvitationNotification,
    registration_notification=RegistrationConfirmNotification,
    join_request_notification=JoinRequestNotification,
    app="structures",
    team_url_name="structures:team",
    member_order=("role", "user__last_name", "user__email"),
    roles_intro=(
        "Les administrateurs modifient tout et gèrent l'équipe ; les contacts voient les "
        "demandes reçues et peuvent mettre la structure en pause."
    ),
    join_intro=(
        "Cette structure est déjà référencée. Laissez vos coordonnées : nous transmettons "
        "votre demande à son équipe, qui pourra vous inviter. Nous ne vous communiquons pas "
        "qui la compose."
    ),
    join_help_hint="en indiquant le SIRET de la structure",
    role_help={
        StructureMembership.Role.ADMIN: (
            "vous pourrez modifier les informations de la structure et gérer son équipe."
        ),
        StructureMembership.Role.CONTACT: (
            "vous verrez les demandes reçues et pourrez mettre la structure en pause."
        ),
    },
)


# The links of this kind, for the views, services and previews of the app.
registration_url = TEAM.registration_url
read_registration_token = TEAM.read_registration_token
invitation_url = TEAM.invitation_url
read_invitation_token = TEAM.read_invitation_token
