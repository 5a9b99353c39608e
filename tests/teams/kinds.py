"""The two organisation kinds whose teams ``teams`` runs, with what the shared tests need
to build a team of each: ``KINDS`` to parametrise over."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from immersio.agencies.team import TEAM as AGENCY_TEAM
from immersio.structures.team import TEAM as STRUCTURE_TEAM
from immersio.teams import selectors, services
from immersio.teams.kinds import TeamKind
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.structures.factories import HostStructureFactory


@dataclass
class Team:
    organisation: Any
    admin: Any
    member: Any
    invitation: Any
    invitation_token: str


@dataclass(frozen=True)
class KindSpec:
    kind: TeamKind
    member_role: str
    factory: Callable[..., Any]
    closed: Callable[[Any], None]

    def __str__(self) -> str:
        return self.kind.organisation_field

    def make_team(self) -> Team:
        """An organisation with one administrator, one member and an open invitation."""
        admin, member = UserFactory(), UserFactory()
        organisation = self.factory()
        memberships = self.kind.membership_model.objects
        memberships.create(**self.kind.of(organisation), user=admin, role=self.kind.admin_role)
        memberships.create(**self.kind.of(organisation), user=member, role=self.member_role)
        invitation = services.invite_member(
            self.kind,
            organisation=organisation,
            email="invitee@exemple.fr",
            role=self.member_role,
            actor=admin,
        )
        token = selectors.invitation_url(self.kind, invitation).split("jeton=")[1]
        return Team(organisation, admin, member, invitation, token)


def _close(organisation: Any) -> None:
    organisation.status = "fermee"
    organisation.save(update_fields=["status"])


KINDS = [
    KindSpec(STRUCTURE_TEAM, "contact", HostStructureFactory, _close),
    KindSpec(AGENCY_TEAM, "conseiller", AgencyFactory, _close),
]
