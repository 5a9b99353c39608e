"""After an entretien-métier (``resource_people``), the candidate keeps a trace of it in
the action plan of their bilan; the conversation's page offers it through a hook."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from immersio.journal.models import ActionStep, StepKind
from immersio.resource_people.models import ConversationStatus
from tests.accounts.factories import UserFactory
from tests.journal.helpers import immersion
from tests.resource_people.helpers import make_conversation

pytestmark = pytest.mark.django_db


def _past(candidate):
    return make_conversation(
        candidate=candidate,
        status=ConversationStatus.CONFIRMED,
        slot_at=timezone.now() - timedelta(days=1),
        contact_detail="https://visio.exemple.fr",
    )


def test_a_past_conversation_becomes_a_done_step_of_the_bilan(client):
    lived = immersion()
    conversation = _past(lived.beneficiary)
    client.force_login(lived.beneficiary)
    page = client.get(
        reverse("resource_people:conversation", kwargs={"public_id": conversation.public_id})
    ).text
    url = reverse("journal:add_conversation", kwargs={"conversation_id": conversation.public_id})
    assert url in page
    response = client.post(url, {"convention": str(lived.convention.public_id)})
    assert response.status_code == 302
    [step] = ActionStep.objects.all()
    assert step.kind == StepKind.TALK and step.done
    assert "Entretien-métier avec Hélène R." in step.text


def test_nothing_is_offered_without_a_carnet_nor_for_someone_elses_conversation(client):
    candidate = UserFactory()
    conversation = _past(candidate)
    client.force_login(candidate)
    page = client.get(
        reverse("resource_people:conversation", kwargs={"public_id": conversation.public_id})
    ).text
    url = reverse("journal:add_conversation", kwargs={"conversation_id": conversation.public_id})
    assert url not in page and "Rendez-vous le" in page
    assert client.get(url).status_code == 404
    other = immersion()
    client.force_login(other.beneficiary)
    assert client.get(url).status_code == 404
