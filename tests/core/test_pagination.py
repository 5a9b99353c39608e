"""Lists once cut at 200 rows are paginated with one helper and one template: every row is
reachable, the links keep the other parameters, and the navigation is accessible."""

from datetime import timedelta
from html import unescape

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from immersio.contacts.models import BoardPost, ContactRequest, Status
from immersio.conventions.models import Convention
from immersio.core.pagination import PER_PAGE, paginate
from tests.accounts.factories import UserFactory
from tests.fixtures.contacts import ContactRequestFactory
from tests.structures.factories import lyon, maraicher

pytestmark = pytest.mark.django_db

ROWS = 201  # one more than the old cut
LAST = -(-ROWS // PER_PAGE)  # ceiling


def get(request_path, number=None):
    return RequestFactory().get(request_path, {} if number is None else {"page": number})


def test_paginate_keeps_the_other_parameters_and_clamps_the_number():
    rows = list(range(ROWS))
    request = RequestFactory().get("/liste/", {"filtre": "toutes", "page": "2"})
    page = paginate(request, rows, label="Pages de la liste")
    assert page.number == 2 and page.pages == LAST and page.count == ROWS
    assert list(page) == rows[PER_PAGE : 2 * PER_PAGE]
    assert page.previous_url == "?filtre=toutes"
    assert page.next_url == "?filtre=toutes&page=3"
    assert [link.number for link in page.links] == [1, 2, 3, 4, 5][:LAST]
    assert [link.current for link in page.links if link.current] == [True]
    # Out of range or not a number: the nearest page, never an error.
    assert paginate(get("/liste/", "99"), rows, label="x").number == LAST
    assert paginate(get("/liste/", "deux"), rows, label="x").number == 1
    # The first page's link has no ``page`` parameter at all.
    assert paginate(get("/liste/", "2"), rows, label="x").previous_url == "/liste/"


def test_far_pages_are_separated_by_a_gap():
    request = get("/liste/", "10")
    page = paginate(request, list(range(20 * PER_PAGE)), label="x")
    numbers = [link.number for link in page.links]
    assert numbers == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert all(link.gap for link in page.links if link.number is None)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def assert_paginated(client, url, first_text, last_text):
    """The first page shows the navigation, not the oldest row; the last page shows it."""
    page = unescape(client.get(url).content.decode())
    assert f"Page 1 sur {LAST}" in page
    assert 'rel="next"' in page and "Suivante" in page
    assert 'aria-label="Pages' in page
    assert 'aria-current="page"' in page
    assert first_text in page and last_text not in page
    separator = "&" if "?" in url else "?"
    last = unescape(client.get(f"{url}{separator}page={LAST}").content.decode())
    assert f"Page {LAST} sur {LAST}" in last
    assert 'rel="prev"' in last and "Précédente" in last and 'rel="next"' not in last
    assert last_text in last


def many_requests(host_structure, *, candidate=None, status=Status.NEW):
    """ROWS requests, the oldest first (the lists show the newest first)."""
    now = timezone.now()
    appellation = maraicher()
    rows = []
    for number in range(ROWS):
        rows.append(
            ContactRequestFactory(
                structure=host_structure,
                appellation=appellation,
                candidate=candidate or UserFactory(),
                first_name=f"Prénom{number:03d}",
                status=status,
                sent_at=now - timedelta(minutes=ROWS - number),
            )
        )
    return rows


def test_structure_inbox_reaches_its_201st_request(host):
    many_requests(host)
    url = reverse("contacts:structure_inbox", kwargs={"public_id": host.public_id})
    client = logged_in(host.admin_user)
    assert_paginated(client, f"{url}?filtre=nouvelles", "Prénom200", "Prénom000")
    # The filter stays in the page links.
    page = unescape(client.get(f"{url}?filtre=nouvelles").content.decode())
    assert "?filtre=nouvelles&page=2" in page


def test_my_requests_reaches_the_201st(host):
    candidate = UserFactory()
    requests = many_requests(host, candidate=candidate, status=Status.DECLINED)
    assert ContactRequest.objects.filter(candidate=candidate).count() == ROWS
    client = logged_in(candidate)
    url = reverse("contacts:mine")
    newest, oldest = requests[-1].public_id, requests[0].public_id
    assert_paginated(client, url, str(newest), str(oldest))


def test_my_conventions_reaches_the_201st():
    owner = UserFactory()
    conventions = [
        Convention.objects.create(created_by=owner, beneficiary_first_name=f"Bénéficiaire{n:03d}")
        for n in range(ROWS)
    ]
    # Ordered by last change: the first one created is the oldest.
    client = logged_in(owner)
    first, last = conventions[-1].reference, conventions[0].reference
    assert_paginated(client, reverse("conventions:mine"), first, last)


def test_the_board_reaches_its_201st_post_and_counts_them_all():
    now = timezone.now()
    commune, appellation = lyon(), maraicher()
    candidate = UserFactory()
    BoardPost.objects.bulk_create(
        BoardPost(
            candidate=candidate,
            first_name=f"Prénom{number:03d}",
            appellation=appellation,
            commune=commune,
            latitude=commune.latitude,
            longitude=commune.longitude,
            period="En mars.",
            duration="1s",
            motivations="Découvrir le maraîchage.",
            published_at=now - timedelta(minutes=ROWS - number),
            expires_at=now + timedelta(days=30),
        )
        for number in range(ROWS)
    )
    client = Client()
    url = reverse("contacts:board")
    assert f"{ROWS} demandes" in client.get(url).content.decode()
    assert_paginated(client, url, "Prénom200", "Prénom000")


def test_the_agency_directory_pages_past_its_old_cut_of_fifty():
    from tests.agencies.factories import AgencyFactory

    commune = lyon()
    for number in range(51):
        AgencyFactory(
            name=f"Agence {number:02d}",
            commune=commune,
            latitude=commune.latitude + number * 0.001,
            longitude=commune.longitude,
        )
    client = Client()
    url = reverse("agencies:directory")
    search = {"lieu": "Lyon", "commune": commune.insee_code, "rayon": "10"}
    first = client.get(url, search)
    assert "51 prescripteurs" in first.content.decode()
    assert [hit.agency.name for hit in first.context["hits"]][-1] == "Agence 49"
    assert "Page 1 sur 2" in first.content.decode()
    second = client.get(url, {**search, "page": "2"})
    assert [hit.agency.name for hit in second.context["hits"]] == ["Agence 50"]
    assert len(second.context["markers"]) == 1  # the map shows the agencies of the page
