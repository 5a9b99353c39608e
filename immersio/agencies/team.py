"""The team of an agency, as ``teams`` sees it: its models, roles, links, e-mails and who
manages it. The team logic itself is ``teams.services``."""

from immersio.core.links import PersonalLink
from immersio.teams import selectors as teams
from immersio.teams.kinds import TeamKind

from . import access
from .errors import LAST_ADMIN_MESSAGE, AgencyError
from .models import Agency, AgencyInvitation, AgencyMembership, AgencyRegistration
from .notifications import InvitationNotification, RegistrationConfirmNotification

Status = Agency.Status

TEAM = TeamKind(
    organisation_field="agency",
    organisation_model=Agency,
    membership_model=AgencyMembership,
    invitation_model=AgencyInvitation,
    registration_model=AgencyRegistration,
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
    invitation_salt="immersio.agencies.invitation",
    invitation_url_name="agencies:invitation",
    registration_salt="immersio.agencies.registration",
    registration_url_name="agencies:confirm",
    team_url_name="agencies:space_agency",
    remove_url_name="agencies:remove_member",
    revoke_url_name="agencies:revoke_invitation",
)


def registration_url(registration: AgencyRegistration) -> PersonalLink:
    return teams.registration_url(TEAM, registration)


def read_registration_token(token: str) -> AgencyRegistration:
    """The registration a confirmation link is for, without using it."""
    return teams.read_registration_token(TEAM, token)


def invitation_url(invitation: AgencyInvitation) -> PersonalLink:
    return teams.invitation_url(TEAM, invitation)


def read_invitation_token(token: str) -> AgencyInvitation:
    """The open invitation a link is for, without using it."""
    return teams.read_invitation_token(TEAM, token)
