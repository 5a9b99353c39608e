"""The staff page that previews every e-mail with the demo examples (/equipe/e-mails/)."""

import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from immersio.accounts.models import User
from immersio.notifications import previews, views
from immersio.notifications.models import OutboundEmail
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("notifications:email_list")
# Each rendering makes new demo rows: their links and references differ from one to the next.
# Links, draft references and sent references (their row number: PostgreSQL does not
# reuse a sequence value after the rolled-back rendering), which each rendering makes anew.
CHANGING = re.compile(r"http://\S+|\b[0-9A-F]{8}\b|\bIMM-\d{4}-\d{6}\b")
REFERENCE = re.compile(r"\bIMM-\d{4}-\d{6}\b")


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(staff=True))
    return client


def frame_url(token: str) -> str:
    return reverse("notifications:email_html", kwargs={"token": token})


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_person_outside_the_staff_finds_nothing(client):
    client.force_login(UserFactory())
    assert client.get(PAGE).status_code == 404


def test_a_frame_is_served_only_at_the_signed_address_the_staff_page_gave(client, staff_client):
    staff_client.get(PAGE)  # renders the e-mails for the frames
    assert client.get(frame_url(views.frame_token("login_link", 1))).status_code == 200
    forged = signing.dumps(["login_link", 1], salt="autre chose")
    for token in [forged, "login_link", views.frame_token("login_link", 1) + "x"]:
        assert client.get(frame_url(token)).status_code == 404
    # Not rendered by the staff page (or expired from the cache): nothing.
    assert client.get(frame_url(views.frame_token("login_link", 9))).status_code == 404
    # The address expires with the rendering.
    token = views.frame_token("login_link", 1)
    with time_machine.travel(timezone.now() + timedelta(seconds=views.CACHE_SECONDS + 60)):
        assert client.get(frame_url(token)).status_code == 404


def test_the_page_previews_every_email_and_leaves_nothing_behind(staff_client):
    users, emails = User.objects.count(), OutboundEmail.objects.count()
    response = staff_client.get(PAGE)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    classes = previews.notification_classes()
    assert len(classes) >= 20
    subjects = []
    for cls in classes:
        assert f'id="{cls.kind}"' in page, cls.kind
        rendered = previews.render(cls)
        assert rendered, cls.kind
        for preview in rendered:
            subject = REFERENCE.sub("IMM-", f"Objet : {preview.subject}")
            assert subject in REFERENCE.sub("IMM-", page)
            for line in preview.text.splitlines():
                if not CHANGING.search(line):
                    assert line in page, f"{cls.kind} : {line}"
            subjects.append(preview.subject)
    # Each frame shows the HTML version of its e-mail.
    frames = re.findall(r'<iframe[^>]*?src="([^"]+)"', page)
    assert len(frames) == len(subjects)
    for url, subject in zip(frames, subjects, strict=True):
        response = staff_client.get(url)
        assert response.status_code == 200
        frame = REFERENCE.sub("IMM-", html.unescape(response.content.decode()))
        assert f"<title>{REFERENCE.sub('IMM-', subject)}</title>" in frame
    # The demo rows are rolled back, nothing is queued, and no personal link works.
    assert (User.objects.count(), OutboundEmail.objects.count()) == (users, emails)
    assert "jeton=" in page
    assert page.count("jeton=") == page.count("jeton=apercu")


def test_the_html_of_an_email_is_served_alone_under_its_own_policy(staff_client):
    staff_client.get(PAGE)
    response = staff_client.get(frame_url(views.frame_token("contact_message", 2)))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith("<!DOCTYPE html>")
    assert "Nouveau message au sujet de l" in body
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "style-src 'unsafe-inline'" in policy
    assert "sandbox" in policy
    assert "frame-ancestors 'self'" in policy
    assert "script-src" not in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_the_staff_find_the_page_from_their_profile_and_the_back_office(staff_client):
    assert PAGE in staff_client.get(reverse("accounts:profile")).content.decode()
    admin = UserFactory(superuser=True)
    staff_client.force_login(admin)
    assert PAGE in staff_client.get(reverse("admin:index")).content.decode()
