"""Inactive accounts: warned once 7 days before 2 years without a login, deleted at 2 years
if warned at least 7 days before; a login cancels; an immersion under way keeps them.
Boundaries with frozen time: one day before, kept; the day, acted."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.db import transaction

from immersio.accounts.models import User
from immersio.core.actors import TASK
from immersio.notifications.models import OutboundEmail
from immersio.privacy import inactivity, retention
from immersio.privacy.models import InactivityWarning
from tests.accounts.factories import UserFactory
from tests.privacy.helpers import validated_convention

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
SEEN = datetime(2024, 3, 12, 10, 0, tzinfo=PARIS)
WARN_DAY = SEEN + relativedelta(years=2) - timedelta(days=inactivity.NOTICE_DAYS)
DELETE_DAY = SEEN + relativedelta(years=2)
WARN, DELETE = inactivity.INACTIVITY_RULES


def _run(rule, now):
    """What the retention job does for one rule: each due row, applied."""
    done = 0
    for row in rule.due(now):
        rule.apply(row, now=now, actor=TASK)
        done += 1
    return done


def test_the_rules_close_the_retention_table():
    assert retention.RULES[-2:] == inactivity.INACTIVITY_RULES
    assert str(WARN.duration) == "7 jours avant 2 ans"
    assert str(DELETE.duration) == "2 ans"


def test_warned_on_the_day_not_the_day_before_and_once():
    user = UserFactory(last_login=SEEN)
    with time_machine.travel(WARN_DAY - timedelta(days=1)):
        assert _run(WARN, WARN_DAY - timedelta(days=1)) == 0
    with time_machine.travel(WARN_DAY):
        assert _run(WARN, WARN_DAY) == 1
        assert _run(WARN, WARN_DAY) == 0
    warning = InactivityWarning.objects.get(user=user)
    assert warning.sent_at == WARN_DAY
    email = OutboundEmail.objects.get(kind="privacy_inactivity_warning")
    assert email.recipient == user.email and email.is_sensitive
    assert "Garder mon compte" in email.html_body
    assert f"{DELETE_DAY:%d/%m/%Y}" in email.text_body
    assert "/compte/connexion/lien/" in email.text_body


def test_deleted_on_the_day_not_the_day_before():
    user = UserFactory(last_login=SEEN)
    with time_machine.travel(WARN_DAY):
        _run(WARN, WARN_DAY)
    with time_machine.travel(DELETE_DAY - timedelta(days=1)):
        assert _run(DELETE, DELETE_DAY - timedelta(days=1)) == 0
    assert User.objects.filter(pk=user.pk).exists()
    with time_machine.travel(DELETE_DAY):
        assert _run(DELETE, DELETE_DAY) == 1
    assert not User.objects.filter(pk=user.pk).exists()
    assert OutboundEmail.objects.filter(kind="privacy_deletion_receipt").count() == 1


def test_never_deleted_without_a_warning_seven_days_before():
    user = UserFactory(last_login=SEEN)
    late = DELETE_DAY + timedelta(days=30)
    with time_machine.travel(late):
        assert _run(DELETE, late) == 0
        _run(WARN, late)
    with time_machine.travel(late + inactivity.NOTICE - timedelta(days=1)):
        assert _run(DELETE, late + inactivity.NOTICE - timedelta(days=1)) == 0
    with time_machine.travel(late + inactivity.NOTICE):
        assert _run(DELETE, late + inactivity.NOTICE) == 1
    assert not User.objects.filter(pk=user.pk).exists()


def test_a_login_cancels_the_warning(client):
    user = UserFactory(last_login=SEEN)
    with time_machine.travel(WARN_DAY):
        _run(WARN, WARN_DAY)
    with time_machine.travel(WARN_DAY + timedelta(days=3)):
        client.force_login(user)
    assert not InactivityWarning.objects.filter(user=user).exists()
    with time_machine.travel(DELETE_DAY):
        assert _run(DELETE, DELETE_DAY) == 0
        assert _run(WARN, DELETE_DAY) == 0
    assert User.objects.filter(pk=user.pk).exists()


def test_the_job_may_lock_what_it_finds():
    UserFactory(last_login=SEEN)
    with time_machine.travel(WARN_DAY), transaction.atomic():
        assert len(WARN.due(WARN_DAY).select_for_update(skip_locked=True)) == 1
        _run(WARN, WARN_DAY)
    with time_machine.travel(DELETE_DAY), transaction.atomic():
        assert len(DELETE.due(DELETE_DAY).select_for_update(skip_locked=True)) == 1


def test_never_logged_in_counts_from_the_creation():
    UserFactory(date_joined=SEEN)
    with time_machine.travel(WARN_DAY - timedelta(days=1)):
        assert _run(WARN, WARN_DAY - timedelta(days=1)) == 0
    with time_machine.travel(WARN_DAY):
        assert _run(WARN, WARN_DAY) == 1


def test_an_immersion_under_way_keeps_the_account():
    user = UserFactory(last_login=SEEN)
    with time_machine.travel(WARN_DAY):
        today = WARN_DAY.date()
        validated_convention(user.email.upper(), start=today, end=today + timedelta(days=20))
        assert _run(WARN, WARN_DAY) == 0


def test_one_late_run_warns_and_deletes_nobody():
    """The job runs for a given instant: a warning it writes counts from that instant,
    not from the clock, so the same run (or a catch-up run long after) never deletes an
    account it has only just warned."""
    from immersio.privacy.purge import apply_retention

    user = UserFactory(last_login=SEEN, date_joined=SEEN)
    late = DELETE_DAY + relativedelta(years=3)  # far after the clock's today
    apply_retention(now=late, wet_run=True, actor=TASK)
    assert User.objects.filter(pk=user.pk).exists()
    assert InactivityWarning.objects.get(user=user).sent_at == late
    apply_retention(now=late + inactivity.NOTICE, wet_run=True, actor=TASK)
    assert not User.objects.filter(pk=user.pk).exists()
