import pytest
from django.core.management import call_command
from django.db.models import Count

from immersio.contacts.models import ContactRequest
from immersio.structures.models import ReceivedRequest

pytestmark = pytest.mark.django_db


def test_demo_requests_count_in_their_structures_capacity(referentials):
    """A structure's dashboard counts the requests it received this month: the demo's
    requests are counted there as if sent through the form, and only once."""
    call_command("load_demo", "--wet-run", verbosity=0)
    call_command("load_demo", "--wet-run", verbosity=0)
    sent = dict(ContactRequest.objects.values_list("structure").annotate(n=Count("id")).order_by())
    received = dict(
        ReceivedRequest.objects.values_list("structure").annotate(n=Count("id")).order_by()
    )
    # (The demo also fills one structure's capacity on its own: not a request's.)
    assert sent and {structure: received.get(structure) for structure in sent} == sent
