"""« Mes données » costs the same queries whatever the person holds (no N+1): requests with
messages, board posts, conventions with their PDF, access-log entries. The ZIP as well."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from immersio.contacts.models import Message
from immersio.conventions.models import SensitiveAccess
from immersio.privacy import export
from tests.accounts.factories import UserFactory
from tests.core.query_counts import assert_flat
from tests.fixtures.contacts import ContactRequestFactory
from tests.privacy.helpers import board_post, validated_convention

pytestmark = pytest.mark.django_db


def _holdings(user):
    def add(count: int) -> None:
        for _ in range(count):
            request = ContactRequestFactory(candidate=user, email=user.email)
            Message.objects.create(request=request, side="candidat", author=user, body="Bonjour")
            board_post(user)
            convention = validated_convention(user.email)
            SensitiveAccess.objects.create(
                convention=convention,
                by_name="Claire",
                role="conseiller",
                reason="Ligne du journal",
            )

    return add


def test_my_data_page_is_flat(client):
    user = UserFactory()
    client.force_login(user)
    assert_flat(client, "/mes-donnees/", _holdings(user), marker="Ligne du journal")


def test_the_zip_is_flat():
    user = UserFactory()
    add = _holdings(user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            export.build_zip(user).close()
        return len(context.captured_queries)

    add(2)
    small = queries()
    add(4)
    assert queries() == small
