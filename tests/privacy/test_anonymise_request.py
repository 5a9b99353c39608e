"""``erasure.anonymise_request``, shared by the deletion and the retention job: the
statistics' skeleton stays, the person goes."""

import pytest
from django.utils import timezone

from immersio.contacts.models import ContactEvent, ContactRequest, Message, Status
from immersio.privacy.erasure import ANONYMISED_REQUEST_FIELDS, anonymise_request
from tests.fixtures.contacts import ContactRequestFactory

pytestmark = pytest.mark.django_db


def _request(**fields):
    request = ContactRequestFactory(answered=True, **fields)
    Message.objects.create(request=request, side="candidat", body="Mon numéro : 06 12 34 56 78")
    ContactEvent.objects.create(
        request=request, at=timezone.now(), to_status=Status.ACCEPTED, reason="Venez lundi"
    )
    return request


def test_the_skeleton_stays_and_the_person_goes():
    request = _request()
    structure, appellation, sent_at = request.structure_id, request.appellation_id, request.sent_at
    anonymise_request(request, now=timezone.now())
    request = ContactRequest.objects.get(pk=request.pk)
    assert request.status == Status.ACCEPTED  # the outcome the statistics count
    assert (request.structure_id, request.appellation_id, request.sent_at) == (
        structure,
        appellation,
        sent_at,
    )
    for field, value in ANONYMISED_REQUEST_FIELDS.items():
        if field != "email":
            assert getattr(request, field) == value, field
    assert request.email.endswith("@anonyme.invalid") and "camille" not in request.email.lower()
    assert not request.messages.exists()
    assert list(request.events.values_list("reason", "by")) == [("", None)]


def test_two_open_requests_of_the_same_place_can_both_be_anonymised():
    first = _request()
    second = _request(structure=first.structure, candidate__email="autre@exemple.fr")
    now = timezone.now()
    anonymise_request(first, now=now)
    anonymise_request(second, now=now)
    assert ContactRequest.objects.filter(anonymised_at=now).count() == 2


def test_withdraw_closes_an_open_request_and_twice_is_once():
    request = _request()
    now = timezone.now()
    anonymise_request(request, now=now, withdraw=True)
    anonymise_request(request, now=now, withdraw=True)
    request.refresh_from_db()
    assert request.status == Status.WITHDRAWN and request.closed_at == now
    assert request.email == ""
    assert request.events.filter(to_status=Status.WITHDRAWN).count() == 1
