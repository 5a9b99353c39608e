"""The journal's demo: Camille's past immersion with three pages, a person met and a bilan
with two steps, idempotent; her conseillère reads the shared page only."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from immersio.accounts.models import User
from immersio.demo import journal as journal_demo
from immersio.journal.models import ActionStep, JournalEntry, PersonMet, Reflection
from immersio.journal.selectors import journal_conventions

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_demo", "--wet-run", stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (JournalEntry, PersonMet, Reflection, ActionStep))


def test_camille_has_a_carnet_and_a_bilan_and_twice_changes_nothing(referentials, client):
    load()
    assert counts() == (3, 1, 1, 2)
    camille = User.objects.get(email=journal_demo.CAMILLE)
    (convention,) = journal_conventions(camille)
    assert convention.date_end < timezone.localdate()
    client.force_login(camille)
    page = client.get(f"/carnet/{convention.public_id}/").content.decode()
    assert "Julien Lefèvre" in page
    load()
    assert counts() == (3, 1, 1, 2)
    with time_machine.travel(timezone.now() + timedelta(days=21)):
        load()
        assert counts() == (3, 1, 1, 2)
