"""Issue 8, items 30 and 32 on the request form: prefilled from the profile, one-word
motivations refused with help; a candidate's thread is titled with the structure."""

import re
from html import unescape

import pytest

from tests.accounts.factories import UserFactory
from tests.contacts.test_flow import new_url
from tests.fixtures.contacts import VALID_FORM, ContactRequestFactory
from tests.structures.factories import MARAICHER

pytestmark = pytest.mark.django_db


def test_a_logged_in_candidate_finds_the_form_prefilled_from_the_profile(client, host):
    user = UserFactory(
        first_name="Ada", last_name="Lovelace", email="ada@exemple.fr", phone="06 12 34 56 78"
    )
    client.force_login(user)
    html = client.get(new_url(host)).content.decode()
    for name, value in [
        ("first_name", "Ada"),
        ("last_name", "Lovelace"),
        ("email", "ada@exemple.fr"),
        ("phone", "06 12 34 56 78"),
    ]:
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert f'value="{value}"' in tag


def test_an_anonymous_visitor_finds_it_empty(client, host):
    html = client.get(new_url(host)).content.decode()
    tag = re.search(r'<input[^>]*name="first_name"[^>]*>', html).group(0)
    assert "value=" not in tag


@pytest.mark.parametrize("motivations", ["Motivé", "  motivée !  ", "Très motivé"])
def test_one_word_motivations_are_refused_with_help(client, host, motivations):
    data = VALID_FORM | {"appellation": str(MARAICHER), "motivations": motivations}
    html = client.post(new_url(host), data | {"action": "apercu"}).content.decode()
    assert 'id="id_motivations_error"' in html
    assert "Dites-en un peu plus" in html
    assert 'value="Camille"' in html  # nothing lost


def test_the_candidates_own_thread_is_titled_with_the_structure(client):
    contact_request = ContactRequestFactory(first_name="Camille", last_name="Durand")
    client.force_login(contact_request.candidate)
    html = client.get(f"/demandes/{contact_request.public_id}/").content.decode()
    title = unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))
    assert contact_request.structure.display_name in title
    assert "Camille" not in title and "Durand" not in title


def test_two_tabs_reread_and_send_each_their_own_request(client, host):
    """Written in two tabs, each request waits in its own draft: rereading or sending one
    never takes the other's text."""
    keys = [
        re.search(r'name="brouillon" value="([0-9a-f-]{36})"', client.get(new_url(host)).text)[1]
        for _ in range(2)
    ]
    assert keys[0] != keys[1]
    texts = ["Je veux me reconvertir dans le maraîchage.", "J'aime travailler dehors, la terre."]
    for key, text in zip(keys, texts, strict=True):
        data = VALID_FORM | {"appellation": str(MARAICHER), "motivations": text}
        preview = client.post(new_url(host), data | {"action": "apercu", "brouillon": key})
        assert f'name="brouillon" value="{key}"' in preview.text
    # Back to the first tab: its text, not the second's.
    page = client.post(new_url(host), {"action": "modifier", "brouillon": keys[0]}).text
    assert unescape(texts[0]) in unescape(page) and texts[1] not in unescape(page)
    client.post(new_url(host), {"action": "envoyer", "brouillon": keys[1]})
    drafts = client.session["contact_request"]
    assert list(drafts) == [keys[0]]  # the sent one is gone, the other waits
