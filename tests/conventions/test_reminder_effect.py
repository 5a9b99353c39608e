"""The staff's page of the automatic reminders' effect (issue 10 item 6)."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from immersio.contacts import selectors as contact_selectors
from immersio.conventions import lifecycle
from immersio.conventions.transitions import Role
from immersio.core.actors import TASK
from immersio.core.dates import add_working_days
from tests.accounts.factories import UserFactory
from tests.conventions.lifecycle_helpers import sent_convention, sign
from tests.fixtures.contacts import ContactRequestFactory

pytestmark = pytest.mark.django_db

URL = "/conventions/relances/"


def test_the_address():
    assert reverse("conventions:reminder_effect") == URL


def test_contact_reminders_acted_upon_within_48_hours():
    now = timezone.now()
    # Answered 47 hours after the D+3 reminder: acted upon.
    ContactRequestFactory(
        sent_at=now - timedelta(days=10),
        reminded_3_at=now - timedelta(days=7),
        first_answer_at=now - timedelta(days=7) + timedelta(hours=47),
    )
    # Answered 49 hours after: not acted upon.
    ContactRequestFactory(
        sent_at=now - timedelta(days=10),
        reminded_3_at=now - timedelta(days=7),
        first_answer_at=now - timedelta(days=7) + timedelta(hours=49),
    )
    # D+7 came first: the D+3 one was only marked, never sent.
    ContactRequestFactory(
        sent_at=now - timedelta(days=9),
        reminded_3_at=now - timedelta(days=2),
        reminded_7_at=now - timedelta(days=2),
    )
    # Long ago: outside the window.
    ContactRequestFactory(
        sent_at=now - timedelta(days=200), reminded_3_at=now - timedelta(days=197)
    )
    effect = contact_selectors.reminder_effect(since=now - timedelta(days=90))
    assert effect == {7: {"sent": 1, "acted": 0}, 3: {"sent": 2, "acted": 1}}


def test_staff_see_sent_reminders_and_the_share_acted_upon(client):
    sent = sent_convention()
    start = sent.convention.date_start
    # Today is the day the 3-working-day reminder leaves: 2 signatories reminded.
    lifecycle.send_signature_reminders(actor=TASK, today=add_working_days(start, -3))
    sign(sent.signatory(Role.BENEFICIARY))
    now = timezone.now()
    ContactRequestFactory(
        sent_at=now - timedelta(days=4),
        reminded_3_at=now - timedelta(days=1),
        first_answer_at=now - timedelta(hours=2),
    )
    client.force_login(UserFactory(is_staff=True))
    response = client.get(URL)
    assert response.status_code == 200
    rows = re.findall(r"<tr>(.*?)</tr>", response.content.decode(), flags=re.S)
    text = [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]
    assert text[1:3] + text[4:] == [
        "3 jours ouvrés avant le début 2 1 50 %",
        "1 jour ouvré avant le début 0 0 aucune envoyée",
        "3 jours après l'envoi de la demande 1 1 100 %",
        "7 jours après l'envoi de la demande 0 0 aucune envoyée",
    ]
    assert "90 derniers jours" in response.content.decode()
    assert "48 heures" in response.content.decode()


def test_staff_reach_it_from_the_menu(client):
    client.force_login(UserFactory(is_staff=True))
    assert f'href="{URL}"' in client.get(reverse("accounts:profile")).content.decode()


def test_a_person_not_of_the_staff_gets_the_french_403(client):
    client.force_login(UserFactory())
    response = client.get(URL)
    assert response.status_code == 403
    assert "Votre compte n’a pas accès à cette page" in response.content.decode()
    assert f'href="{URL}"' not in client.get(reverse("accounts:profile")).content.decode()


def test_a_visitor_is_asked_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
