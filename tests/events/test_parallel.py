"""Counted things hold under parallel requests (PostgreSQL; CI runs it): the submissions'
rate limit, and one event however many times the same form is posted at once."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client

from immersio.events.models import Event
from tests.events.helpers import member
from tests.events.test_views import form_data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="the SQLite test database lives in memory with a shared cache, whose table "
        "locks refuse concurrent writers outright; CI runs this on PostgreSQL",
    ),
]


def in_parallel(count: int, request) -> list:
    barrier = threading.Barrier(count)

    def run(n):
        client = Client()
        try:
            barrier.wait(timeout=30)
            return request(client, n)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_parallel_submissions_stop_at_the_rate_limit(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "event_submission_per_user": (3, 3600)}
    structure, user = member()

    def submit(client, n):
        client.force_login(user)
        return client.post("/evenements/proposer/", form_data(structure, title=f"Forum {n}"))

    in_parallel(10, submit)

    assert Event.objects.count() == 3


def test_the_same_event_posted_at_once_is_created_once():
    structure, user = member()

    def submit(client, n):
        client.force_login(user)
        return client.post("/evenements/proposer/", form_data(structure)).status_code

    statuses = in_parallel(6, submit)

    assert Event.objects.count() == 1
    assert sorted(statuses) == [302] + [400] * 5
