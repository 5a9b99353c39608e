"""The team pages of both kinds address people and invitations by public UUIDs only."""

import re
import uuid

import pytest
from django.urls import reverse

from tests.teams.kinds import KINDS

pytestmark = [pytest.mark.django_db, pytest.mark.parametrize("spec", KINDS, ids=str)]


def test_team_pages_never_expose_an_integer_id(client, spec):
    team = spec.make_team()
    client.force_login(team.admin)
    url = reverse(spec.kind.team_url_name, kwargs={"public_id": team.organisation.public_id})
    page = client.get(url).content.decode()
    posted = dict.fromkeys(re.findall(r'name="(?:personne|invitation)" value="([^"]*)"', page))
    assert len(posted) == 3  # the two members and the open invitation
    for value in posted:
        uuid.UUID(value)
    assert str(team.member.public_id) in posted
    assert not re.search(r'value="\d+"', page)
    assert not re.search(r'(?:href|action)="[^"]*/\d+/', page)


def test_a_member_is_not_found_by_their_primary_key(client, spec):
    team = spec.make_team()
    client.force_login(team.admin)
    kwargs = {"public_id": team.organisation.public_id}
    remove = reverse(spec.kind.remove_url_name, kwargs=kwargs)
    assert client.post(remove, {"personne": str(team.member.pk)}).status_code == 404
    response = client.post(remove, {"personne": str(team.member.public_id)})
    assert response.status_code == 302
    assert not spec.kind.membership_model.objects.get(user=team.member).is_active


def test_the_invitation_landing_is_shared(client, spec):
    team = spec.make_team()
    page = client.get(reverse(spec.kind.invitation_url_name), {"jeton": team.invitation_token})
    text = page.content.decode()
    assert "Rejoindre l'équipe de" in text
    assert f'action="{reverse(spec.kind.invitation_url_name)}"' in text
    assert page.templates[0].name == "teams/invitation.html"
