"""The journal's lists cost the same number of queries whatever their length: the carnet
(pages with their people), the bilan's plan, the shared pages on the review page, the
carnets listed on « Mes conventions »."""

from datetime import timedelta

import pytest
from django.utils import timezone

from immersio.journal.models import ActionStep, JournalEntry, PersonMet, Reflection
from tests.core.query_counts import assert_flat
from tests.journal.helpers import immersion

pytestmark = pytest.mark.django_db


def _pages(found, *, shared=False):
    made = []

    def add(count: int) -> None:
        for _ in range(count):
            day = found.convention.date_start + timedelta(days=len(made))
            entry = JournalEntry.objects.create(
                owner=found.beneficiary,
                convention=found.convention,
                day=day,
                note="Une page",
                shared_at=timezone.now() if shared else None,
            )
            PersonMet.objects.create(entry=entry, name="Personne rencontrée")
            made.append(entry)

    return add


def _long_immersion():
    return immersion(start=timezone.localdate() - timedelta(days=20), days=21)


def test_the_carnet(client):
    found = _long_immersion()
    client.force_login(found.beneficiary)
    assert_flat(
        client,
        f"/carnet/{found.convention.public_id}/",
        _pages(found),
        marker="Personne rencontrée",
    )


def test_the_shared_pages_on_the_review_page(client):
    found = _long_immersion()
    client.force_login(found.counsellor)
    assert_flat(
        client,
        f"/conventions/prescripteur/{found.convention.public_id}/",
        _pages(found, shared=True),
        marker="Personne rencontrée",
    )


def test_the_action_plan(client):
    found = _long_immersion()
    reflection = Reflection.objects.create(owner=found.beneficiary, convention=found.convention)

    def add(count: int) -> None:
        for _ in range(count):
            ActionStep.objects.create(
                reflection=reflection,
                kind="candidater",
                text="Une étape du plan",
                target_date=timezone.localdate(),
            )

    client.force_login(found.beneficiary)
    assert_flat(
        client,
        f"/carnet/{found.convention.public_id}/bilan/",
        add,
        marker="Une étape du plan",
        rows=2,
        factor=3,
    )


def test_the_carnets_on_mine(client):
    found = _long_immersion()

    def add_same_person(count: int) -> None:
        # Each a validated immersion of the same person (by their address).
        for _ in range(count):
            other = immersion()
            other.convention.beneficiary_email = found.beneficiary.email
            other.convention.save(update_fields=["beneficiary_email"])

    client.force_login(found.beneficiary)
    assert_flat(client, "/conventions/", add_same_person, marker="Mon carnet d'immersion")
