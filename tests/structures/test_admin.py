import pytest

from immersio.structures.models import Cause, HostStructure, Network, ReceivedRequest
from tests.accounts.factories import UserFactory
from tests.structures.factories import (
    HostStructureFactory,
    MembershipFactory,
    ReceivedRequestFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(superuser=True))
    return client


def test_changelist_filters_and_search(staff_client):
    structure = HostStructureFactory(
        name="Jardins de la Sauvegarde", with_site=True, association=True
    )
    structure.networks.set(Network.objects.filter(slug="cress"))
    HostStructureFactory(name="Brasserie Zéphyr")
    base = "/gestion/structures/hoststructure/"
    page = staff_client.get(base).content.decode()
    assert "Importer la liste d&#x27;un réseau" in page or "Importer la liste d'un réseau" in page
    page = staff_client.get(base, {"q": structure.siret}).content.decode()
    assert "Jardins de la Sauvegarde" in page and "Brasserie Zéphyr" not in page
    cress = Network.objects.get(slug="cress").pk
    for query in [
        {"status__exact": "publiee"},
        {"networks__id__exact": cress},
        {"is_ess__exact": "1"},
    ]:
        assert staff_client.get(base, query).status_code == 200


def test_change_page_with_inlines(staff_client):
    structure = HostStructureFactory(with_site=True)
    MembershipFactory(structure=structure)
    page = staff_client.get(
        f"/gestion/structures/hoststructure/{structure.pk}/change/"
    ).content.decode()
    assert "Maraîcher / Maraîchère" in page
    assert "lieux d&#x27;accueil" in page.lower() or "lieux d'accueil" in page.lower()


def test_actions_go_through_the_services(staff_client, reindex_spy):
    structure = HostStructureFactory()
    url = "/gestion/structures/hoststructure/"
    staff_client.post(url, {"action": "suspend", "_selected_action": [structure.pk]})
    structure.refresh_from_db()
    assert structure.status == "suspendue"
    staff_client.post(url, {"action": "reopen", "_selected_action": [structure.pk]})
    structure.refresh_from_db()
    assert structure.status == "publiee"
    staff_client.post(url, {"action": "close", "_selected_action": [structure.pk]})
    structure.refresh_from_db()
    assert structure.status == "fermee"
    assert len(reindex_spy.calls) == 3


def test_a_new_cause_gets_the_next_free_bit(staff_client):
    used = set(Cause.objects.values_list("bit", flat=True))
    response = staff_client.post(
        "/gestion/structures/cause/add/", {"label": "Montagne", "slug": "montagne", "position": 30}
    )
    assert response.status_code == 302
    cause = Cause.objects.get(slug="montagne")
    assert cause.bit not in used and cause.bit == min(set(range(63)) - used)
    response = staff_client.post(
        "/gestion/structures/network/add/", {"name": "Réseau X", "slug": "reseau-x", "position": 1}
    )
    assert response.status_code == 302 and Network.objects.get(slug="reseau-x").bit is not None


def test_received_requests_are_read_only(staff_client):
    row = ReceivedRequestFactory()
    base = "/gestion/structures/receivedrequest/"
    assert staff_client.get(base).status_code == 200
    assert staff_client.get(f"{base}add/").status_code == 403
    page = staff_client.get(f"{base}{row.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    assert ReceivedRequest.objects.count() == 1
    assert HostStructure.objects.count() == 1
