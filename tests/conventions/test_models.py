from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from immersio.conventions.models import DRAFT_LIFETIME, Convention

pytestmark = pytest.mark.django_db


def test_schedule_expands_the_weekly_pattern_with_exceptions():
    convention = Convention(
        date_start=date(2030, 3, 4),
        date_end=date(2030, 3, 8),
        weekly_pattern={"0": [["08:00", "12:00"]], "1": [["09:00", "10:00"]]},
        schedule_exceptions={"2030-03-04": [], "2030-03-06": [["14:00", "15:30"]]},
    )
    days = {d.day: d.slots for d in convention.schedule().days}
    assert days == {
        date(2030, 3, 5): ((time(9), time(10)),),
        date(2030, 3, 6): ((time(14), time(15, 30)),),
    }
    assert Convention().schedule().days == ()


def test_draft_expiry_and_tokens():
    first, second = Convention.objects.create(), Convention.objects.create()
    assert first.share_token != second.share_token and len(first.share_token) >= 32
    assert not first.is_expired()
    assert first.is_expired(now=timezone.now() + DRAFT_LIFETIME + timedelta(seconds=1))
    assert first.reference == str(first.public_id)[:8].upper()
