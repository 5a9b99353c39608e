"""« Mon espace » (the menu of every page) and « Mon compte » (its fallback without
JavaScript) list the same spaces, from one list (``core.context_processors``)."""

import re

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.resource_people.helpers import make_profile
from tests.structures.factories import HostStructureFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def menu(page: str) -> list[str]:
    block = re.search(r'<ul class="dropdown-menu dropdown-menu-end">(.*?)</ul>', page, re.S)
    return re.findall(r'class="dropdown-item" href="([^"]+)"', block.group(1))


def account_list(page: str) -> list[str]:
    block = re.search(r'<nav aria-labelledby="titre-espaces".*?</nav>', page, re.S)
    return re.findall(r'<a href="([^"]+)"', block.group(0))


@pytest.mark.parametrize("who", ["candidate", "everything"])
def test_the_menu_and_the_account_page_list_the_same_spaces(client, who):
    user = UserFactory(is_staff=who == "everything")
    if who == "everything":
        MembershipFactory(structure=HostStructureFactory(), user=user)
        AgencyFactory(counsellor=user)
        make_profile(person=user)
    client.force_login(user)

    page = client.get(reverse("accounts:profile")).text

    on_menu = menu(page)
    expected = [url for url in on_menu if url not in {reverse("accounts:profile")}]
    expected.remove(reverse("privacy:my_data"))  # the account page has its own section
    assert account_list(page) == expected
    assert reverse("conventions:mine") in on_menu
    has_profile = reverse("resource_people:my_profile") in on_menu
    assert has_profile is (who == "everything")
    assert (reverse("testimonies:queue") in on_menu) is (who == "everything")
    assert (reverse("conventions:review_list") in on_menu) is (who == "everything")
    assert (reverse("structures:space") in on_menu) is (who == "everything")


def test_a_resource_person_is_told_where_the_requests_she_receives_are(client):
    profile = make_profile()
    client.force_login(profile.person)
    page = client.get(reverse("resource_people:mine")).text
    assert f'href="{reverse("resource_people:my_profile")}#demandes-recues"' in page
    assert 'id="demandes-recues"' in client.get(reverse("resource_people:my_profile")).text
