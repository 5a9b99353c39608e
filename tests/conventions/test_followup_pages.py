"""Where a sent convention is followed: « Mes conventions » leads the agency's team to the
review page and the others to the page that says where it stands (status, who signed,
what comes next, nobody's contact details); the agency's space and menu lead to
« Conventions à suivre »."""

import pytest
from django.test import Client
from django.urls import reverse

from immersio.conventions import lifecycle
from immersio.conventions.transitions import Action, Role
from tests.accounts.factories import UserFactory
from tests.conventions.lifecycle_helpers import sent_convention, sign

pytestmark = pytest.mark.django_db


def logged(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def author_and_sent():
    author = UserFactory(first_name="Anne", last_name="Auteur")
    sent = sent_convention(created_by=author)
    return author, sent


def test_mine_links_the_agency_to_the_review_and_the_author_to_the_sent_page():
    author, sent = author_and_sent()
    convention = sent.convention
    review = reverse("conventions:review", kwargs={"public_id": convention.public_id})
    sent_page = reverse("conventions:sent", kwargs={"token": convention.share_token})
    for user in (sent.counsellor, sent.validator):
        page = logged(user).get(reverse("conventions:mine")).content.decode()
        assert f'href="{review}"' in page and sent_page not in page
    page = logged(author).get(reverse("conventions:mine")).content.decode()
    assert f'href="{sent_page}"' in page and review not in page


def test_the_sent_page_says_who_signed_and_what_comes_next_without_contacts():
    author, sent = author_and_sent()
    sign(sent.signatory(Role.HOST_REPRESENTATIVE))
    url = reverse("conventions:sent", kwargs={"token": sent.convention.share_token})
    page = logged(author).get(url).content.decode()
    assert 'id="etat">Partiellement signée<' in page
    host = sent.signatory(Role.HOST_REPRESENTATIVE)
    beneficiary = sent.signatory(Role.BENEFICIARY)
    signatures = page[page.index('id="signatures"') :]
    beneficiary_line = signatures[signatures.index(beneficiary.name) :].split("</li>")[0]
    assert "n'a pas encore signé" in beneficiary_line.replace("&#x27;", "'")
    host_line = signatures[signatures.index(host.name) :].split("</li>")[0]
    assert "a signé le" in host_line
    assert "Une signature manque encore." in page
    for contact in (host.email, beneficiary.email, str(beneficiary.phone)):
        assert contact not in page
    review = reverse("conventions:review", kwargs={"public_id": sent.convention.public_id})
    assert review not in page  # not of the agency

    sign(beneficiary)
    page = logged(author).get(url).content.decode()
    assert "Tout le monde a signé" in page and "examine" in page
    assert review in logged(sent.validator).get(url).content.decode()


def test_the_sent_page_gives_the_reason_of_a_refusal():
    author, sent = author_and_sent()
    for signatory in (Role.BENEFICIARY, Role.HOST_REPRESENTATIVE):
        sign(sent.signatory(signatory))
    lifecycle.decide(
        convention=sent.refresh(),
        action=Action.REFUSE,
        actor=sent.validator,
        reason="Le projet ne correspond pas.",
    )
    url = reverse("conventions:sent", kwargs={"token": sent.convention.share_token})
    page = logged(author).get(url).content.decode()
    assert "Le projet ne correspond pas." in page
    assert "a refusé la convention" in page


def test_the_agency_reaches_its_conventions_from_its_space_and_the_menu():
    _author, sent = author_and_sent()
    review_list = reverse("conventions:review_list")
    client = logged(sent.counsellor)
    space = client.get(
        reverse("agencies:space_agency", kwargs={"public_id": sent.convention.agency.public_id})
    ).content.decode()
    assert space.count(f'href="{review_list}"') == 2  # the menu and the space
    assert f'href="{review_list}"' in client.get(reverse("accounts:profile")).content.decode()
    stranger = logged(UserFactory()).get(reverse("accounts:profile")).content.decode()
    assert review_list not in stranger
