"""The team of an agency, as ``teams`` sees it: its models, roles, links, e-mails and who
manages it. The team logic itself is ``teams.services``."""

from immersio.teams.kinds import TeamKind

from . import access
from .errors import LAST_ADMIN_MESSAGE, AgencyError
from .models import Agency
from .notifications import InvitationNotification, RegistrationConfirmNotification

Status = Agency.Status

TEAM = TeamKind(
    organisation_model=Agency,
    error=AgencyError,
    last_admin_message=LAST_ADMIN_MESSAGE,
    can_manage=access.can_manage_team,
    invite_refusal=lambda agency: (
        None
        if agency.status == Status.ACTIVE
        else "Vous pourrez inviter votre équipe une fois le prescripteur activé."
    ),
    accepts_members=lambda agency: agency.status == Status.ACTIVE,
    accepts_join_requests=lambda agency: False,
    registration_used=lambda registration: False,
    invitation_notification=InvitationNotification,
    registration_notification=RegistrationConfirmNotification,
    app="agencies",
    team_url_name="agencies:space_agency",
)


# The links of this kind, for the views, services and previews of the app.
registration_url = TEAM.registration_url
read_registration_token = TEAM.read_registration_token
invitation_url = TEAM.invitation_url
read_invitation_token = TEAM.read_invitation_token
