"""Rate limits hold under parallel requests (issue 8, item 18).

Each test sends many requests at once, from threads that each have their own database
connection (as separate server processes would), through the real views and API, with the
cache configured as in production (the database cache: the old counter lived there and was
read, then written). Only the limit may pass, however the requests interleave.
"""

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client

from immersio.contacts.models import BoardPost
from immersio.conventions.api import EXAMPLE
from immersio.notifications.models import OutboundEmail
from tests.accounts.factories import UserFactory
from tests.structures.factories import MARAICHER

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="the SQLite test database lives in memory with a shared cache, whose table "
        "locks refuse concurrent writers outright; CI runs this on PostgreSQL",
    ),
]

PRODUCTION_CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "immersio_cache",
    }
}


@pytest.fixture(autouse=True)
def _production_cache(settings):
    settings.CACHES = PRODUCTION_CACHES
    call_command("createcachetable", verbosity=0)


def in_parallel(count: int, request) -> list:
    """Runs ``request(client, n)`` ``count`` times at once, each in a thread with its own
    client and database connection, released together by a barrier."""
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


def test_parallel_login_requests_send_no_more_links_than_the_limit(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_link_per_ip": (4, 3600)}

    in_parallel(
        16,
        lambda client, n: client.post(
            "/compte/connexion/", {"email": f"personne{n}@exemple.fr"}, REMOTE_ADDR="192.0.2.9"
        ),
    )

    assert OutboundEmail.objects.count() == 4


def test_parallel_convention_checks_answer_429_beyond_the_limit(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "convention_check_per_ip": (5, 60)}
    body = json.dumps(EXAMPLE)

    statuses = in_parallel(
        20,
        lambda client, n: (
            client.post(
                "/api/v1/conventions/check", body, content_type="application/json"
            ).status_code
        ),
    )

    assert sorted(statuses) == [200] * 5 + [429] * 15


@pytest.mark.usefixtures("referentials")
def test_parallel_board_posts_publish_no_more_than_the_limit(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "board_post_per_user": (2, 24 * 3600)}
    candidate = UserFactory()

    def publish(client, n):
        client.force_login(candidate)
        return client.post(
            "/demandes/tableau/publier/",
            {
                "metier_texte": "Maraîcher / Maraîchère",
                "metier": str(MARAICHER),
                "commune_texte": "Lyon",
                "commune": "69123",
                "period": "En avril.",
                "duration": "1s",
                "motivations": f"Demande numéro {n} : je veux découvrir le maraîchage.",
            },
        )

    in_parallel(8, publish)

    assert BoardPost.objects.count() == 2
