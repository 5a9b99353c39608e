"""An archived convention (2 years after the end of a validated one) is readable by its
agency's team only, on request; its other parties get a page that says so."""

import pytest
from django.utils import timezone

from immersio.conventions.models import Convention, Status
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.conventions.builders import valid_convention

pytestmark = pytest.mark.django_db


def archived_convention():
    beneficiary, counsellor = UserFactory(), UserFactory()
    agency = AgencyFactory(counsellor=counsellor)
    convention = valid_convention(agency=agency, created_by=beneficiary)
    Convention.objects.filter(pk=convention.pk).update(
        status=Status.VALIDATED, validated_at=timezone.now(), version=1, substance_version=1
    )
    return convention, beneficiary, counsellor


def archive(convention):
    Convention.objects.filter(pk=convention.pk).update(archived_at=timezone.now())


def test_only_the_agency_still_sees_an_archived_convention():
    convention, beneficiary, counsellor = archived_convention()
    staff = UserFactory(staff=True)
    for user in (beneficiary, counsellor, staff):
        assert Convention.objects.visible_to(user).filter(pk=convention.pk).exists()
    archive(convention)
    assert not Convention.objects.visible_to(beneficiary).filter(pk=convention.pk).exists()
    assert not Convention.objects.visible_to(staff).filter(pk=convention.pk).exists()
    assert Convention.objects.visible_to(counsellor).filter(pk=convention.pk).exists()


def test_a_party_opening_an_archived_convention_is_told_to_ask_the_agency(client):
    convention, beneficiary, counsellor = archived_convention()
    archive(convention)
    client.force_login(beneficiary)
    response = client.get(f"/conventions/brouillon/{convention.share_token}/envoyee/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Cette convention est archivée" in page
    assert convention.agency.name in page
    assert convention.beneficiary_last_name not in page
    assert "/conventions/brouillon/" not in client.get("/conventions/").content.decode()

    client.force_login(counsellor)
    review = client.get(f"/conventions/prescripteur/{convention.public_id}/")
    assert review.status_code == 200
