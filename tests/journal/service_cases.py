"""The journal's services refuse whoever may not run them (``test_service_actors``)."""

from datetime import timedelta

from django.utils import timezone

from immersio.core.actors import TASK, VISITOR
from immersio.journal.models import ActionStep, JournalEntry, PersonMet, Reflection
from tests.accounts.factories import UserFactory
from tests.core.service_case import Case
from tests.journal.helpers import immersion


def _entry():
    found = immersion()
    entry = JournalEntry.objects.create(
        owner=found.beneficiary,
        convention=found.convention,
        day=found.convention.date_start,
        note="Premier jour",
    )
    return found, entry


def _reflection():
    found = immersion()
    reflection = Reflection.objects.create(owner=found.beneficiary, convention=found.convention)
    step = ActionStep.objects.create(
        reflection=reflection,
        kind="candidater",
        text="Candidater",
        target_date=timezone.localdate() + timedelta(days=3),
    )
    return found, step


def _save_entry_by_the_counsellor():
    found = immersion()
    day = found.convention.date_start
    return {"convention": found.convention, "day": day, "texts": {"note": "x"}}, found.counsellor


def _save_entry_by_a_task():
    found = immersion()
    day = found.convention.date_start
    return {"convention": found.convention, "day": day, "texts": {"note": "x"}}, TASK


def _important_by_the_host():
    found, entry = _entry()
    return {"entry": entry, "important": True}, found.host_admin


def _share_by_someone_else():
    _found, entry = _entry()
    return {"entry": entry, "shared": True}, UserFactory()


def _person_by_the_counsellor():
    found, entry = _entry()
    return {"entry": entry, "name": "Aïcha"}, found.counsellor


def _person_removed_by_someone_else():
    _found, entry = _entry()
    person = PersonMet.objects.create(entry=entry, name="Aïcha")
    return {"person_met": person}, UserFactory()


def _reflection_by_the_counsellor():
    found = immersion()
    return {"convention": found.convention, "values": {"learned": "x"}}, found.counsellor


def _reflection_shared_by_a_visitor():
    found = immersion()
    return {"convention": found.convention, "shared": True}, VISITOR


def _step_added_by_the_host():
    found = immersion()
    return {
        "convention": found.convention,
        "kind": "candidater",
        "text": "x",
        "target_date": timezone.localdate(),
    }, found.host_admin


def _step_done_by_someone_else():
    _found, step = _reflection()
    return {"step": step, "done": True}, UserFactory()


def _step_removed_by_the_counsellor():
    found, step = _reflection()
    return {"step": step}, found.counsellor


def _reminders_by_a_person():
    immersion(start=timezone.localdate() - timedelta(days=6), days=4)  # ended 2 days ago
    return {}, UserFactory(is_staff=True)


def _erased_by_someone_else():
    found, _page = _entry()
    return {"owner": found.beneficiary}, found.counsellor


S = "immersio.journal.services."
_CASES = [
    (S + "save_entry", _save_entry_by_the_counsellor),
    (S + "save_entry", _save_entry_by_a_task),
    (S + "mark_important", _important_by_the_host),
    (S + "share_entry", _share_by_someone_else),
    (S + "add_person", _person_by_the_counsellor),
    (S + "remove_person", _person_removed_by_someone_else),
    (S + "save_reflection", _reflection_by_the_counsellor),
    (S + "share_reflection", _reflection_shared_by_a_visitor),
    (S + "add_step", _step_added_by_the_host),
    (S + "mark_step_done", _step_done_by_someone_else),
    (S + "remove_step", _step_removed_by_the_counsellor),
    (S + "send_reflection_reminders", _reminders_by_a_person),
    (S + "erase_journal", _erased_by_someone_else),
]

CASES = [Case(name, build=build) for name, build in _CASES]

READ_ONLY: dict[str, str] = {}
