import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from immersio.agencies.models import ETTI_MESSAGE, Agency
from tests.accounts.factories import UserFactory

from .factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_etti_is_refused_with_a_clear_message():
    agency = AgencyFactory.build(kind=Agency.Kind.SIAE, siae_kind="ETTI")
    with pytest.raises(ValidationError) as error:
        agency.full_clean()
    assert ETTI_MESSAGE in error.value.message_dict["siae_kind"]


def test_etti_is_refused_by_the_database():
    agency = AgencyFactory(siae=True)
    agency.siae_kind = "ETTI"
    with pytest.raises(IntegrityError):
        agency.save()


def test_siae_needs_its_kind():
    agency = AgencyFactory.build(kind=Agency.Kind.SIAE, siae_kind="")
    with pytest.raises(ValidationError) as error:
        agency.full_clean()
    assert "EI, AI ou ACI" in error.value.message_dict["siae_kind"][0]


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [
        (Agency.Kind.FRANCE_TRAVAIL, True),
        (Agency.Kind.MISSION_LOCALE, True),
        (Agency.Kind.CAP_EMPLOI, True),
        (Agency.Kind.CONSEIL_DEPARTEMENTAL, True),
        (Agency.Kind.PREPA_APPRENTISSAGE, False),
        (Agency.Kind.CONVENTIONNEE, False),
    ],
)
def test_only_ft_ml_cap_emploi_and_cd_delegate(kind, allowed):
    delegating = AgencyFactory(kind=kind)
    agency = AgencyFactory.build(
        kind=Agency.Kind.CONVENTIONNEE,
        delegating_agency=delegating,
        delegation_end_date="2027-01-01",
    )
    if allowed:
        agency.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            agency.full_clean()
        assert "delegating_agency" in error.value.message_dict


def test_conventionnee_needs_an_end_date():
    agency = AgencyFactory.build(kind=Agency.Kind.CONVENTIONNEE, delegating_agency=AgencyFactory())
    with pytest.raises(ValidationError) as error:
        agency.full_clean()
    assert "delegation_end_date" in error.value.message_dict


def test_accompanying_structure_refers_to_a_prescriber():
    agency = AgencyFactory.build(kind=Agency.Kind.ACCOMPAGNEMENT)
    with pytest.raises(ValidationError) as error:
        agency.full_clean()
    assert "referring_agency" in error.value.message_dict
    agency.referring_agency = AgencyFactory()
    agency.full_clean()


def test_visible_to_members_and_staff_only():
    member, stranger = UserFactory(), UserFactory()
    agency = AgencyFactory(counsellor=member)
    AgencyFactory()
    assert list(Agency.objects.visible_to(member)) == [agency]
    assert not Agency.objects.visible_to(stranger).exists()
    assert Agency.objects.visible_to(UserFactory(staff=True)).count() == 2
