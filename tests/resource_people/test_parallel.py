"""The monthly quota of a resource person holds when requests arrive at once: the
profile's row is locked while counting. Runs on PostgreSQL (SQLite has one writer)."""

import threading

import pytest
from django.db import connection, connections

from immersio.resource_people import services
from immersio.resource_people.models import Conversation
from tests.accounts.factories import UserFactory
from tests.resource_people.helpers import make_profile


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_never_exceed_the_monthly_quota():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need a server database (SQLite: one writer)")
    profile = make_profile(monthly_quota=2)
    candidates = [UserFactory() for _ in range(6)]
    barrier = threading.Barrier(len(candidates))
    outcomes: list[str] = []

    def ask(person):
        try:
            barrier.wait(timeout=10)
            services.ask_conversation(
                profile=profile,
                actor=person,
                request=services.Request(
                    mode="visio", about_me="Moi.", why_you="Vous.", to_understand="Tout."
                ),
                ip=f"203.0.113.{person.pk % 250}",
            )
            outcomes.append("ok")
        except services.QuotaReached:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(person,)) for person in candidates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["full"] * 4 + ["ok"] * 2
    assert Conversation.objects.filter(profile=profile).count() == 2
