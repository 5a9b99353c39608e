"""Issue 8 item 32: after logging in, a person lands on their own space."""

import pytest
from django.urls import reverse
from sesame.utils import get_token

from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.structures.factories import HostStructureFactory

pytestmark = pytest.mark.django_db


def _candidate():
    return UserFactory()


def _structure_admin():
    user = UserFactory()
    HostStructureFactory(admin=user)
    return user


def _agency_counsellor():
    user = UserFactory()
    AgencyFactory(counsellor=user)
    return user


def _staff():
    return UserFactory(is_staff=True)


@pytest.mark.parametrize(
    ("make_user", "landing"),
    [
        (_candidate, "contacts:mine"),
        (_structure_admin, "structures:space"),
        (_agency_counsellor, "agencies:space"),
        (_staff, "admin:index"),
    ],
)
def test_logging_in_lands_on_the_persons_own_space(client, make_user, landing):
    user = make_user()
    response = client.post(reverse("accounts:magic_link"), {"jeton": get_token(user)})
    assert response.status_code == 302
    assert response["Location"] == reverse(landing)
    assert client.get(response["Location"], follow=True).status_code == 200
    # Already logged in, the login page sends them there too; a ``next`` still wins.
    assert client.get(reverse("accounts:login"))["Location"] == reverse(landing)
    target = reverse("accounts:profile")
    assert client.get(reverse("accounts:login"), {"next": target})["Location"] == target
