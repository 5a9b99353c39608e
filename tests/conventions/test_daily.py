"""The nightly job of conventions: the command (a dry run unless --wet-run) and the task."""

from datetime import datetime, time
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from immersio.conventions import tasks
from immersio.conventions.models import SignatureReminder
from immersio.conventions.transitions import Status, obsolete_after
from immersio.core.dates import add_working_days
from immersio.notifications.models import OutboundEmail
from tests.conventions.lifecycle_helpers import sent_convention

pytestmark = pytest.mark.django_db


def at(day):
    return time_machine.travel(timezone.make_aware(datetime.combine(day, time(3, 0))), tick=False)


def reminders_sent() -> int:
    return OutboundEmail.objects.filter(kind="convention_signature_reminder").count()


def test_command_is_a_dry_run_without_wet_run_and_reminds_with_it():
    sent = sent_convention()
    with at(add_working_days(sent.convention.date_start, -3)):
        out = StringIO()
        call_command("convention_daily", stdout=out)
        assert out.getvalue().startswith("Simulation")
        # Every signatory of a convention nobody signed yet: 2 (beneficiary, host).
        assert "0 convention(s) devenue(s) obsolète(s)" in out.getvalue()
        assert "2 relance(s) de signature envoyée(s)" in out.getvalue()
        assert f"relancée : {sent.convention.reference}" in out.getvalue()
        assert not SignatureReminder.objects.exists()
        assert reminders_sent() == 0

        out = StringIO()
        call_command("convention_daily", "--wet-run", stdout=out)
        assert "Simulation" not in out.getvalue()
        assert SignatureReminder.objects.filter(working_days_before=3).count() == 2
        assert reminders_sent() == 2
        call_command("convention_daily", "--wet-run", stdout=StringIO())
        assert reminders_sent() == 2  # once each


def test_the_task_makes_overdue_conventions_obsolete():
    sent = sent_convention()
    with at(obsolete_after(sent.convention.date_start)):
        result = tasks.conventions_daily.call()
    assert result.startswith("1 convention(s) devenue(s) obsolète(s)")
    assert sent.refresh().status == Status.OBSOLETE
