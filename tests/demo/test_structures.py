import pytest

from immersio.core.geo import distance_km
from immersio.core.validators import luhn_ok, siret_error
from immersio.demo import structures as demo
from immersio.structures.models import (
    HostStructure,
    Offer,
    ReceivedRequest,
    Site,
    StructureMembership,
)
from immersio.structures.selectors import availability_for

pytestmark = pytest.mark.django_db


def counts():
    return (
        HostStructure.objects.count(),
        Site.objects.count(),
        Offer.objects.count(),
        StructureMembership.objects.count(),
        ReceivedRequest.objects.count(),
    )


def test_demo_sirets_are_valid_and_deterministic():
    sirets = [demo.demo_siret(number) for number in range(1, 500)]
    assert len(set(sirets)) == len(sirets)
    assert all(siret_error(siret) is None and luhn_ok(siret[:9]) for siret in sirets)
    assert demo.demo_siret(1) == demo.demo_siret(1)


def test_demo_needs_the_reference_data():
    from immersio.referentials.models import Commune

    Commune.objects.filter(insee_code="69204").delete()  # rolled back after the test
    assert "référentiels absents" in demo.load()
    assert not HostStructure.objects.exists()


@pytest.mark.usefixtures("referentials")
def test_demo_loads_twenty_structures_and_twice_changes_nothing(reindex_spy):
    assert demo.load() == "20 structure(s) créée(s), 0 mise(s) à jour"
    first = counts()
    assert first[0] == 20
    assert demo.load() == "0 structure(s) créée(s), 20 mise(s) à jour"
    assert counts() == first
    assert len(reindex_spy.calls) == 2 and len(reindex_spy.ids) == 20


@pytest.mark.usefixtures("referentials")
def test_demo_situations():
    demo.load()
    structures = HostStructure.objects.all()
    assert all(s.status == "publiee" and s.sites.exists() for s in structures)
    assert sum(s.is_paused for s in structures) == 3
    full = [s for s in structures if not availability_for(s).is_available]
    assert [s.display_name for s in full] == ["Ressourcerie La Remise"]
    assert all(
        s.memberships.filter(role="admin", user__email__endswith="@immersio.example").exists()
        for s in structures
    )
    lyon = (45.75881, 4.83533)
    maraichers = {
        site.structure_id
        for site in Site.objects.filter(offers__appellation_id=demo.MARAICHER)
        if distance_km(lyon, (site.latitude, site.longitude)) <= 30
    }
    assert len(maraichers) >= 3
