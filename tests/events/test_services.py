"""Proposing, reading, editing and cancelling events (services)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from immersio.events import services
from immersio.events.models import Event, Status
from immersio.notifications.models import OutboundEmail
from tests.accounts.factories import UserFactory
from tests.events.helpers import make_event, member, soon
from tests.events.service_cases import data

pytestmark = pytest.mark.django_db


def test_a_member_proposes_for_their_structure_and_it_waits_for_the_team():
    structure, user = member()
    event = services.submit_event(data=data(host_structure=structure), actor=user)
    assert event.status == Status.SUBMITTED
    assert event.published_at is None
    assert event.submitted_by == user
    assert event.organiser_name == structure.display_name
    assert list(event.participants.all()) == [structure]
    assert not Event.objects.public().filter(pk=event.pk).exists()


def test_a_member_may_not_propose_for_another_structure():
    _mine, user = member()
    other, _ = member()
    with pytest.raises(services.EventError) as error:
        services.submit_event(data=data(host_structure=other), actor=user)
    assert error.value.field == "host_structure"
    assert not Event.objects.exists()


def test_the_team_publishes_its_own_at_once():
    staff = UserFactory(is_staff=True)
    event = services.submit_event(data=data(organiser_name="Immersio"), actor=staff)
    assert event.status == Status.PUBLISHED
    assert event.published_at is not None


def test_dates_in_the_past_are_refused_by_the_service_too():
    structure, user = member()
    start = soon(days=-2)
    with pytest.raises(services.EventError) as error:
        services.submit_event(
            data=data(
                host_structure=structure, starts_at=start, ends_at=start + timedelta(hours=1)
            ),
            actor=user,
        )
    assert error.value.field == "starts_at"


def test_the_same_event_twice_is_one(settings):
    structure, user = member()
    services.submit_event(data=data(host_structure=structure), actor=user)
    with pytest.raises(services.Duplicate):
        services.submit_event(data=data(host_structure=structure), actor=user)
    assert Event.objects.count() == 1


def test_submissions_are_rate_limited(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, services.SUBMISSION_LIMIT: (2, 3600)}
    structure, user = member()
    for number in range(2):
        services.submit_event(data=data(host_structure=structure, title=f"N{number}"), actor=user)
    with pytest.raises(services.RateLimited):
        services.submit_event(data=data(host_structure=structure, title="N3"), actor=user)
    assert Event.objects.count() == 2


def test_publishing_tells_the_person_and_refusing_says_why():
    structure, user = member()
    staff = UserFactory(is_staff=True)
    first = services.submit_event(data=data(host_structure=structure, title="A"), actor=user)
    second = services.submit_event(data=data(host_structure=structure, title="B"), actor=user)
    services.publish_event(event=first, actor=staff)
    services.refuse_event(event=second, reason="Réservé aux adhérents.", actor=staff)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.PUBLISHED and first.reviewed_by == staff
    assert second.status == Status.REFUSED and second.refusal_reason == "Réservé aux adhérents."
    emails = OutboundEmail.objects.filter(recipient=user.email).order_by("pk")
    assert [e.kind for e in emails] == ["event_published", "event_refused"]
    assert "Réservé aux adhérents." in emails[1].text_body
    assert user.last_name not in emails[0].subject
    with pytest.raises(services.EventError):  # already read
        services.publish_event(event=second, actor=staff)


def test_a_refusal_needs_a_reason():
    structure, user = member()
    event = services.submit_event(data=data(host_structure=structure), actor=user)
    with pytest.raises(services.EventError):
        services.refuse_event(event=event, reason="  ", actor=UserFactory(is_staff=True))


def test_editing_sends_it_back_to_the_team_and_a_colleague_may_do_it():
    structure, user = member()
    colleague = UserFactory()
    structure.memberships.create(user=colleague, role="contact")
    event = make_event(host_structure=structure, submitted_by=user)
    changed = services.update_event(
        event=event, data=data(host_structure=structure, title="Nouveau titre"), actor=colleague
    )
    assert changed.title == "Nouveau titre"
    assert changed.status == Status.SUBMITTED
    with pytest.raises(PermissionDenied):
        services.update_event(event=event, data=data(), actor=UserFactory())


def test_cancelling_keeps_a_published_event_public_and_marked():
    structure, user = member()
    event = make_event(host_structure=structure, submitted_by=user)
    services.cancel_event(event=event, actor=user)
    event.refresh_from_db()
    assert event.is_cancelled
    assert Event.objects.public().filter(pk=event.pk).exists()
    with pytest.raises(services.EventError):
        services.cancel_event(event=event, actor=user)
    with pytest.raises(services.EventError):
        services.update_event(event=event, data=data(host_structure=structure), actor=user)


def test_erasing_a_submitter_keeps_published_events_without_them():
    structure, user = member()
    published = make_event(host_structure=structure, submitted_by=user, contact_email=user.email)
    pending = make_event(submitted_by=user, status=Status.SUBMITTED, published_at=None, title="P")
    assert services.erase_submissions(submitter=user, actor=user) == 1
    published.refresh_from_db()
    assert published.submitted_by is None and published.contact_email == ""
    assert not Event.objects.filter(pk=pending.pk).exists()


def test_the_team_is_told_when_an_event_waits_for_its_reading():
    reader = UserFactory(is_staff=True)
    UserFactory(is_staff=True, is_active=False)
    structure, user = member()
    event = services.submit_event(data=data(host_structure=structure), actor=user)
    emails = OutboundEmail.objects.filter(kind="event_to_read")
    assert list(emails.values_list("recipient", flat=True)) == [reader.email]
    services.update_event(event=event, data=data(host_structure=structure, title="B"), actor=user)
    assert emails.count() == 2
    services.submit_event(data=data(title="Par l'équipe"), actor=reader)  # published at once
    assert emails.count() == 2
