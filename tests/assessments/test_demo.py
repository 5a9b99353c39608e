"""The demo: the validated convention ended, its assessment filled by the tutor; another
waits for its tutor; the agency sees both; loading twice changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from immersio.accounts.models import User
from immersio.assessments.models import Assessment, AssessmentEvent
from immersio.demo import assessments as demo
from immersio.demo import conventions as conventions_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_filled_assessment_and_one_waiting_for_the_tutor(referentials, client):
    call_command("load_demo", "--wet-run", stdout=StringIO())
    filled = Assessment.objects.get(convention__beneficiary_email=demo.FILLED)
    waiting = Assessment.objects.get(convention__beneficiary_email=demo.WAITING)
    assert filled.to_cosign and filled.convention.date_end < timezone.localdate()
    assert waiting.requested_at is not None and not waiting.is_filled
    events = AssessmentEvent.objects.count()
    both = (demo.FILLED, demo.WAITING)
    call_command("load_demo", "--wet-run", stdout=StringIO())
    assert AssessmentEvent.objects.count() == events
    assert Assessment.objects.filter(convention__beneficiary_email__in=both).count() == 2
    client.force_login(User.objects.get(email=conventions_demo.COUNSELLOR))
    for assessment, words in (
        (filled, "Sophie a été ponctuelle"),
        (filled, "Préparer le renouvellement"),  # her objectives are partly met
        (waiting, "Remplir"),
    ):
        url = reverse("conventions:review", kwargs={"public_id": assessment.convention.public_id})
        assert words in client.get(url).text
