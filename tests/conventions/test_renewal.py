"""Issue 8 item 15: an immersion is renewed once (D5135-3), down to the database."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from immersio.agencies.models import Agency
from immersio.conventions import lifecycle, rules, services
from immersio.conventions.models import DRAFT_LIFETIME, Convention, Status
from immersio.core.actors import AUTOMATIC, COMMAND
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.conventions.builders import another_draft, valid_convention

pytestmark = pytest.mark.django_db


def _sent(**changes) -> Convention:
    convention = valid_convention(**changes)
    Convention.objects.filter(pk=convention.pk).update(status=Status.TO_SIGN)
    convention.refresh_from_db()
    return convention


def _sent_renewal(parent: Convention) -> Convention:
    renewal = services.start_renewal(parent=parent, actor=AUTOMATIC)
    Convention.objects.filter(pk=renewal.pk).update(status=Status.TO_SIGN)
    renewal.refresh_from_db()
    return renewal


def test_start_renewal_copies_the_parent_and_points_to_the_original():
    original = _sent(objectives="Découvrir le métier\nBilan avec le tuteur")
    renewal = services.start_renewal(parent=original, actor=AUTOMATIC)
    assert renewal.is_draft and renewal.is_renewal
    assert (renewal.renews, renewal.renewal_root) == (original, original)
    assert renewal.objective_list() == ("Découvrir le métier", "Bilan avec le tuteur")
    assert renewal.host_siret == original.host_siret and renewal.object == original.object
    assert renewal.date_start is None  # the new period is typed by the person


def test_start_renewal_refuses_a_draft_a_renewal_and_an_original_already_renewed():
    with pytest.raises(services.ConventionError, match="envoyée"):
        services.start_renewal(parent=valid_convention(), actor=AUTOMATIC)
    original = _sent()
    renewal = _sent_renewal(original)
    with pytest.raises(services.ConventionError, match="déjà un renouvellement"):
        services.start_renewal(parent=renewal, actor=AUTOMATIC)
    with pytest.raises(services.ConventionError, match="déjà été renouvelée"):
        services.start_renewal(parent=original, actor=AUTOMATIC)


def test_a_second_sent_renewal_of_the_same_original_is_an_integrity_error():
    original = _sent()
    _sent_renewal(original)
    # Directly through the ORM, bypassing the service and the rules.
    with pytest.raises(IntegrityError), transaction.atomic():
        Convention.objects.create(renews=original, status=Status.TO_SIGN)


def test_a_renewal_of_a_renewal_is_an_integrity_error_too():
    original = _sent()
    first = _sent_renewal(original)
    with pytest.raises(IntegrityError), transaction.atomic():
        Convention.objects.create(renews=first, status=Status.TO_SIGN)
    second = Convention.objects.create(renews=first)  # a draft may exist…
    assert second.renewal_root == original
    second.status = Status.TO_SIGN
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()  # …but not be sent


def test_a_renewal_needs_its_original_at_the_database_level():
    original = _sent()
    with pytest.raises(IntegrityError), transaction.atomic():
        Convention.objects.filter(pk=original.pk).update(renewal_root=original)
    assert Convention.objects.get(pk=original.pk).renewal_root is None


def test_drafts_do_not_take_the_renewal():
    original = _sent()
    one = services.start_renewal(parent=original, actor=AUTOMATIC)
    two = another_draft(original)
    assert {one.renewal_root_id, two.renewal_root_id} == {original.pk}


def test_starting_again_returns_the_open_draft_and_a_new_one_once_it_expired():
    original = _sent()
    one = services.start_renewal(parent=original, actor=AUTOMATIC)
    assert services.start_renewal(parent=original, actor=AUTOMATIC) == one
    Convention.objects.filter(pk=one.pk).update(
        updated_at=timezone.now() - DRAFT_LIFETIME - timedelta(minutes=1)
    )
    fresh = services.start_renewal(parent=original, actor=AUTOMATIC)
    assert fresh != one and fresh.renewal_root == original


def test_the_rules_know_about_the_parent():
    original = _sent()
    renewal = services.start_renewal(parent=original, actor=AUTOMATIC)
    renewal.date_start = original.date_start + timedelta(days=7)
    renewal.date_end = original.date_end + timedelta(days=7)
    renewal.save()
    data = services.to_rule_data(renewal)
    assert data.renewal == rules.RenewalInfo(
        parent_is_renewal=False,
        parent_object=rules.ImmersionObject.DISCOVER,
        parent_objectives=original.objective_list(),
        parent_objectives_not_met=None,
        parent_already_renewed=False,
    )
    # The original counts in the history; this renewal does not count as a convention.
    assert [c.is_renewal for c in data.previous_conventions] == [False]
    other = another_draft(original)
    Convention.objects.filter(pk=other.pk).update(status=Status.TO_SIGN)
    assert services.to_rule_data(renewal).renewal.parent_already_renewed is True
    codes = {v.code for v in services.violations(renewal)}
    assert {"already_renewed", "renewal_assessment_missing"} <= codes


def test_submit_turns_the_constraint_into_a_french_error(monkeypatch):
    original = _sent()
    first = services.start_renewal(parent=original, actor=AUTOMATIC)
    second = another_draft(original)
    Convention.objects.filter(pk=first.pk).update(status=Status.TO_SIGN)
    # The rules are bypassed, as when two renewals are sent at the same moment.
    monkeypatch.setattr(lifecycle, "violations", lambda convention: [])
    monkeypatch.setattr(lifecycle, "missing", lambda convention: [])
    with pytest.raises(services.ConventionError) as error:
        lifecycle.submit(convention=second, actor=COMMAND)
    assert [v.code for v in error.value.violations] == ["already_renewed"]
    assert Convention.objects.get(pk=second.pk).status == Status.DRAFT


def test_history_reaches_back_12_months_before_the_first_day():
    # Issue 8 item 13 in the service: a convention that ended less than 12 months before this one
    # starts is part of its history although this one ends more than 12 months after it.
    first = _sent()
    later = valid_convention(
        structure=first.structure,
        date_start=first.date_end + timedelta(days=360),
        date_end=first.date_end + timedelta(days=370),
    )
    assert [c.date_start for c in services.to_rule_data(later).previous_conventions] == [
        first.date_start
    ]
    too_late = valid_convention(
        structure=first.structure,
        date_start=first.date_end + timedelta(days=400),
        date_end=first.date_end + timedelta(days=405),
    )
    assert services.to_rule_data(too_late).previous_conventions == ()


@pytest.mark.django_db(transaction=True)
def test_two_renewals_sent_at_the_same_moment_one_wins(monkeypatch):
    """Two people send a renewal of the same original at once: the rules of each see no
    other renewal yet; the database lets one through."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need a server database (SQLite: one writer)")
    original = _sent()
    renewals = [services.start_renewal(parent=original, actor=AUTOMATIC), another_draft(original)]
    monkeypatch.setattr(lifecycle, "violations", lambda convention: [])
    monkeypatch.setattr(lifecycle, "missing", lambda convention: [])
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def send(convention):
        try:
            barrier.wait(timeout=10)
            lifecycle.submit(convention=convention, actor=COMMAND)
            outcomes.append("sent")
        except services.ConventionError as error:
            outcomes.append(error.violations[0].code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(r,)) for r in renewals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["already_renewed", "sent"]
    assert Convention.objects.filter(renewal_root=original, status=Status.TO_SIGN).count() == 1


def test_a_sent_renewal_is_history_as_a_renewal():
    # It adds its days to the 60 but does not count as one of the 2 conventions.
    original = _sent()
    renewal = services.start_renewal(parent=original, actor=AUTOMATIC)
    Convention.objects.filter(pk=renewal.pk).update(
        status=Status.TO_SIGN,
        date_start=original.date_start + timedelta(days=7),
        date_end=original.date_end + timedelta(days=7),
        presence_days=5,
    )
    later = valid_convention(
        structure=original.structure,
        objectives="Un autre objectif",
        date_start=original.date_start + timedelta(days=28),
        date_end=original.date_end + timedelta(days=28),
    )
    data = services.to_rule_data(later)
    assert sorted(c.is_renewal for c in data.previous_conventions) == [False, True]
    assert "too_many_conventions_12_months" not in {v.code for v in services.violations(later)}


def test_a_renewal_copies_every_beneficiary_and_host_field_the_form_asks():
    from immersio.conventions.forms import BeneficiaryForm, StructureForm

    copied = set(services.RENEWAL_COPIED)
    assert set(StructureForm.Meta.fields) - {"replaces_no_job"} <= copied
    assert set(BeneficiaryForm.Meta.fields) - {"help_needed"} <= copied
    assert "help_needed" not in copied  # the help needed is asked again


def test_the_agency_team_starts_a_renewal_and_a_party_asking_again_joins_the_same_draft():
    counsellor, referring_validator, drafter = UserFactory(), UserFactory(), UserFactory()
    prescriber = AgencyFactory(validator=referring_validator)
    agency = AgencyFactory(
        kind=Agency.Kind.ACCOMPAGNEMENT, referring_agency=prescriber, counsellor=counsellor
    )
    original = _sent(agency=agency, created_by=drafter)
    # The valideur of the referring prescriber reads no draft of the structure
    # d'accompagnement, yet belongs to the agency's team of this convention.
    assert not Convention.objects.visible_to(referring_validator).filter(pk=original.pk)
    renewal = services.start_renewal(parent=original, actor=referring_validator)
    assert renewal.created_by == referring_validator
    # The party who wrote the original asks too: the same draft, which they may now open.
    assert not Convention.objects.visible_to(drafter).filter(pk=renewal.pk).exists()
    assert services.start_renewal(parent=original, actor=drafter) == renewal
    assert Convention.objects.visible_to(drafter).filter(pk=renewal.pk).exists()
    assert services.start_renewal(parent=original, actor=counsellor) == renewal
    assert list(renewal.participants.all()) == [drafter]
    assert Convention.objects.filter(renews=original).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_start_renewal_calls_at_the_same_moment_open_one_draft():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need a server database (SQLite: one writer)")
    original = _sent()
    barrier = threading.Barrier(2)
    made: list[int] = []

    def start():
        try:
            barrier.wait(timeout=10)
            made.append(services.start_renewal(parent=original, actor=AUTOMATIC).pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(made) == 2 and len(set(made)) == 1
    assert Convention.objects.filter(renewal_root=original).count() == 1
