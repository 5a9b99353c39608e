"""Asking, reminding, filling, co-signing and correcting an assessment."""

from datetime import datetime, time, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from immersio.assessments import services, tasks
from immersio.assessments.models import Assessment, AssessmentEvent, FilledBy
from immersio.assessments.rules import REMINDER_DAYS, Achievement, Outcome
from immersio.conventions.transitions import Status
from immersio.core.actors import AUTOMATIC, COMMAND, TASK
from immersio.notifications.models import OutboundEmail
from tests.assessments.helpers import completed, ended_convention

pytestmark = pytest.mark.django_db


def sent(kind: str, to: str | None = None) -> int:
    rows = OutboundEmail.objects.filter(kind=kind)
    return (rows.filter(recipient=to) if to else rows).count()


def at(day, hour: int = 7, minute: int = 0):
    moment = timezone.make_aware(datetime.combine(day, time(hour, minute)))
    return time_machine.travel(moment, tick=False)


def test_the_last_day_asks_the_tutor_and_tells_the_beneficiary_once():
    ended = ended_convention()
    c = ended.convention
    assert services.request_due(actor=TASK).count == 1
    assert sent("assessment_tutor_request", c.tutor_email) == 1
    assert sent("assessment_beneficiary_coming", c.beneficiary_email) == 1
    assert services.request_due(actor=TASK).count == 0
    assert sent("assessment_tutor_request") == 1
    assert ended.assessment().events.get().action == AssessmentEvent.Action.REQUESTED


def test_only_validated_conventions_that_ended_are_asked():
    future = ended_convention(days_ago=-1)
    refused = ended_convention(status=Status.REFUSED)
    too_old = ended_convention(days_ago=30)
    assert services.request_due(actor=TASK).count == 0
    assert services.request_assessment(convention=future.convention, actor=TASK) is None
    assert services.request_assessment(convention=refused.convention, actor=TASK) is None
    assert not Assessment.objects.exists()
    assert services.request_assessment(convention=too_old.convention, actor=COMMAND) is not None


def test_reminders_at_three_and_ten_days_once_each_the_last_one_to_the_counsellor():
    ended = ended_convention()
    start = timezone.localdate()
    with at(start):
        services.request_due(actor=TASK)
    tutor = ended.convention.tutor_email
    first, last = REMINDER_DAYS
    with at(start + timedelta(days=first - 1)):
        assert services.send_reminders(actor=TASK).count == 0
    with at(start + timedelta(days=first)):
        assert services.send_reminders(actor=TASK).count == 1
        assert services.send_reminders(actor=TASK).count == 0
    assert sent("assessment_tutor_request", tutor) == 2
    assert sent("assessment_agency_reminder") == 0
    with at(start + timedelta(days=last - 1)):
        assert services.send_reminders(actor=TASK).count == 0
    with at(start + timedelta(days=last)):
        assert services.send_reminders(actor=TASK).count == 1
    with at(start + timedelta(days=last + 5)):
        assert services.send_reminders(actor=TASK).count == 0
    assert sent("assessment_tutor_request", tutor) == 3
    assert sent("assessment_agency_reminder", ended.convention.counsellor_email) == 1


def test_no_reminder_once_filled():
    ended = ended_convention()
    start = timezone.localdate()
    with at(start):
        services.request_due(actor=TASK)
        services.fill(
            convention=ended.convention, answers=completed(ended.convention), actor=AUTOMATIC
        )
    with at(start + timedelta(days=REMINDER_DAYS[-1])):
        assert services.send_reminders(actor=TASK).count == 0


def test_the_command_is_a_dry_run_without_wet_run():
    ended_convention()
    out = StringIO()
    call_command("assessment_daily", stdout=out)
    assert "Simulation" in out.getvalue() and not Assessment.objects.exists()
    call_command("assessment_daily", "--wet-run", stdout=StringIO())
    assert Assessment.objects.filter(requested_at__isnull=False).count() == 1


def test_the_tutor_fills_once_and_the_beneficiary_is_asked_to_cosign():
    ended = ended_convention()
    c = ended.convention
    assessment = services.fill(convention=c, answers=completed(c), actor=AUTOMATIC)
    assert assessment.filled_by_kind == FilledBy.TUTOR
    assert assessment.filled_by_name == c.tutor_name
    assert assessment.minutes_done == 5 * 7 * 60
    assert assessment.objectives[0]["result"] == Achievement.MET
    assert sent("assessment_cosign_request", c.beneficiary_email) == 1
    # A second submission (double click, second tab) changes nothing.
    with pytest.raises(services.AssessmentError, match="déjà rempli"):
        services.fill(convention=c, answers=completed(c, advice="Autre"), actor=AUTOMATIC)
    assert Assessment.objects.get().advice == ""
    assert sent("assessment_cosign_request") == 1


def test_invalid_answers_change_nothing():
    ended = ended_convention()
    c = ended.convention
    with pytest.raises(services.AssessmentError) as raised:
        services.fill(convention=c, answers=completed(c, appreciation=""), actor=AUTOMATIC)
    assert [v.code for v in raised.value.violations] == ["appreciation_missing"]
    assert not Assessment.objects.filter(filled_at__isnull=False).exists()


def test_a_no_show_tells_the_agency_at_once_and_needs_no_cosignature():
    ended = ended_convention()
    c = ended.convention
    answers = completed(c, outcome=Outcome.NO_SHOW, no_show_reason="Sans nouvelles")
    assessment = services.fill(convention=c, answers=answers, actor=AUTOMATIC)
    assert sent("assessment_no_show", ended.counsellor.email) == 1
    assert sent("assessment_cosign_request") == 0
    assert assessment.is_final and assessment.objectives == [] and assessment.minutes_done == 0


def test_a_counsellor_fills_in_place_of_the_tutor():
    ended = ended_convention()
    assessment = services.fill(
        convention=ended.convention, answers=completed(ended.convention), actor=ended.counsellor
    )
    assert assessment.filled_by_kind == FilledBy.AGENCY
    assert assessment.filled_by == ended.counsellor


def test_the_beneficiary_cosigns_then_everyone_is_told_and_the_tutor_cannot_overwrite():
    ended = ended_convention()
    c = ended.convention
    assessment = services.fill(convention=c, answers=completed(c), actor=AUTOMATIC)
    with pytest.raises(services.AssessmentError, match="quelques mots"):
        services.cosign(assessment=assessment, agrees=False, comment=" ", actor=ended.beneficiary)
    services.cosign(
        assessment=assessment, agrees=False, comment="J'étais là mercredi.", actor=ended.beneficiary
    )
    assessment.refresh_from_db()
    assert assessment.cosigned_at is not None and assessment.beneficiary_agrees is False
    assert sent("assessment_cosigned", c.beneficiary_email) == 1
    assert sent("assessment_cosigned", c.tutor_email) == 1
    assert sent("assessment_cosigned", ended.counsellor.email) == 1
    with pytest.raises(services.AssessmentError, match="demandez une correction au conseiller"):
        services.fill(convention=c, answers=completed(c), actor=AUTOMATIC)
    with pytest.raises(services.AssessmentError, match="déjà signé"):
        services.cosign(assessment=assessment, agrees=True, comment="", actor=AUTOMATIC)


def test_a_correction_needs_a_reason_and_is_logged():
    ended = ended_convention()
    c = ended.convention
    assessment = services.fill(convention=c, answers=completed(c), actor=AUTOMATIC)
    services.cosign(assessment=assessment, agrees=True, comment="", actor=AUTOMATIC)
    with pytest.raises(services.AssessmentError, match="motif"):
        services.correct(
            assessment=assessment, answers=completed(c), reason=" ", actor=ended.counsellor
        )
    services.correct(
        assessment=assessment,
        answers=completed(c, advice="Se former à la conduite d'engins agricoles."),
        reason="Le tuteur a oublié ses conseils.",
        actor=ended.counsellor,
    )
    event = AssessmentEvent.objects.get(action=AssessmentEvent.Action.CORRECTED)
    assert event.by == ended.counsellor
    assert event.reason == "Le tuteur a oublié ses conseils."
    assert event.changes == ["Conseils pour la suite"]
    assert sent("assessment_corrected", c.beneficiary_email) == 1


def test_resending_the_link_waits_a_day():
    ended = ended_convention()
    today = timezone.localdate()
    # Fixed hours: from the real time, « tomorrow at 23:00 » is less than a day ahead
    # when the test runs after 23:00.
    with at(today, hour=9):
        services.request_due(actor=TASK)
        assessment = ended.assessment()
        assert services.resend_link(assessment=assessment, actor=ended.counsellor) is True
        assert services.resend_link(assessment=assessment, actor=ended.counsellor) is False
    with at(today + timedelta(days=1), hour=8, minute=59):
        assert services.resend_link(assessment=assessment, actor=AUTOMATIC) is False
    with at(today + timedelta(days=1), hour=9, minute=1):
        assert services.resend_link(assessment=assessment, actor=AUTOMATIC) is True
    assert sent("assessment_tutor_request") == 3


def test_the_daily_task_asks_then_reminds():
    ended = ended_convention()
    with at(timezone.localdate()):
        assert tasks.assessments_daily.call().startswith("1 bilan(s) demandé(s)")
    with at(timezone.localdate() + timedelta(days=REMINDER_DAYS[0])):
        assert "1 relance(s) envoyée(s)" in tasks.assessments_daily.call()
    assert sent("assessment_tutor_request", ended.convention.tutor_email) == 2
