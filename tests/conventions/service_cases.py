"""Convention services refusing an unauthorised actor (run by
tests/core/test_service_actors)."""

from django.core import signing

from immersio.conventions import lifecycle, services
from immersio.conventions.models import ConventionInvitation
from immersio.core.actors import COMMAND, TASK
from tests.accounts.factories import UserFactory
from tests.conventions.builders import valid_convention
from tests.core.service_case import Case
from tests.fixtures.contacts import ContactRequestFactory


def _draft_from_someone_elses_request():
    return {"from_request": ContactRequestFactory(answered=True)}, UserFactory()


def _renewal_by_a_stranger():
    parent = lifecycle.submit(convention=valid_convention(), actor=COMMAND)
    return {"parent": parent}, UserFactory()


def _step_by_a_stranger():
    data = {"tasks": "Autre chose."}
    return {"convention": valid_convention(), "step": "immersion", "data": data}, UserFactory()


def _draft_count_by_a_task():
    # Counts one attempt of a person starting a draft: never the platform's.
    return {"ip": "203.0.113.7"}, TASK


def _invitation_by_a_stranger():
    return {"convention": valid_convention(), "email": "ami@exemple.fr"}, UserFactory()


def _invitation_used_by_a_task():
    invitation = ConventionInvitation.objects.create(
        convention=valid_convention(), email="ami@exemple.fr"
    )
    token = signing.dumps({"invitation": str(invitation.public_id)}, salt=services.INVITATION_SALT)
    return {"token": token}, TASK


def _submission_by_a_stranger():
    return {"convention": valid_convention()}, UserFactory()


def _purge_by_a_person():
    return {"wet_run": True}, UserFactory()


CASES = [
    Case("immersio.conventions.services.start_draft", build=_draft_from_someone_elses_request),
    Case("immersio.conventions.services.start_renewal", build=_renewal_by_a_stranger),
    Case("immersio.conventions.services.save_step", build=_step_by_a_stranger),
    Case("immersio.conventions.services.can_start_draft", build=_draft_count_by_a_task),
    Case("immersio.conventions.services.invite", build=_invitation_by_a_stranger),
    Case("immersio.conventions.services.accept_invitation", build=_invitation_used_by_a_task),
    Case("immersio.conventions.services.submit", build=_submission_by_a_stranger),
    Case("immersio.conventions.services.purge_expired_drafts", build=_purge_by_a_person),
]

READ_ONLY = {
    "immersio.conventions.services.missing": "lists what a convention lacks",
    "immersio.conventions.services.existing_draft": "finds the draft of a request",
    "immersio.conventions.services.to_rule_data": "builds the data the rules read",
    "immersio.conventions.services.violations": "runs the rules",
    "immersio.conventions.services.possible_duplicates": "runs the duplicate rule",
    "immersio.conventions.services.possible_duplicates_of": "runs the duplicate rule on a page",
    "immersio.conventions.services.invitation_url": "describes a link built when the e-mail leaves",
    "immersio.conventions.services.read_invitation": "checks a token, writes nothing",
}
