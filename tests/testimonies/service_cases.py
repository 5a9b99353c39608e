"""The testimonies' services refuse whoever may not run them (``test_service_actors``)."""

from immersio.core.actors import TASK, VISITOR
from tests.accounts.factories import UserFactory
from tests.core.service_case import Case
from tests.structures.factories import HostStructureFactory
from tests.testimonies.helpers import published, story, submitted


def _submit_by_a_visitor():
    return {"story": story(), "consent": True}, VISITOR


def _update_by_someone_else():
    return {"testimony": submitted(), "story": story(), "consent": True}, UserFactory()


def _withdraw_by_someone_else():
    return {"testimony": published()}, UserFactory()


def _delete_by_a_task():
    return {"testimony": submitted()}, TASK


def _review_by_the_author():
    testimony = submitted()
    return {"testimony": testimony, "publish": True}, testimony.author


def _unpublish_by_a_person():
    return {"testimony": published()}, UserFactory()


def _dismiss_by_the_author():
    testimony = published()
    return {"testimony": testimony}, testimony.author


def _report_by_another_structure():
    named = HostStructureFactory()
    other_admin = UserFactory()
    HostStructureFactory(admin=other_admin)
    testimony = published(structure=named)
    return {"testimony": testimony, "structure": named, "reason": "autre"}, other_admin


def _erase_by_someone_else():
    testimony = submitted()
    return {"owner": testimony.author}, UserFactory()


S = "immersio.testimonies.services."
_CASES = [
    (S + "submit_testimony", _submit_by_a_visitor),
    (S + "update_testimony", _update_by_someone_else),
    (S + "withdraw_consent", _withdraw_by_someone_else),
    (S + "delete_testimony", _delete_by_a_task),
    (S + "review_testimony", _review_by_the_author),
    (S + "unpublish_testimony", _unpublish_by_a_person),
    (S + "dismiss_reports", _dismiss_by_the_author),
    (S + "report_testimony", _report_by_another_structure),
    (S + "erase_testimonies", _erase_by_someone_else),
]
CASES = [Case(name, build=build) for name, build in _CASES]
READ_ONLY: dict[str, str] = {}
