"""Every public function of ``teams.services`` refuses an unauthorised actor, for both
organisation kinds (``tests/core/test_service_actors.py`` runs these cases)."""

from operator import attrgetter

from immersio.core.actors import COMMAND, TASK
from tests.core.service_case import Case
from tests.teams.kinds import KINDS

T = "immersio.teams.services."

MEMBER = attrgetter("member")
ADMIN = attrgetter("admin")
ORGANISATION = attrgetter("organisation")


def _on_a_team(spec, actor, **arguments):
    """A case on a fresh team of ``spec``: the actor and the arguments that are getters
    (``MEMBER``, ``ORGANISATION``…) are read from that team."""

    def build():
        team = spec.make_team()
        kwargs = {
            name: value(team) if isinstance(value, attrgetter) else value
            for name, value in arguments.items()
        }
        return {"kind": spec.kind, **kwargs}, actor(team) if isinstance(
            actor, attrgetter
        ) else actor

    return build


CASES = [
    case
    for spec in KINDS
    for case in (
        Case(
            T + "invite_member",
            build=_on_a_team(
                spec,
                MEMBER,
                organisation=ORGANISATION,
                email="eve@exemple.fr",
                role=spec.kind.admin_role,
            ),
        ),
        Case(
            T + "accept_invitation",
            build=_on_a_team(spec, TASK, token=attrgetter("invitation_token")),
        ),
        Case(
            T + "revoke_invitation",
            build=_on_a_team(spec, MEMBER, invitation=attrgetter("invitation")),
        ),
        Case(
            T + "change_role",
            build=_on_a_team(
                spec, MEMBER, organisation=ORGANISATION, user=ADMIN, role=spec.member_role
            ),
        ),
        Case(
            T + "remove_member",
            build=_on_a_team(spec, MEMBER, organisation=ORGANISATION, user=ADMIN),
        ),
        Case(
            T + "request_to_join",
            build=_on_a_team(
                spec,
                COMMAND,
                organisation=ORGANISATION,
                email="eve@exemple.fr",
                name="Eve",
                message="",
            ),
        ),
    )
]

READ_ONLY = {
    "immersio.teams.services.require_link_holder": "checks who uses a link, changes nothing",
    "immersio.teams.services.require_visitor": "checks who fills in a form, changes nothing",
}
