import pytest
from django.urls import reverse

from immersio.agencies.models import Agency, AgencyMembership, AgencyRegistration
from immersio.notifications.models import OutboundEmail
from tests.accounts.factories import UserFactory
from tests.structures.factories import lyon

from .factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_admin_activates_through_the_service(client):
    staff = UserFactory(superuser=True)
    agency = AgencyFactory(pending=True)
    AgencyRegistration.objects.create(
        agency=agency,
        email="demandeur@exemple.fr",
        first_name="Léo",
        last_name="Petit",
        consented_at="2026-01-01T00:00:00Z",
        confirmed_at="2026-01-01T00:10:00Z",
    )
    client.force_login(staff)
    changelist = reverse("admin:agencies_agency_changelist")
    assert client.get(changelist, {"q": agency.name}).status_code == 200
    response = client.post(
        changelist, {"action": "activate", "_selected_action": [agency.pk]}, follow=True
    )
    assert response.status_code == 200
    agency.refresh_from_db()
    assert agency.status == Agency.Status.ACTIVE
    assert AgencyMembership.objects.get(agency=agency).role == "administrateur"
    assert OutboundEmail.objects.get().kind == "agency_activated"
    other = AgencyFactory(pending=True, commune=lyon())
    client.post(changelist, {"action": "reject", "_selected_action": [other.pk]})
    other.refresh_from_db()
    assert other.status == Agency.Status.REJECTED
    assert client.get(reverse("admin:agencies_agency_change", args=[agency.pk])).status_code == 200
