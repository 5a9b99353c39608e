"""The lifecycle's row lock takes the convention's row only: PostgreSQL refuses ``FOR
UPDATE`` on the nullable side of the outer joins its related reads bring (agency,
appellation, place, renewed convention), so every state change failed there."""

import pytest
from django.db import connection
from django.db.models.query import QuerySet
from django.test.utils import CaptureQueriesContext

from immersio.conventions.models import Convention
from immersio.conventions.transitions import Role, Status
from tests.conventions.lifecycle_helpers import sent_convention, sign

pytestmark = pytest.mark.django_db


def test_the_lock_names_the_convention_row_only(monkeypatch):
    locks = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        if self.model is Convention:
            locks.append(kwargs.get("of", ()))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    with CaptureQueriesContext(connection) as queries:
        sent = sent_convention()
        sign(sent.signatory(Role.BENEFICIARY))
    assert sent.refresh().status == Status.PARTIALLY_SIGNED
    assert locks
    assert all(of == ("self",) for of in locks)
    if connection.vendor == "postgresql":
        locking = [
            q["sql"]
            for q in queries.captured_queries
            if "FOR UPDATE" in q["sql"] and 'FROM "conventions_convention"' in q["sql"]
        ]
        assert locking
        assert all('FOR UPDATE OF "conventions_convention"' in sql for sql in locking)
