"""The team logic, once, for both organisation kinds (host structures, agencies)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from immersio.accounts.hooks import landing_pages
from immersio.core.actors import AUTOMATIC, COMMAND, TASK, VISITOR
from immersio.notifications.models import OutboundEmail
from immersio.teams import selectors, services
from immersio.teams.errors import (
    AlreadyMember,
    LastAdminError,
    LinkAlreadyUsed,
    LinkInvalid,
    NotMember,
    TeamError,
)
from tests.accounts.factories import UserFactory
from tests.teams.kinds import KINDS

pytestmark = [pytest.mark.django_db, pytest.mark.parametrize("spec", KINDS, ids=str)]


def active(spec, organisation, user):
    return selectors.membership_of(spec.kind, user, organisation)


def test_an_invitation_is_accepted_once_with_its_role(spec):
    team = spec.make_team()
    assert OutboundEmail.objects.filter(recipient="invitee@exemple.fr").count() == 1
    assert team.invitation.invited_by == team.admin
    membership = services.accept_invitation(spec.kind, token=team.invitation_token, actor=AUTOMATIC)
    assert membership.user.email == "invitee@exemple.fr"
    assert membership.role == spec.member_role
    assert membership.invited_by == team.admin
    with pytest.raises(LinkAlreadyUsed):
        services.accept_invitation(spec.kind, token=team.invitation_token, actor=AUTOMATIC)


def test_a_new_invitation_replaces_the_open_one_and_members_are_not_invited(spec):
    team = spec.make_team()
    services.invite_member(
        spec.kind,
        organisation=team.organisation,
        email="Invitee@Exemple.fr",
        role=spec.kind.admin_role,
        actor=team.admin,
    )
    with pytest.raises(LinkInvalid):
        services.accept_invitation(spec.kind, token=team.invitation_token, actor=AUTOMATIC)
    with pytest.raises(AlreadyMember):
        services.invite_member(
            spec.kind,
            organisation=team.organisation,
            email=team.member.email.upper(),
            role=spec.member_role,
            actor=team.admin,
        )
    with pytest.raises(spec.kind.error, match="Choisissez un rôle"):
        services.invite_member(
            spec.kind,
            organisation=team.organisation,
            email="x@exemple.fr",
            role="chef",
            actor=team.admin,
        )


def test_an_administrator_accepting_an_older_invitation_keeps_their_role(spec):
    team = spec.make_team()
    invitee = UserFactory(email="invitee@exemple.fr")
    spec.kind.membership_model.objects.create(
        **spec.kind.of(team.organisation), user=invitee, role=spec.kind.admin_role
    )
    membership = services.accept_invitation(spec.kind, token=team.invitation_token, actor=invitee)
    assert membership.user == invitee and membership.role == spec.kind.admin_role


def test_links_are_refused_to_tasks_and_commands_and_die_with_the_organisation(spec):
    team = spec.make_team()
    for system in (TASK, COMMAND):
        with pytest.raises(PermissionDenied):
            services.accept_invitation(spec.kind, token=team.invitation_token, actor=system)
    with pytest.raises(TypeError):
        services.accept_invitation(spec.kind, token=team.invitation_token, actor=None)
    spec.closed(team.organisation)
    with pytest.raises(LinkInvalid):
        services.accept_invitation(spec.kind, token=team.invitation_token, actor=AUTOMATIC)


def test_a_revoked_invitation_no_longer_works(spec):
    team = spec.make_team()
    with pytest.raises(PermissionDenied):
        services.revoke_invitation(spec.kind, invitation=team.invitation, actor=team.member)
    services.revoke_invitation(spec.kind, invitation=team.invitation, actor=team.admin)
    assert not selectors.open_invitations(spec.kind, team.organisation).exists()
    with pytest.raises(LinkInvalid):
        services.accept_invitation(spec.kind, token=team.invitation_token, actor=AUTOMATIC)


def test_removal_leaving_and_the_last_administrator(spec):
    team = spec.make_team()
    other = UserFactory()
    with pytest.raises(PermissionDenied):
        services.remove_member(
            spec.kind, organisation=team.organisation, user=team.admin, actor=team.member
        )
    with pytest.raises(LastAdminError) as refused:
        services.remove_member(
            spec.kind, organisation=team.organisation, user=team.admin, actor=team.admin
        )
    assert refused.value.message == spec.kind.last_admin_message
    assert isinstance(refused.value, TeamError)
    with pytest.raises(NotMember):
        services.remove_member(
            spec.kind, organisation=team.organisation, user=other, actor=team.admin
        )
    # Anyone may leave.
    services.remove_member(
        spec.kind, organisation=team.organisation, user=team.member, actor=team.member
    )
    assert active(spec, team.organisation, team.member) is None
    assert active(spec, team.organisation, team.admin) is not None


def test_changing_a_role_keeps_an_administrator(spec):
    team = spec.make_team()
    with pytest.raises(PermissionDenied):
        services.change_role(
            spec.kind,
            organisation=team.organisation,
            user=team.member,
            role=spec.kind.admin_role,
            actor=team.member,
        )
    with pytest.raises(LastAdminError):
        services.change_role(
            spec.kind,
            organisation=team.organisation,
            user=team.admin,
            role=spec.member_role,
            actor=team.admin,
        )
    services.change_role(
        spec.kind,
        organisation=team.organisation,
        user=team.member,
        role=spec.kind.admin_role,
        actor=team.admin,
    )
    demoted = services.change_role(
        spec.kind,
        organisation=team.organisation,
        user=team.admin,
        role=spec.member_role,
        actor=team.member,
    )
    assert demoted.role == spec.member_role
    assert selectors.active_admins(spec.kind, team.organisation) == [team.member]


def test_members_are_found_by_their_public_uuid_only(spec):
    team = spec.make_team()
    found = selectors.member(spec.kind, team.organisation, team.member.public_id)
    assert found.user == team.member
    assert {m.user for m in selectors.members(spec.kind, team.organisation)} == {
        team.admin,
        team.member,
    }


def test_join_requests_reach_the_administrators_where_the_kind_takes_them(spec):
    team = spec.make_team()
    ask = {
        "organisation": team.organisation,
        "email": "Eve@Exemple.fr",
        "name": " Eve ",
        "message": "Bonjour",
    }
    with pytest.raises(PermissionDenied):
        services.request_to_join(spec.kind, **ask, actor=TASK)
    if spec.kind.join_request_notification is None:
        with pytest.raises(spec.kind.error):
            services.request_to_join(spec.kind, **ask, actor=VISITOR)
        return
    assert services.request_to_join(spec.kind, **ask, actor=VISITOR) == 1
    assert OutboundEmail.objects.filter(recipient=team.admin.email).count() == 1


def test_a_member_lands_in_the_team_space_of_their_kind_after_logging_in(spec):
    team = spec.make_team()
    space = reverse(f"{spec.kind.app}:space")

    assert selectors.landing_page(spec.kind, team.member) == space
    assert selectors.landing_page(spec.kind, UserFactory()) is None
    assert space in [landing(team.member) for landing in landing_pages]
