"""The assessments' services refuse whoever may not run them (``test_service_actors``)."""

from datetime import timedelta

from django.utils import timezone

from immersio.assessments import services
from immersio.assessments.models import Assessment
from immersio.assessments.rules import Achievement, ObjectiveResult
from immersio.core.actors import AUTOMATIC, TASK, VISITOR
from tests.accounts.factories import UserFactory
from tests.assessments.helpers import completed, ended_convention
from tests.core.service_case import Case

S = "immersio.assessments.services"


def _request_by_a_person():
    ended = ended_convention()
    return {"convention": ended.convention}, ended.counsellor


def _request_due_by_automatic():
    ended_convention()  # something due
    return {}, AUTOMATIC


def _reminders_by_a_person():
    ended = ended_convention(days_ago=12)
    Assessment.objects.create(
        convention=ended.convention, requested_at=timezone.now() - timedelta(days=11)
    )
    return {}, ended.counsellor


def _resend_by_a_stranger():
    ended = ended_convention()
    assessment = Assessment.objects.create(convention=ended.convention, requested_at=timezone.now())
    return {"assessment": assessment}, UserFactory()


def _fill_by_a_stranger():
    ended = ended_convention()
    return {"convention": ended.convention, "answers": completed(ended.convention)}, UserFactory()


def _fill_by_the_beneficiary():
    ended = ended_convention()
    return {"convention": ended.convention, "answers": completed(ended.convention)}, (
        ended.beneficiary
    )


def _filled(ended):
    return services.fill(
        convention=ended.convention, answers=completed(ended.convention), actor=AUTOMATIC
    )


def _cosign_by_the_counsellor():
    ended = ended_convention()
    return {"assessment": _filled(ended), "agrees": True, "comment": ""}, ended.counsellor


def _cosign_by_a_visitor():
    ended = ended_convention()
    return {"assessment": _filled(ended), "agrees": True, "comment": ""}, VISITOR


def _correct_by_the_link():
    ended = ended_convention()
    answers = completed(ended.convention, advice="Autre conseil")
    return {"assessment": _filled(ended), "answers": answers, "reason": "Erreur"}, AUTOMATIC


def _correct_by_the_beneficiary():
    ended = ended_convention()
    answers = completed(ended.convention, advice="Autre conseil")
    return {"assessment": _filled(ended), "answers": answers, "reason": "Erreur"}, (
        ended.beneficiary
    )


def _document_by_the_beneficiary():
    ended = ended_convention()
    assessment = services.cosign(
        assessment=_filled(ended), agrees=True, comment="", actor=AUTOMATIC
    )
    return {"assessment": assessment}, ended.beneficiary


def _not_met(ended):
    c = ended.convention
    objectives = c.objective_list()
    answers = completed(
        c,
        objectives=tuple(
            ObjectiveResult(o, Achievement.NOT_MET if n == 0 else Achievement.MET)
            for n, o in enumerate(objectives)
        ),
    )
    return services.fill(convention=c, answers=answers, actor=AUTOMATIC)


def _renewal_asked_by_the_counsellor():
    ended = ended_convention()
    return {"assessment": _not_met(ended), "message": ""}, ended.counsellor


def _renewal_asked_by_a_task():
    ended = ended_convention()
    return {"assessment": _not_met(ended), "message": ""}, TASK


def _renewal_started_by_the_beneficiary():
    ended = ended_convention()
    _not_met(ended)
    return {"convention": ended.convention}, ended.beneficiary


def _renewal_started_by_the_platform():
    ended = ended_convention()
    _not_met(ended)
    return {"convention": ended.convention}, AUTOMATIC


def _renewal_declined_by_the_beneficiary():
    ended = ended_convention()
    assessment = _not_met(ended)
    services.request_renewal(assessment=assessment, message="", actor=ended.beneficiary)
    return {"assessment": assessment, "reason": "Non."}, ended.beneficiary


def _renewal_declined_by_a_task():
    ended = ended_convention()
    assessment = _not_met(ended)
    services.request_renewal(assessment=assessment, message="", actor=ended.beneficiary)
    return {"assessment": assessment, "reason": "Non."}, TASK


CASES = [
    Case(f"{S}.request_assessment", _request_by_a_person),
    Case(f"{S}.request_due", _request_due_by_automatic),
    Case(f"{S}.send_reminders", _reminders_by_a_person),
    Case(f"{S}.resend_link", _resend_by_a_stranger),
    Case(f"{S}.fill", _fill_by_a_stranger),
    Case(f"{S}.fill", _fill_by_the_beneficiary),
    Case(f"{S}.cosign", _cosign_by_the_counsellor),
    Case(f"{S}.cosign", _cosign_by_a_visitor),
    Case(f"{S}.correct", _correct_by_the_link),
    Case(f"{S}.correct", _correct_by_the_beneficiary),
    Case("immersio.assessments.documents.store_document", _document_by_the_beneficiary),
    Case(f"{S}.request_renewal", _renewal_asked_by_the_counsellor),
    Case(f"{S}.request_renewal", _renewal_asked_by_a_task),
    Case(f"{S}.start_renewal", _renewal_started_by_the_beneficiary),
    Case(f"{S}.start_renewal", _renewal_started_by_the_platform),
    Case(f"{S}.decline_renewal", _renewal_declined_by_the_beneficiary),
    Case(f"{S}.decline_renewal", _renewal_declined_by_a_task),
]

READ_ONLY: dict[str, str] = {}
