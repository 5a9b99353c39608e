"""Back-office lists show initials until a row is opened (issue 11, item 6d): every
changelist of the admin, rendered with one known person everywhere a person can be,
shows « P. V. » and « p•••@exemple.fr », never the full name, address or phone; the
search still finds the person; the change page shows them in full."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.utils import timezone

from immersio.agencies.models import AgencyInvitation
from immersio.contacts.models import BoardPost, BoardProposal
from immersio.conventions.models import SensitiveAccess
from immersio.core.admin import initials
from immersio.notifications.models import OutboundEmail, OutboundSms
from immersio.structures.models import Registration
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.conventions.builders import valid_convention
from tests.fixtures.contacts import ContactRequestFactory, make_host
from tests.structures.factories import lyon, maraicher

pytestmark = pytest.mark.django_db

FIRST, LAST = "Prudence", "Vermillon"
EMAIL = "prudence.vermillon@exemple.fr"
PHONE = "+33698765432"
FULL = (FIRST, LAST, "prudence.vermillon", "98 76 54 32", "698765432")


@pytest.fixture
def person():
    """Prudence Vermillon, in every list that can show a person."""
    user = UserFactory(first_name=FIRST, last_name=LAST, email=EMAIL, phone=PHONE)
    agency = AgencyFactory(counsellor=user, name="Mission locale témoin")
    AgencyInvitation.objects.create(agency=agency, email=EMAIL, role="conseiller")
    ContactRequestFactory(candidate=user, first_name=FIRST, last_name=LAST, email=EMAIL)
    commune = lyon()
    now = timezone.now()
    post = BoardPost.objects.create(
        candidate=user,
        first_name=FIRST,
        last_initial="V",
        appellation=maraicher(),
        commune=commune,
        latitude=commune.latitude,
        longitude=commune.longitude,
        period="En avril.",
        duration="1s",
        motivations="Découvrir.",
        published_at=now,
        expires_at=now + timedelta(days=60),
    )
    host = make_host()
    BoardProposal.objects.create(post=post, structure=host, body="Venez")
    Registration.objects.create(
        structure=host,
        email=EMAIL,
        first_name=FIRST,
        last_name=LAST,
        phone=PHONE,
        consented_at=now,
    )
    OutboundEmail.objects.create(kind="test", recipient=EMAIL, subject="Bonjour", text_body="-")
    OutboundSms.objects.create(kind="test", to=PHONE, body="Bonjour")
    convention = valid_convention(
        beneficiary_first_name=FIRST, beneficiary_last_name=LAST, beneficiary_email=EMAIL
    )
    SensitiveAccess.objects.create(
        convention=convention,
        by=user,
        by_name=f"{FIRST} {LAST}",
        role="Équipe Immersio",
        reason="Contrôle",
    )
    return user


def changelists() -> list[str]:
    return sorted(
        f"{model._meta.app_label}/{model._meta.model_name}" for model in admin.site._registry
    )


def test_initials():
    assert initials("Camille", "Martin") == "C. M."
    assert initials(" élodie ", "") == "É."
    assert initials("", "") == "—"


@pytest.mark.parametrize("changelist", changelists())
def test_every_list_shows_initials_and_masked_addresses(client, person, changelist):
    client.force_login(UserFactory(superuser=True, first_name="Sacha", last_name="Support"))

    page = client.get(f"/gestion/{changelist}/")

    assert page.status_code == 200
    text = page.text.lower()
    for value in FULL:
        assert value.lower() not in text, f"{changelist} : {value}"


def test_the_lists_say_who_it_is_in_short_and_the_search_still_finds_them(client, person):
    client.force_login(UserFactory(superuser=True))

    users = client.get("/gestion/accounts/user/", {"q": EMAIL}).text
    requests = client.get("/gestion/contacts/contactrequest/", {"q": LAST}).text
    emails = client.get("/gestion/notifications/outboundemail/", {"q": EMAIL}).text

    assert "P. V." in users
    assert "p•••@exemple.fr" in users
    assert "P. V. →" in requests
    assert "p•••@exemple.fr" in emails
    for page in (users, requests, emails):
        assert "0 résultat" not in page
    change = client.get(f"/gestion/accounts/user/{person.pk}/change/").text
    assert EMAIL in change
    assert LAST in change
