"""The journal's services: one page per day, people met with consent, sharing, the bilan
and its action plan, and erasure with the account."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from immersio.conventions.models import Convention, Status
from immersio.journal import rules, services
from immersio.journal.models import ActionStep, JournalEntry, PersonMet, Reflection
from tests.journal.helpers import immersion

pytestmark = pytest.mark.django_db


def test_one_page_per_day_the_second_write_changes_it():
    found = immersion()
    day = found.convention.date_start
    first = services.save_entry(
        convention=found.convention,
        day=day,
        texts={"observed": "Les semis"},
        actor=found.beneficiary,
    )
    second = services.save_entry(
        convention=found.convention,
        day=day,
        texts={"observed": "Les semis", "tried": "Repiquer"},
        actor=found.beneficiary,
    )
    assert first.pk == second.pk
    assert JournalEntry.objects.get().tried == "Repiquer"


def test_a_day_outside_the_convention_or_to_come_is_refused():
    found = immersion()
    for day in (
        found.convention.date_start - timedelta(days=1),
        timezone.localdate() + timedelta(days=1),
    ):
        with pytest.raises(services.Refused) as refused:
            services.save_entry(
                convention=found.convention, day=day, texts={"note": "x"}, actor=found.beneficiary
            )
        assert refused.value.violations[0].field == "day"
    assert not JournalEntry.objects.exists()


def test_a_too_long_text_is_refused_not_cut():
    found = immersion()
    with pytest.raises(services.Refused):
        services.save_entry(
            convention=found.convention,
            day=found.convention.date_start,
            texts={"note": "a" * (rules.NOTE_MAX + 1)},
            actor=found.beneficiary,
        )


def test_only_the_beneficiary_of_a_validated_immersion_writes():
    found = immersion(status=Status.PRE_VALIDATED)
    with pytest.raises(PermissionDenied):
        services.save_entry(
            convention=found.convention,
            day=found.convention.date_start,
            texts={"note": "x"},
            actor=found.beneficiary,
        )


def test_the_carnet_closes_months_after_the_end():
    found = immersion()
    earliest = rules.earliest_open_end(timezone.localdate())
    Convention.objects.filter(pk=found.convention.pk).update(
        date_start=earliest - timedelta(days=5), date_end=earliest
    )
    found.convention.refresh_from_db()
    services.save_reflection(
        convention=found.convention, values={"learned": "x"}, actor=found.beneficiary
    )
    Convention.objects.filter(pk=found.convention.pk).update(
        date_start=earliest - timedelta(days=6), date_end=earliest - timedelta(days=1)
    )
    found.convention.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.save_reflection(
            convention=found.convention, values={"learned": "x"}, actor=found.beneficiary
        )


def _entry(found):
    return services.save_entry(
        convention=found.convention,
        day=found.convention.date_start,
        texts={"note": "Premier jour"},
        actor=found.beneficiary,
    )


def test_a_contact_without_consent_is_refused_and_never_stored():
    found = immersion()
    entry = _entry(found)
    with pytest.raises(services.Refused) as refused:
        services.add_person(
            entry=entry, name="Aïcha", contact="aicha@exemple.fr", actor=found.beneficiary
        )
    assert refused.value.violations[0].field == "contact_agreed"
    person = services.add_person(
        entry=entry,
        name="Aïcha",
        role="Cheffe de culture",
        contact="aicha@exemple.fr",
        contact_agreed=True,
        recontact=True,
        actor=found.beneficiary,
    )
    assert PersonMet.objects.get() == person and person.contact == "aicha@exemple.fr"


def test_sharing_is_revocable_and_keeps_its_first_date():
    found = immersion()
    entry = _entry(found)
    shared = services.share_entry(entry=entry, shared=True, actor=found.beneficiary)
    first = shared.shared_at
    assert first is not None
    assert (
        services.share_entry(entry=entry, shared=True, actor=found.beneficiary).shared_at == first
    )
    assert (
        services.share_entry(entry=entry, shared=False, actor=found.beneficiary).shared_at is None
    )


def test_the_bilan_is_written_changed_and_its_steps_dated():
    found = immersion()
    reflection = services.save_reflection(
        convention=found.convention,
        values={"metier_fit": "oui", "metier_why": "J'aime le dehors", "needs": ["formation"]},
        actor=found.beneficiary,
    )
    assert reflection.written
    changed = services.save_reflection(
        convention=found.convention, values={"learned": "Les rotations"}, actor=found.beneficiary
    )
    assert changed.pk == reflection.pk and changed.metier_fit == "" and changed.written
    today = timezone.localdate()
    with pytest.raises(services.Refused):
        services.add_step(
            convention=found.convention,
            kind="me_former",
            text="BPREA",
            target_date=today - timedelta(days=1),
            actor=found.beneficiary,
        )
    step = services.add_step(
        convention=found.convention,
        kind="me_former",
        text="BPREA",
        target_date=today,
        actor=found.beneficiary,
    )
    assert services.mark_step_done(step=step, done=True, actor=found.beneficiary).done
    services.remove_step(step=step, actor=found.beneficiary)
    assert not ActionStep.objects.exists()


def test_an_empty_bilan_is_not_written():
    found = immersion()
    reflection = services.save_reflection(
        convention=found.convention, values={}, actor=found.beneficiary
    )
    assert not reflection.written


def test_a_step_alone_counts_as_written_even_after_saving_empty_answers():
    """One definition of « written » for the answers and the action plan: saving the
    answers empty keeps a bilan with a step written (no reminder), removing its last step
    from an empty bilan makes it unwritten again."""
    found = immersion()
    step = services.add_step(
        convention=found.convention,
        kind="candidater",
        text="Envoyer ma candidature",
        target_date=timezone.localdate(),
        actor=found.beneficiary,
    )
    assert step.reflection.written
    reflection = services.save_reflection(
        convention=found.convention, values={}, actor=found.beneficiary
    )
    assert reflection.written
    services.remove_step(step=step, actor=found.beneficiary)
    reflection.refresh_from_db()
    assert not reflection.written


def test_erasure_deletes_pages_people_bilan_and_steps():
    found = immersion()
    entry = _entry(found)
    services.add_person(entry=entry, name="Aïcha", actor=found.beneficiary)
    services.add_step(
        convention=found.convention,
        kind="candidater",
        text="x",
        target_date=timezone.localdate(),
        actor=found.beneficiary,
    )
    assert services.erase_journal(owner=found.beneficiary, actor=found.beneficiary) == 2
    assert not JournalEntry.objects.exists() and not PersonMet.objects.exists()
    assert not Reflection.objects.exists() and not ActionStep.objects.exists()
