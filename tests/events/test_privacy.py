"""An event proposer's data: in « Mes données », and what deleting the account does."""

import pytest

from immersio.events.models import Event, Status
from immersio.privacy import selectors, services
from tests.accounts.factories import UserFactory
from tests.events.helpers import make_event, member

pytestmark = pytest.mark.django_db


def test_my_data_lists_the_events_i_proposed_and_only_mine():
    structure, user = member()
    make_event(
        title="Mes portes ouvertes",
        host_structure=structure,
        submitted_by=user,
        status=Status.REFUSED,
        published_at=None,
        refusal_reason="Privé.",
        contact_email="jardin@exemple.fr",
    )
    make_event(title="Celui d'une autre", submitted_by=UserFactory())
    rows = selectors.person_data(user).categories["evenements"]
    assert [row["titre"] for row in rows] == ["Mes portes ouvertes"]
    assert rows[0]["motif_du_refus"] == "Privé."
    assert rows[0]["adresse_de_contact"] == "jardin@exemple.fr"
    assert "evenements" in selectors.CATEGORIES


def test_deleting_the_account_keeps_published_events_without_the_person():
    structure, user = member()
    # Another administrator, so that the person is not the last one of the structure.
    structure.memberships.create(user=UserFactory(), role="admin")
    published = make_event(host_structure=structure, submitted_by=user, contact_email=user.email)
    pending = make_event(
        title="En relecture", submitted_by=user, status=Status.SUBMITTED, published_at=None
    )
    receipt = services.delete_account(user=user, actor=user)
    assert receipt.events == 1
    assert not Event.objects.filter(pk=pending.pk).exists()
    published.refresh_from_db()
    assert published.submitted_by_id is None
    assert published.contact_email == ""
    assert Event.objects.public().filter(pk=published.pk).exists()
