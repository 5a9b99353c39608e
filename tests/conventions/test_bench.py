"""The conventions benchmark (bench/conventions.py) counts what it claims to count: its
copied conventions are signable like sent ones, and its integrity check sees a lost
signature, a convention stuck before « en examen » and duplicated events."""

import pytest

from bench import conventions as bench
from immersio.conventions.models import ConventionEvent, Signature
from immersio.conventions.transitions import Action, Status

pytestmark = pytest.mark.django_db


def signed_world(count=2):
    world = bench.World()
    conventions = [world.convention() for _ in range(count)]
    requests = []
    for convention in conventions:
        for signatory in bench.required(convention):
            code = bench.code_for(signatory, convention.version)
            requests.append((signatory, convention.version, code))
            bench.sign_service(signatory, convention.version, code)
    return world, conventions, requests


def test_a_copied_convention_is_a_sent_convention_with_its_own_signatories():
    world = bench.World()
    first, second = world.convention(), world.convention()
    assert first.status == second.status == Status.TO_SIGN
    assert first.reference != second.reference
    assert first.versions.get().sha256 == world.template.versions.get().sha256
    mine = bench.required(first)
    assert len(mine) == 4
    assert {s.pk for s in mine}.isdisjoint({s.pk for s in bench.required(second)})
    assert len({s.email for s in mine + bench.required(second)}) == 8


def test_signing_every_copy_counts_nothing_lost_nor_duplicated():
    _world, conventions, requests = signed_world()
    found = bench.integrity(conventions, requests)
    assert found["signatures"] == 8
    assert found["conventions_in_review"] == 2
    assert (found["lost_updates"], found["duplicates"]) == (0, 0)


def test_a_missing_signature_and_a_stuck_status_are_lost_updates():
    _world, conventions, requests = signed_world()
    signatory = requests[0][0]
    Signature.objects.filter(signatory=signatory).delete()
    found = bench.integrity(conventions, requests)
    assert found["lost_updates_detail"]["signatures_missing"] == 1

    _world, conventions, requests = signed_world()
    conventions[1].__class__.objects.filter(pk=conventions[1].pk).update(
        status=Status.PARTIALLY_SIGNED
    )
    found = bench.integrity(conventions, requests)
    assert found["lost_updates_detail"]["signed_by_all_but_not_in_review"] == 1
    assert found["lost_updates"] == 1


def test_a_second_signer_or_terminer_signatures_event_is_a_duplicate():
    _world, conventions, requests = signed_world()
    for action in (Action.SIGN, Action.COMPLETE_SIGNATURES):
        event = ConventionEvent.objects.filter(
            convention=conventions[0], action=action.value
        ).first()
        event.pk = None
        event.save()
    found = bench.integrity(conventions, requests)
    assert found["duplicates_detail"]["signer_events_per_signatory_and_version"] == 1
    assert found["duplicates_detail"]["terminer_signatures_per_convention"] == 1
    assert found["duplicates"] == 2


def test_a_second_all_signed_e_mail_still_to_be_written_is_a_duplicate(settings):
    """With the e-mails deferred (as in the benchmark, where no worker runs), each « signée
    par tous » is a pending notification: one per convention, a second is a duplicate."""
    from immersio.notifications.models import PendingNotification

    settings.NOTIFICATIONS_DEFERRED = True
    _world, conventions, requests = signed_world()
    pending = PendingNotification.objects.filter(kind="convention_all_signed")
    assert pending.count() == 2
    assert bench.integrity(conventions, requests)["duplicates"] == 0
    copy = pending.first()
    copy.pk = None
    copy.save()
    found = bench.integrity(conventions, requests)
    assert found["duplicates_detail"]["all_signed_emails_per_convention_and_recipient"] == 1


@pytest.mark.parametrize(("busy", "warned"), [(0.5, False), (49.9, False), (50, True), (100, True)])
def test_a_run_on_a_busy_machine_says_its_latencies_include_waiting(busy, warned):
    import json

    results = json.loads(bench.RESULTS.read_text())
    results["machine"]["cpu_busy_percent_at_start"] = busy
    text = bench.render(results)
    assert ("**Machine partagée pendant cette exécution**" in text) is warned
    assert f"Charge de la machine au départ : {busy} %" in text
