"""The events' services refuse whoever may not run them (``test_service_actors``)."""

from datetime import timedelta

from immersio.core.actors import VISITOR
from immersio.events.models import Status
from immersio.events.services import EventData
from immersio.referentials.previews import lyon
from tests.accounts.factories import UserFactory
from tests.core.service_case import Case
from tests.events.helpers import make_event, member, soon


def data(**fields) -> EventData:
    start = soon()
    values = {
        "title": "Portes ouvertes",
        "kind": "portes_ouvertes",
        "description": "Visite.",
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "organiser_name": "",
        "address": "1 rue des Jardins",
        "commune": lyon(),
    }
    return EventData(**(values | fields))


def _submit_by_someone_without_a_team():
    return {"data": data()}, UserFactory()


def _submit_by_a_visitor():
    structure, _ = member()
    return {"data": data(host_structure=structure)}, VISITOR


def _someone_elses_event():
    structure, author = member()
    event = make_event(host_structure=structure, submitted_by=author, status=Status.SUBMITTED)
    return event, UserFactory()


def _update_by_someone_else():
    event, other = _someone_elses_event()
    return {"event": event, "data": data()}, other


def _cancel_by_someone_else():
    event, other = _someone_elses_event()
    return {"event": event}, other


def _publish_by_the_author():
    structure, author = member()
    event = make_event(host_structure=structure, submitted_by=author, status=Status.SUBMITTED)
    return {"event": event}, author


def _refuse_by_the_author():
    structure, author = member()
    event = make_event(host_structure=structure, submitted_by=author, status=Status.SUBMITTED)
    return {"event": event, "reason": "Non"}, author


def _erase_someone_else():
    _structure, author = member()
    make_event(submitted_by=author, status=Status.SUBMITTED, published_at=None)
    return {"submitter": author}, UserFactory()


def _erase_by_a_visitor():
    _structure, author = member()
    make_event(submitted_by=author, status=Status.SUBMITTED, published_at=None)
    return {"submitter": author}, VISITOR


CASES = [
    Case("immersio.events.services.submit_event", _submit_by_someone_without_a_team),
    Case("immersio.events.services.submit_event", _submit_by_a_visitor),
    Case("immersio.events.services.update_event", _update_by_someone_else),
    Case("immersio.events.services.cancel_event", _cancel_by_someone_else),
    Case("immersio.events.services.publish_event", _publish_by_the_author),
    Case("immersio.events.services.refuse_event", _refuse_by_the_author),
    Case("immersio.events.services.erase_submissions", _erase_someone_else),
    Case("immersio.events.services.erase_submissions", _erase_by_a_visitor),
]

READ_ONLY = {
    "immersio.events.services.submitter_structures": "reads a person's structures",
    "immersio.events.services.may_submit": "a permission predicate",
    "immersio.events.services.may_manage": "a permission predicate",
}
