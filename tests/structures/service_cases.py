"""Every public function of ``structures.services`` refuses an unauthorised actor
(``tests/core/test_service_actors.py`` runs these cases)."""

from datetime import timedelta

from django.utils import timezone

from immersio.core.actors import COMMAND, TASK, VISITOR
from immersio.structures import services, team
from immersio.structures.models import HostStructure
from tests.accounts.factories import UserFactory
from tests.core.service_case import Case
from tests.structures.factories import HostStructureFactory, lyon, maraicher

S = "immersio.structures.services."


def _team():
    """A published structure with an administrator, a contact and an open invitation."""
    admin, contact = UserFactory(), UserFactory()
    structure = HostStructureFactory(admin=admin, contact=contact)
    invitation = services.invite_member(
        structure=structure, email="invitee@exemple.fr", role="contact", actor=admin
    )
    return structure, admin, contact, invitation


def _registration():
    return services.start_registration(
        siret="73282932000074",
        fields={"name": "Les Jardins", "kind": HostStructure.Kind.ASSOCIATION},
        sites=[
            services.SiteData(
                address="1 rue des Serres", commune=lyon(), appellations=[maraicher()]
            )
        ],
        applicant=services.Applicant(email="ada@exemple.fr", first_name="Ada", last_name="L"),
        actor=VISITOR,
    )


def _start_registration_by_a_task():
    kwargs = {
        "siret": "73282932000074",
        "fields": {"name": "Les Jardins", "kind": HostStructure.Kind.ASSOCIATION},
        "sites": [],
        "applicant": services.Applicant(email="ada@exemple.fr", first_name="A", last_name="L"),
    }
    return kwargs, TASK


def _confirm_registration_by_a_command():
    token = team.registration_url(_registration()).split("jeton=")[1]
    return {"token": token}, COMMAND


def _confirm_siret_by_an_admin():
    admin = UserFactory()
    structure = HostStructureFactory(admin=admin, status=HostStructure.Status.UNVERIFIED)
    return {"structure": structure}, admin


def _update_by_a_contact():
    structure, _admin, contact, _invitation = _team()
    return {"structure": structure, "name": "Autre nom"}, contact


def _sites_by_a_contact():
    structure, _admin, contact, _invitation = _team()
    sites = [services.SiteData(address="2 rue Neuve", commune=lyon())]
    return {"structure": structure, "sites": sites}, contact


def _pause_by_a_stranger():
    structure, *_ = _team()
    return {"structure": structure, "until": timezone.localdate() + timedelta(days=3)}, (
        UserFactory()
    )


def _resume_by_a_stranger():
    structure, *_ = _team()
    return {"structure": structure}, UserFactory()


def _received_by_a_person():
    structure, admin, *_ = _team()
    return {"structure": structure}, admin


def _close_by_a_contact():
    structure, _admin, contact, _invitation = _team()
    return {"structure": structure}, contact


def _suspend_by_an_admin():
    structure, admin, *_ = _team()
    return {"structure": structure}, admin


def _reopen_by_an_admin():
    admin = UserFactory()
    structure = HostStructureFactory(admin=admin, status=HostStructure.Status.SUSPENDED)
    return {"structure": structure}, admin


def _invite_by_a_contact():
    structure, _admin, contact, _invitation = _team()
    return {"structure": structure, "email": "eve@exemple.fr", "role": "admin"}, contact


def _accept_by_a_task():
    _structure, _admin, _contact, invitation = _team()
    return {"token": team.invitation_url(invitation).split("jeton=")[1]}, TASK


def _revoke_by_a_contact():
    _structure, _admin, contact, invitation = _team()
    return {"invitation": invitation}, contact


def _change_role_by_a_contact():
    structure, admin, contact, _invitation = _team()
    return {"structure": structure, "user": admin, "role": "contact"}, contact


def _remove_by_a_contact():
    structure, admin, contact, _invitation = _team()
    return {"structure": structure, "user": admin}, contact


def _join_request_by_a_command():
    structure, *_ = _team()
    return {"structure": structure, "email": "eve@exemple.fr", "name": "Eve", "message": ""}, (
        COMMAND
    )


CASES = [
    Case(S + "start_registration", build=_start_registration_by_a_task),
    Case(S + "confirm_registration", build=_confirm_registration_by_a_command),
    Case(S + "confirm_siret", build=_confirm_siret_by_an_admin),
    Case(S + "update_structure", build=_update_by_a_contact),
    Case(S + "set_sites_and_offers", build=_sites_by_a_contact),
    Case(S + "pause", build=_pause_by_a_stranger),
    Case(S + "resume", build=_resume_by_a_stranger),
    Case(S + "record_request_received", build=_received_by_a_person),
    Case(S + "close_structure", build=_close_by_a_contact),
    Case(S + "suspend_structure", build=_suspend_by_an_admin),
    Case(S + "reopen_structure", build=_reopen_by_an_admin),
    Case(S + "invite_member", build=_invite_by_a_contact),
    Case(S + "accept_invitation", build=_accept_by_a_task),
    Case(S + "revoke_invitation", build=_revoke_by_a_contact),
    Case(S + "change_role", build=_change_role_by_a_contact),
    Case(S + "remove_member", build=_remove_by_a_contact),
    Case(S + "request_to_join", build=_join_request_by_a_command),
]


READ_ONLY: dict[str, str] = {}
