"""The reminders about an empty bilan: 2 and 7 days after the end, once each, recorded,
with a link that logs the beneficiary in; none once the bilan is written."""

from datetime import date, datetime, time, timedelta
from io import StringIO
from urllib.parse import quote

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from immersio.conventions.models import Convention, Status
from immersio.core.actors import TASK
from immersio.journal import rules, services, tasks
from immersio.journal.models import ReflectionReminder
from immersio.notifications.models import OutboundEmail
from tests.journal.helpers import immersion

pytestmark = pytest.mark.django_db

START = date(2031, 3, 10)
END = START + timedelta(days=4)
KIND = "journal_reflection_reminder"


def at(day):
    return time_machine.travel(timezone.make_aware(datetime.combine(day, time(3, 0))), tick=False)


def sent() -> int:
    return OutboundEmail.objects.filter(kind=KIND).count()


def _ended():
    with at(START):
        return immersion(start=START, days=5)


def test_reminded_on_the_second_and_the_seventh_day_once_each():
    found = _ended()
    first, second = rules.REMINDER_DAYS
    with at(END + timedelta(days=first - 1)):
        assert services.send_reflection_reminders(actor=TASK) == []
    with at(END + timedelta(days=first)):
        assert services.send_reflection_reminders(actor=TASK) == [found.convention.reference]
        assert services.send_reflection_reminders(actor=TASK) == []
    with at(END + timedelta(days=second - 1)):
        assert services.send_reflection_reminders(actor=TASK) == []
    with at(END + timedelta(days=second)):
        assert services.send_reflection_reminders(actor=TASK) == [found.convention.reference]
    with at(END + timedelta(days=second + 1)):
        assert services.send_reflection_reminders(actor=TASK) == []
    assert sent() == 2
    assert sorted(ReflectionReminder.objects.values_list("days_after", flat=True)) == [
        first,
        second,
    ]
    email = OutboundEmail.objects.filter(kind=KIND).first()
    assert email.recipient.lower() == found.beneficiary.email.lower()
    assert "Camille" not in email.subject and "Durand" not in email.subject
    # A login link (the account exists) that leads to the bilan.
    bilan = quote(f"/carnet/{found.convention.public_id}/bilan/", safe="")
    assert "/compte/connexion/lien/" in email.text_body and bilan in email.text_body


def test_a_missed_night_catches_up_until_the_next_reminder():
    _ended()
    first, second = rules.REMINDER_DAYS
    with at(END + timedelta(days=second - 1)):
        assert len(services.send_reflection_reminders(actor=TASK)) == 1
    assert ReflectionReminder.objects.get().days_after == first


def test_no_reminder_once_the_bilan_is_written():
    found = _ended()
    with at(END + timedelta(days=1)):
        services.save_reflection(
            convention=found.convention, values={"learned": "Beaucoup"}, actor=found.beneficiary
        )
    for days in rules.REMINDER_DAYS:
        with at(END + timedelta(days=days)):
            assert services.send_reflection_reminders(actor=TASK) == []
    assert sent() == 0


def test_an_empty_bilan_saved_is_still_reminded():
    found = _ended()
    with at(END + timedelta(days=1)):
        services.save_reflection(convention=found.convention, values={}, actor=found.beneficiary)
    with at(END + timedelta(days=rules.REMINDER_DAYS[0])):
        assert len(services.send_reflection_reminders(actor=TASK)) == 1


def test_the_command_is_a_dry_run_without_wet_run_and_the_task_sends():
    found = _ended()
    with at(END + timedelta(days=rules.REMINDER_DAYS[0])):
        out = StringIO()
        call_command("journal_daily", stdout=out)
        assert out.getvalue().startswith("Simulation")
        assert f"relancée : {found.convention.reference}" in out.getvalue()
        assert sent() == 0 and not ReflectionReminder.objects.exists()
        result = tasks.journal_daily.call()
        assert result.startswith("1 relance(s)")
        assert sent() == 1


def test_a_beneficiary_without_account_gets_the_login_page_leading_to_the_bilan():
    found = _ended()
    Convention.objects.filter(pk=found.convention.pk).update(
        beneficiary_email="sans.compte@exemple.fr"
    )
    with at(END + timedelta(days=rules.REMINDER_DAYS[0])):
        services.send_reflection_reminders(actor=TASK)
    email = OutboundEmail.objects.get(kind=KIND)
    assert email.recipient == "sans.compte@exemple.fr"
    assert f"/compte/connexion/?next=/carnet/{found.convention.public_id}/bilan/" in (
        email.text_body
    )


def test_no_reminder_for_an_immersion_not_validated():
    with at(START):
        immersion(start=START, days=5, status=Status.CANCELLED)
    with at(END + timedelta(days=rules.REMINDER_DAYS[0])):
        assert services.send_reflection_reminders(actor=TASK) == []
