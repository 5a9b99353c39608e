"""The demonstration agencies: valid SIRETs, every kind, loaded twice without change."""

import pytest

from immersio.agencies.models import Agency, AgencyMembership
from immersio.core.validators import luhn_ok
from immersio.demo import agencies as demo

pytestmark = pytest.mark.django_db


def test_demo_sirets_are_valid_and_distinct():
    sirets = [demo.agency_siret(item[0]) for item in demo.AGENCIES]
    assert len(set(sirets)) == len(sirets)
    assert all(luhn_ok(siret) and len(siret) == 14 for siret in sirets)


def test_demo_needs_the_reference_data(monkeypatch):
    # The communes may already be in the test database (imported once per session):
    # make the look-up find none, as on a database where the import never ran.
    monkeypatch.setattr(demo.Commune.objects, "in_bulk", lambda *args, **kwargs: {})
    assert "référentiels absents" in demo.load()


def test_demo_loads_every_kind_and_twice_changes_nothing(referentials):
    message = demo.load()
    assert message.startswith(f"{len(demo.AGENCIES)} prescripteur(s) créé(s)")
    kinds = set(Agency.objects.values_list("kind", flat=True))
    assert kinds == set(Agency.Kind.values)
    memberships = AgencyMembership.objects.count()
    assert memberships == 2 * len(demo.AGENCIES)
    assert demo.load() == f"0 prescripteur(s) créé(s), {len(demo.AGENCIES)} mis à jour"
    assert Agency.objects.count() == len(demo.AGENCIES)
    assert AgencyMembership.objects.count() == memberships
    delegations = Agency.objects.filter(kind="structure-conventionnee")
    assert len(delegations) == 3
    from immersio.agencies.services import can_create_conventions

    assert sorted(can_create_conventions(a)[0] for a in delegations) == [False, True, True]
