import pytest

from immersio.demo import accounts, resource_people
from immersio.resource_people.models import Conversation, ResourceProfile

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_people_and_camille_has_two_requests_idempotently(referentials):

    accounts.load()
    resource_people.load()
    resource_people.load()
    profiles = ResourceProfile.objects.published()
    assert profiles.count() == len(resource_people.PROFILES)
    assert profiles.filter(commune__name="Lyon").exists()
    mine = Conversation.objects.filter(candidate__email=resource_people.CANDIDATE)
    assert mine.count() == 2
    assert {c.status for c in mine} == {"demande", "acceptee"}
    assert mine.get(status="acceptee").slots.count() == 2
