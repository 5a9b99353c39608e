"""Convention services refusing an unauthorised actor (run by
tests/core/test_service_actors)."""

from django.core import signing

from immersio.conventions import lifecycle, services
from immersio.conventions.models import ConventionInvitation
from immersio.conventions.transitions import Action, Role
from immersio.core.actors import COMMAND, TASK
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.conventions.builders import valid_convention
from tests.conventions.lifecycle_helpers import sent_convention
from tests.core.service_case import Case
from tests.fixtures.contacts import ContactRequestFactory


def _draft_from_someone_elses_request():
    return {"from_request": ContactRequestFactory(answered=True)}, UserFactory()


def _renewal_by_a_stranger():
    parent = valid_convention()
    lifecycle.submit(convention=parent, actor=COMMAND)
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


def _signatory():
    sent = sent_convention()
    return sent, sent.signatory(Role.BENEFICIARY)


def _link_used_by_a_person():
    # Only the holder of the personal link acts (AUTOMATIC), never an account.
    _sent, signatory = _signatory()
    return {"signatory": signatory, "version": 1}, UserFactory()


def _signature_by_a_person():
    _sent, signatory = _signatory()
    return {
        "signatory": signatory,
        "version": 1,
        "code": "123456",
        "confirmed": True,
        "ip": "",
        "user_agent": "",
    }, UserFactory(email=signatory.email)


def _decline_by_a_person():
    _sent, signatory = _signatory()
    return {"signatory": signatory, "version": 1, "reason": "Non."}, UserFactory()


def _renewal_by_a_person():
    _sent, signatory = _signatory()
    return {"signatory": signatory}, TASK


def _resend_by_a_stranger():
    _sent, signatory = _signatory()
    return {"signatory": signatory}, UserFactory()


def _paper_by_a_stranger():
    _sent, signatory = _signatory()
    return {"signatory": signatory, "version": 1, "scan": b"%PDF", "filename": "a.pdf"}, (
        UserFactory()
    )


def _request_by_a_stranger():
    sent, _signatory_row = _signatory()
    return {"convention": sent.convention, "reason": "Changer."}, UserFactory()


def _decision_by_a_stranger():
    sent, _signatory_row = _signatory()
    return {
        "convention": sent.convention,
        "action": Action.REFUSE,
        "reason": "Non.",
    }, UserFactory()


def _transfer_by_a_stranger():
    sent, _signatory_row = _signatory()
    return {
        "convention": sent.convention,
        "agency": AgencyFactory(),
        "reason": "Autre agence.",
    }, UserFactory()


def _correction_by_a_stranger():
    sent, _signatory_row = _signatory()
    return {
        "convention": sent.convention,
        "data": {"tutor_email": "x@exemple.fr"},
        "reason": "Coquille.",
    }, UserFactory()


def _second_by_a_stranger():
    sent, _signatory_row = _signatory()
    return {
        "convention": sent.convention,
        "name": "Dominique",
        "email": "dgs@exemple.fr",
        "phone": "",
    }, UserFactory()


def _amendment_by_a_stranger():
    sent, _signatory_row = _signatory()
    return {"convention": sent.convention, "reason": "Le tuteur change."}, UserFactory()


def _job_by_a_person():
    return {}, UserFactory(is_staff=True)


def _document_by_a_person():
    sent, _signatory_row = _signatory()
    return {"version": sent.convention.versions.get()}, UserFactory(is_staff=True)


def _sensitive_access_by_another_agency():
    # Only the convention's agency (or the team) may write that they opened its fields.
    stranger = UserFactory()
    AgencyFactory(validator=stranger)
    args = {"convention": sent_convention().convention, "role": "agency", "reason": "Suivi"}
    return args, stranger


CASES = [
    Case(
        "immersio.conventions.services.record_sensitive_access",
        build=_sensitive_access_by_another_agency,
    ),
    Case("immersio.conventions.services.start_draft", build=_draft_from_someone_elses_request),
    Case("immersio.conventions.services.start_renewal", build=_renewal_by_a_stranger),
    Case("immersio.conventions.services.save_step", build=_step_by_a_stranger),
    Case("immersio.conventions.services.can_start_draft", build=_draft_count_by_a_task),
    Case("immersio.conventions.services.invite", build=_invitation_by_a_stranger),
    Case("immersio.conventions.services.accept_invitation", build=_invitation_used_by_a_task),
    Case("immersio.conventions.lifecycle.submit", build=_submission_by_a_stranger),
    Case("immersio.conventions.lifecycle.send_code", build=_link_used_by_a_person),
    Case("immersio.conventions.lifecycle.sign", build=_signature_by_a_person),
    Case("immersio.conventions.lifecycle.decline", build=_decline_by_a_person),
    Case("immersio.conventions.lifecycle.renew_link", build=_renewal_by_a_person),
    Case("immersio.conventions.lifecycle.resend_link", build=_resend_by_a_stranger),
    Case("immersio.conventions.lifecycle.record_paper_signature", build=_paper_by_a_stranger),
    Case("immersio.conventions.lifecycle.request_change", build=_request_by_a_stranger),
    Case("immersio.conventions.lifecycle.decide", build=_decision_by_a_stranger),
    Case("immersio.conventions.lifecycle.transfer", build=_transfer_by_a_stranger),
    Case("immersio.conventions.lifecycle.correct", build=_correction_by_a_stranger),
    Case("immersio.conventions.lifecycle.add_host_signatory", build=_second_by_a_stranger),
    Case("immersio.conventions.lifecycle.start_amendment", build=_amendment_by_a_stranger),
    Case("immersio.conventions.lifecycle.make_obsolete_overdue", build=_job_by_a_person),
    Case("immersio.conventions.lifecycle.send_signature_reminders", build=_job_by_a_person),
    Case("immersio.conventions.documents.store_document", build=_document_by_a_person),
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
    "immersio.conventions.documents.evidence": "lists the signatures of a convention",
    "immersio.conventions.documents.render": "renders a PDF in memory, stores nothing",
}
