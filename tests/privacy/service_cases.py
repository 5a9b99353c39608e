"""The privacy app's services refuse whoever may not run them (``test_service_actors``)."""

from datetime import timedelta

from django.utils import timezone

from immersio.core.models import RateLimitCounter
from tests.accounts.factories import UserFactory
from tests.core.service_case import Case


def _retention_by_a_person():
    # Something due, so that a wrongly allowed run would change the database.
    RateLimitCounter.objects.create(
        scope="essai", key="x", window_start=timezone.now() - timedelta(days=400), count=1
    )
    return {"wet_run": True}, UserFactory()


CASES = [
    Case("immersio.privacy.purge.apply_retention", build=_retention_by_a_person),
]

READ_ONLY: dict[str, str] = {}
