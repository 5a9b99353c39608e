"""A resource person's profile and entretiens-métier in « Mes données » and in account
deletion."""

import json
import zipfile

import pytest

from immersio.notifications.models import OutboundEmail
from immersio.privacy import export
from immersio.privacy.selectors import person_data
from immersio.privacy.services import delete_account
from immersio.resource_people.models import Conversation, ResourceProfile
from tests.resource_people.helpers import make_conversation, make_profile

pytestmark = pytest.mark.django_db


def test_my_data_holds_my_profile_and_my_conversations_only():
    profile = make_profile()
    mine = make_conversation(profile=profile)
    make_conversation()  # someone else's
    data = person_data(profile.person).categories["personnes_ressources"]
    [part] = data
    assert part["profil"]["apres"] == "Maraîchère bio"
    assert [row["role"] for row in part["entretiens"]] == ["personne ressource"]
    candidate_part = person_data(mine.candidate).categories["personnes_ressources"][0]
    assert candidate_part["profil"] is None
    assert candidate_part["entretiens"][0]["qui_je_suis"] == mine.about_me
    with export.build_zip(mine.candidate) as spooled, zipfile.ZipFile(spooled) as archive:
        assert json.loads(archive.read("personnes_ressources.json"))[0]["entretiens"]


def test_deleting_the_account_deletes_the_profile_and_tells_the_other_side():
    profile = make_profile()
    conversation = make_conversation(profile=profile)
    delete_account(user=profile.person, actor=profile.person)
    assert not ResourceProfile.objects.exists()
    assert not Conversation.objects.filter(pk=conversation.pk).exists()
    [email] = OutboundEmail.objects.filter(kind="resource_conversation_cancelled")
    assert email.recipient == conversation.candidate.email


def test_a_candidate_deleting_their_account_takes_their_requests_away():
    conversation = make_conversation()
    candidate = conversation.candidate
    delete_account(user=candidate, actor=candidate)
    assert not Conversation.objects.exists()
    assert ResourceProfile.objects.filter(pk=conversation.profile_id).exists()
