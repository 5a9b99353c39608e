"""Every public function of ``teams.services`` refuses an unauthorised actor, for both
organisation kinds (``tests/core/test_service_actors.py`` runs these cases)."""

from immersio.core.actors import COMMAND, TASK
from tests.core.service_case import Case
from tests.teams.kinds import KINDS

T = "immersio.teams.services."


def _invite_by_a_member(spec):
    def build():
        team = spec.make_team()
        kwargs = {
            "kind": spec.kind,
            "organisation": team.organisation,
            "email": "eve@exemple.fr",
            "role": spec.kind.admin_role,
        }
        return kwargs, team.member

    return build


def _accept_by_a_task(spec):
    def build():
        team = spec.make_team()
        return {"kind": spec.kind, "token": team.invitation_token}, TASK

    return build


def _revoke_by_a_member(spec):
    def build():
        team = spec.make_team()
        return {"kind": spec.kind, "invitation": team.invitation}, team.member

    return build


def _change_role_by_a_member(spec):
    def build():
        team = spec.make_team()
        kwargs = {
            "kind": spec.kind,
            "organisation": team.organisation,
            "user": team.admin,
            "role": spec.member_role,
        }
        return kwargs, team.member

    return build


def _remove_by_a_member(spec):
    def build():
        team = spec.make_team()
        kwargs = {"kind": spec.kind, "organisation": team.organisation, "user": team.admin}
        return kwargs, team.member

    return build


def _join_request_by_a_command(spec):
    def build():
        team = spec.make_team()
        kwargs = {
            "kind": spec.kind,
            "organisation": team.organisation,
            "email": "eve@exemple.fr",
            "name": "Eve",
            "message": "",
        }
        return kwargs, COMMAND

    return build


CASES = [
    case
    for spec in KINDS
    for case in (
        Case(T + "invite_member", build=_invite_by_a_member(spec)),
        Case(T + "accept_invitation", build=_accept_by_a_task(spec)),
        Case(T + "revoke_invitation", build=_revoke_by_a_member(spec)),
        Case(T + "change_role", build=_change_role_by_a_member(spec)),
        Case(T + "remove_member", build=_remove_by_a_member(spec)),
        Case(T + "request_to_join", build=_join_request_by_a_command(spec)),
    )
]

READ_ONLY = {
    "immersio.teams.services.require_link_holder": "checks who uses a link, changes nothing",
    "immersio.teams.services.require_visitor": "checks who fills in a form, changes nothing",
}
