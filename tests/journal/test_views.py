"""The beneficiary's pages, and who reads what: another person gets a 404, the agency
reads only what is shared (on the review page), the host structure never."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from immersio.journal import services
from immersio.journal.models import JournalEntry, PersonMet
from tests.accounts.factories import UserFactory
from tests.journal.helpers import immersion

pytestmark = pytest.mark.django_db


def url(name, convention, **kwargs):
    return reverse(f"journal:{name}", kwargs={"public_id": convention.public_id, **kwargs})


def _entry(found, day=None, **texts):
    return services.save_entry(
        convention=found.convention,
        day=day or found.convention.date_start,
        texts=texts or {"note": "Premier jour"},
        actor=found.beneficiary,
    )


def test_mine_links_to_the_carnet_and_the_bilan(client):
    found = immersion()
    client.force_login(found.beneficiary)
    html = client.get(reverse("conventions:mine")).content.decode()
    assert url("journal", found.convention) in html and url("reflection", found.convention) in html
    client.force_login(found.host_admin)
    assert (
        url("journal", found.convention)
        not in client.get(reverse("conventions:mine")).content.decode()
    )


def test_writing_a_page_then_changing_it(client):
    found = immersion()
    client.force_login(found.beneficiary)
    day = found.convention.date_start
    response = client.post(
        url("write", found.convention), {"day": day.isoformat(), "observed": "Les semis"}
    )
    assert response.status_code == 302
    page = client.get(url("write", found.convention) + f"?jour={day.isoformat()}")
    assert "Les semis" in page.content.decode()
    client.post(
        url("write", found.convention),
        {"day": day.isoformat(), "editing": day.isoformat(), "observed": "Les semis, la serre"},
    )
    assert JournalEntry.objects.get().observed == "Les semis, la serre"


def test_a_page_over_another_days_page_is_refused_and_nothing_typed_is_lost(client):
    found = immersion()
    _entry(found)
    client.force_login(found.beneficiary)
    day = found.convention.date_start
    response = client.post(
        url("write", found.convention),
        {"day": day.isoformat(), "editing": "", "tried": "Conduire le motoculteur"},
    )
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "Vous avez déjà écrit la page" in html and "Conduire le motoculteur" in html
    assert JournalEntry.objects.get().tried == ""


def test_a_day_outside_the_immersion_is_refused_next_to_its_field(client):
    found = immersion()
    client.force_login(found.beneficiary)
    before = found.convention.date_start - timedelta(days=1)
    response = client.post(
        url("write", found.convention), {"day": before.isoformat(), "note": "Mon texte"}
    )
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "Choisissez un jour de l'immersion" in html and "Mon texte" in html
    assert not JournalEntry.objects.exists()


def test_important_and_share_are_plain_posts(client):
    found = immersion()
    entry = _entry(found)
    client.force_login(found.beneficiary)
    kwargs = {"entry_id": entry.public_id}
    client.post(url("important", found.convention, **kwargs), {"important": "1"})
    client.post(url("share", found.convention, **kwargs), {"partage": "1"})
    entry.refresh_from_db()
    assert entry.important and entry.is_shared
    client.post(url("share", found.convention, **kwargs), {"partage": "0"})
    entry.refresh_from_db()
    assert not entry.is_shared


def test_a_person_without_consent_is_refused_next_to_the_box(client):
    found = immersion()
    entry = _entry(found)
    client.force_login(found.beneficiary)
    prefix = f"p-{entry.day:%Y%m%d}"
    response = client.post(
        url("add_person", found.convention, entry_id=entry.public_id),
        {f"{prefix}-name": "Aïcha Benali", f"{prefix}-contact": "06 11 22 33 44"},
    )
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "si cette personne est d'accord" in html and "Aïcha Benali" in html
    assert not PersonMet.objects.exists()
    client.post(
        url("add_person", found.convention, entry_id=entry.public_id),
        {
            f"{prefix}-name": "Aïcha Benali",
            f"{prefix}-contact": "06 11 22 33 44",
            f"{prefix}-contact_agreed": "on",
            f"{prefix}-recontact": "on",
        },
    )
    assert PersonMet.objects.get().recontact


@pytest.mark.parametrize("who", ["stranger", "counsellor", "host_admin"])
def test_nobody_else_opens_the_carnet_or_acts_on_it(client, who):
    found = immersion()
    entry = _entry(found)
    person = UserFactory() if who == "stranger" else getattr(found, who)
    client.force_login(person)
    for name in ("journal", "write", "reflection"):
        assert client.get(url(name, found.convention)).status_code == 404
    response = client.post(
        url("share", found.convention, entry_id=entry.public_id), {"partage": "1"}
    )
    assert response.status_code == 404
    entry.refresh_from_db()
    assert not entry.is_shared


def test_the_agency_reads_only_what_is_shared_and_the_host_never(client):
    found = immersion()
    private = _entry(found, note="Une page privée")
    shared = _entry(
        found, day=found.convention.date_start + timedelta(days=1), note="Une page partagée"
    )
    services.share_entry(entry=shared, shared=True, actor=found.beneficiary)
    services.save_reflection(
        convention=found.convention, values={"learned": "Un bilan privé"}, actor=found.beneficiary
    )
    review = reverse("conventions:review", kwargs={"public_id": found.convention.public_id})
    client.force_login(found.counsellor)
    html = client.get(review).content.decode()
    assert "Une page partagée" in html
    assert "Une page privée" not in html and "Un bilan privé" not in html
    services.share_reflection(convention=found.convention, shared=True, actor=found.beneficiary)
    assert "Un bilan privé" in client.get(review).content.decode()
    # The host structure never reads it: not on its pages, not by the review page.
    client.force_login(found.host_admin)
    assert client.get(review).status_code == 404
    for name in ("journal", "reflection"):
        assert client.get(url(name, found.convention)).status_code == 404
    assert private.note not in client.get(reverse("conventions:mine")).content.decode()


def test_the_bilan_and_its_plan(client):
    found = immersion()
    client.force_login(found.beneficiary)
    response = client.post(
        url("reflection", found.convention),
        {"metier_fit": "en_partie", "metier_why": "Le rythme", "needs": ["formation", "benevolat"]},
    )
    assert response.status_code == 302
    html = client.get(url("reflection", found.convention)).content.decode()
    assert "Le rythme" in html
    past = timezone.localdate() - timedelta(days=1)
    response = client.post(
        url("add_step", found.convention),
        {
            "etape-kind": "me_former",
            "etape-text": "Appeler le CFPPA",
            "etape-target_date": past.isoformat(),
        },
    )
    assert response.status_code == 400
    assert "Appeler le CFPPA" in response.content.decode()
    soon = timezone.localdate() + timedelta(days=10)
    client.post(
        url("add_step", found.convention),
        {
            "etape-kind": "me_former",
            "etape-text": "Appeler le CFPPA",
            "etape-target_date": soon.isoformat(),
        },
    )
    html = client.get(url("reflection", found.convention)).content.decode()
    assert "Appeler le CFPPA" in html
