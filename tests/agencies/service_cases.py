"""Every public function of ``agencies.services`` refuses an unauthorised actor
(``tests/core/test_service_actors.py`` runs these cases)."""

from immersio.agencies import services, team
from immersio.agencies.models import Agency
from immersio.core.actors import COMMAND, TASK
from immersio.demo.agencies import agency_siret
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.core.service_case import Case
from tests.structures.factories import lyon

S = "immersio.agencies.services."


def _team():
    """An active agency with an administrator, a counsellor and an open invitation."""
    admin, counsellor = UserFactory(), UserFactory()
    agency = AgencyFactory(admin=admin, counsellor=counsellor)
    invitation = services.invite_member(
        agency=agency, email="invitee@exemple.fr", role="conseiller", actor=admin
    )
    return agency, admin, counsellor, invitation


def _applicant():
    return services.Applicant(email="anne@ml-plateau.fr", first_name="Anne", last_name="Vidal")


def _fields():
    return {
        "kind": Agency.Kind.MISSION_LOCALE,
        "name": "Mission locale du Plateau",
        "address": "3 place Sathonay",
        "contact_email": "contact@ml-plateau.fr",
    }


def _start_registration_by_a_task():
    kwargs = {
        "siret": agency_siret(77),
        "commune": lyon(),
        "fields": _fields(),
        "applicant": _applicant(),
    }
    return kwargs, TASK


def _confirm_registration_by_a_command():
    registration = services.start_registration(
        siret=agency_siret(78),
        commune=lyon(),
        fields=_fields(),
        applicant=_applicant(),
        actor=UserFactory(),
    )
    return {"token": team.registration_url(registration).split("jeton=")[1]}, COMMAND


def _activate_by_an_admin():
    admin = UserFactory()
    agency = AgencyFactory(admin=admin, status=Agency.Status.PENDING)
    return {"agency": agency}, admin


def _reject_by_an_admin():
    admin = UserFactory()
    agency = AgencyFactory(admin=admin, status=Agency.Status.PENDING)
    return {"agency": agency, "reason": "Non"}, admin


def _reminders_by_an_admin():
    _agency, admin, *_ = _team()
    return {"dry_run": False}, admin


def _invite_by_a_counsellor():
    agency, _admin, counsellor, _invitation = _team()
    return {"agency": agency, "email": "eve@exemple.fr", "role": "administrateur"}, counsellor


def _accept_by_a_task():
    _agency, _admin, _counsellor, invitation = _team()
    return {"token": team.invitation_url(invitation).split("jeton=")[1]}, TASK


def _revoke_by_a_counsellor():
    _agency, _admin, counsellor, invitation = _team()
    return {"invitation": invitation}, counsellor


def _change_role_by_a_counsellor():
    agency, admin, counsellor, _invitation = _team()
    return {"agency": agency, "user": admin, "role": "conseiller"}, counsellor


def _remove_by_a_counsellor():
    agency, admin, counsellor, _invitation = _team()
    return {"agency": agency, "user": admin}, counsellor


CASES = [
    Case(S + "start_registration", build=_start_registration_by_a_task),
    Case(S + "confirm_registration", build=_confirm_registration_by_a_command),
    Case(S + "activate_agency", build=_activate_by_an_admin),
    Case(S + "reject_agency", build=_reject_by_an_admin),
    Case(S + "send_delegation_reminders", build=_reminders_by_an_admin),
    Case(S + "invite_member", build=_invite_by_a_counsellor),
    Case(S + "accept_invitation", build=_accept_by_a_task),
    Case(S + "revoke_invitation", build=_revoke_by_a_counsellor),
    Case(S + "change_role", build=_change_role_by_a_counsellor),
    Case(S + "remove_member", build=_remove_by_a_counsellor),
]

READ_ONLY: dict[str, str] = {}
