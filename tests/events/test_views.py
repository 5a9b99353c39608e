"""The event pages: search (dates, place and radius, cause, kind, format), archives,
calendar, an event's page, proposing with French errors that keep the input, the team's
reading, and the structure's page."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from immersio.events.models import Event, Kind, Status
from immersio.referentials.models import Commune
from immersio.referentials.previews import lyon
from immersio.structures.models import Cause, HostStructure
from tests.accounts.factories import UserFactory
from tests.events.helpers import make_event, member, soon
from tests.structures.factories import HostStructureFactory

pytestmark = pytest.mark.django_db

SEARCH = "/evenements/"


def commune(code: str, name: str, lat: float, lon: float) -> Commune:
    found, _ = Commune.objects.get_or_create(
        insee_code=code,
        defaults={
            "name": name,
            "department": code[:2],
            "latitude": lat,
            "longitude": lon,
            "normalized_name": name.lower(),
        },
    )
    return found


def villeurbanne() -> Commune:
    return commune("69266", "Villeurbanne", 45.7719, 4.8902)


def paris() -> Commune:
    return commune("75056", "Paris", 48.8566, 2.3522)


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(response.text))


def titles(response) -> list[str]:
    return re.findall(r'href="/evenements/[0-9a-f-]{36}/">([^<]+)</a>', response.text)


def test_the_default_list_shows_the_published_events_to_come_soonest_first(client):
    make_event(title="Plus tard", starts_at=soon(20))
    make_event(title="Bientôt", starts_at=soon(2))
    make_event(title="Passé", starts_at=soon(-5))
    make_event(title="En relecture", status=Status.SUBMITTED, published_at=None)
    make_event(title="Refusé", status=Status.REFUSED, published_at=None)
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert titles(response) == ["Bientôt", "Plus tard"]
    assert "2 événements à venir" in text(response)


def test_an_event_under_way_is_still_listed(client):
    start = timezone.now() - timedelta(hours=1)
    make_event(title="En cours", starts_at=start, ends_at=start + timedelta(hours=3))
    assert titles(client.get(SEARCH)) == ["En cours"]


def test_the_date_range(client):
    make_event(title="Dans 3 jours", starts_at=soon(3))
    make_event(title="Dans 15 jours", starts_at=soon(15))
    make_event(title="Dans 40 jours", starts_at=soon(40))
    day = timezone.localdate()
    query = f"?du={day + timedelta(days=10):%Y-%m-%d}&au={day + timedelta(days=20):%Y-%m-%d}"
    assert titles(client.get(SEARCH + query)) == ["Dans 15 jours"]


def test_an_end_before_the_start_of_the_range_is_said(client):
    day = timezone.localdate()
    response = client.get(f"{SEARCH}?du={day + timedelta(days=5):%Y-%m-%d}&au={day:%Y-%m-%d}")
    assert "Cette date vient avant la première" in text(response)


def test_place_and_radius_with_online_events_unless_on_site_only(client):
    make_event(title="À Lyon", commune=lyon())
    make_event(title="À Villeurbanne", commune=villeurbanne(), starts_at=soon(11))
    make_event(title="À Paris", commune=paris(), starts_at=soon(12))
    make_event(
        title="En ligne", commune=None, online_url="https://visio.exemple.fr", starts_at=soon(13)
    )
    near = client.get(f"{SEARCH}?lieu=Lyon&commune=69123&rayon=10")
    assert titles(near) == ["À Lyon", "À Villeurbanne", "En ligne"]
    assert "à 0,0 km" in near.text or "à 0.0 km" in near.text
    on_site = client.get(f"{SEARCH}?lieu=Lyon&commune=69123&rayon=10&format=sur_place")
    assert titles(on_site) == ["À Lyon", "À Villeurbanne"]
    tight = client.get(f"{SEARCH}?lieu=Paris&commune=75056&rayon=5&format=sur_place")
    assert titles(tight) == ["À Paris"]
    online = client.get(f"{SEARCH}?format=en_ligne")
    assert titles(online) == ["En ligne"]


def test_an_unknown_commune_is_said_and_the_text_kept(client):
    response = client.get(f"{SEARCH}?lieu=Zzzyx")
    assert "Aucune commune ne correspond à « Zzzyx »" in response.text
    assert 'value="Zzzyx"' in response.text


def test_cause_and_kind(client):
    food = Cause.objects.get(slug="alimentation")
    tagged = make_event(title="Alimentation", kind=Kind.FESTIVAL)
    tagged.causes.add(food)
    make_event(title="Autre", kind=Kind.FORUM, starts_at=soon(11))
    assert titles(client.get(f"{SEARCH}?cause=alimentation")) == ["Alimentation"]
    assert titles(client.get(f"{SEARCH}?type=forum")) == ["Autre"]


def test_past_events_are_in_the_archives_latest_first(client):
    make_event(title="Il y a longtemps", starts_at=soon(-60))
    make_event(title="La semaine dernière", starts_at=soon(-7))
    make_event(title="À venir", starts_at=soon(7))
    response = client.get("/evenements/archives/")
    assert titles(response) == ["La semaine dernière", "Il y a longtemps"]
    assert "2 événements passés" in text(response)


def test_the_calendar_is_a_table_with_the_events_on_their_days(client):
    start = soon(3)
    make_event(title="Deux jours", starts_at=start, ends_at=start + timedelta(days=1, hours=8))
    first = start.date().replace(day=1)
    response = client.get(f"/evenements/calendrier/?mois={first:%Y-%m}")
    html = response.text
    assert "<caption>" in html and "1 événement" in html
    assert html.count('<th scope="col">') == 7
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html, flags=re.S)
    with_event = [cell for cell in cells if "Deux jours" in cell]
    # Two days: two cells (the second may fall in the next month's first days of the grid).
    assert len(with_event) == 2
    day_numbers = [re.search(r"</span>\s*(\d+)\s*<span", cell)[1] for cell in with_event]
    assert day_numbers[0] == str(start.day)
    previous = (first - timedelta(days=1)).replace(day=1)
    assert f"mois={previous:%Y-%m}" in html
    nxt = (first + timedelta(days=32)).replace(day=1)
    assert f"mois={nxt:%Y-%m}" in html


def test_the_calendar_keeps_the_filters_and_refuses_a_bad_month(client):
    response = client.get("/evenements/calendrier/?mois=2026-13&type=forum")
    assert response.status_code == 200
    assert "Mois invalide" in response.text
    assert "type=forum" in response.text


def test_an_event_waiting_for_its_reading_is_not_found_by_the_public(client):
    structure, author = member()
    event = make_event(
        host_structure=structure, submitted_by=author, status=Status.SUBMITTED, published_at=None
    )
    url = f"/evenements/{event.public_id}/"
    assert client.get(url).status_code == 404
    assert client.get(f"{url}evenement.ics").status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(author)
    response = client.get(url)
    assert response.status_code == 200
    assert "relit cet événement" in response.text


def test_an_event_s_page_with_its_map_participants_and_next_step(client):
    structure, _ = member(status="publiee")
    guest, _ = member(status="publiee", name="La Ressourcerie")
    event = make_event(host_structure=structure, organiser_name=structure.name)
    event.participants.add(structure, guest)
    response = client.get(f"/evenements/{event.public_id}/")
    html = response.text
    assert 'id="event-markers"' in html and "data-directory-map" in html
    assert f"/structure/{guest.public_id}/" in html
    assert "La Ressourcerie" in html
    assert "/trouver-une-immersion/?lieu=Lyon" in html
    assert "<script>" not in html.replace('<script type="application/json"', "")


def test_the_structure_page_shows_its_upcoming_events(client):
    structure, _ = member(status="publiee")
    make_event(title="Nos portes ouvertes", host_structure=structure)
    make_event(title="Déjà passé", host_structure=structure, starts_at=soon(-3))
    other = make_event(title="Forum où elle sera", starts_at=soon(12))
    other.participants.add(structure)
    make_event(title="Sans elle", starts_at=soon(13))
    html = client.get(f"/structure/{structure.public_id}/").text
    assert "Où la rencontrer" in html
    assert "Nos portes ouvertes" in html and "Forum où elle sera" in html
    assert "Déjà passé" not in html and "Sans elle" not in html


# Proposing ----------------------------------------------------------------------------------


def form_data(structure, **fields) -> dict:
    lyon()
    day = timezone.localdate() + timedelta(days=5)
    values = {
        "title": "Portes ouvertes du jardin",
        "kind": "portes_ouvertes",
        "description": "Visite des serres.",
        "start_date": f"{day:%Y-%m-%d}",
        "start_time": "09:30",
        "end_date": f"{day:%Y-%m-%d}",
        "end_time": "12:00",
        "address": "12 chemin des Serres",
        "lieu": "Lyon",
        "commune": "69123",
        "online_url": "",
        "host_structure": str(structure.pk),
        "network": "",
        "organiser_name": "",
        "participants": "",
        "registration_url": "",
        "is_free": "oui",
        "price": "",
        "accessibility": "",
        "contact_email": "",
    }
    return values | fields


def test_proposing_needs_a_login_and_a_team(client):
    response = client.get("/evenements/proposer/")
    assert response.status_code == 302 and "/compte/" in response["Location"]
    client.force_login(UserFactory())
    response = client.get("/evenements/proposer/")
    assert response.status_code == 403
    assert "Inscrivez-la" in response.text


def test_a_member_proposes_an_event_and_it_waits(client):
    structure, user = member()
    client.force_login(user)
    response = client.post("/evenements/proposer/", form_data(structure))
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/evenements/{event.public_id}/"
    assert event.status == Status.SUBMITTED
    assert timezone.localtime(event.starts_at).strftime("%H:%M") == "09:30"
    assert event.commune_id == "69123"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"start_date": "2020-01-01", "end_date": "2020-01-01"},
            "start_date",
            "Cette date est passée",
        ),
        ({"end_time": "08:00"}, "end_date", "La fin doit venir après le début"),
        ({"lieu": "", "commune": "", "address": ""}, "address", "Indiquez où a lieu"),
        ({"is_free": "non"}, "price", "Indiquez le tarif"),
        (
            {"participants": "https://immersio.example/structure/pas-une-adresse/"},
            "participants",
            "aucune structure publiée sur Immersio ne porte ce nom",
        ),
    ],
    ids=["past", "end-before-start", "nowhere", "no-price", "participants"],
)
def test_bad_input_gets_a_french_message_by_its_field_and_keeps_the_input(
    client, fields, field, message
):
    structure, user = member()
    client.force_login(user)
    response = client.post("/evenements/proposer/", form_data(structure, **fields))
    assert response.status_code == 400
    html = text(response)
    assert message in html
    assert f'aria-describedby="id_{field}' in html or f'id="id_{field}-error"' in html
    assert 'value="Portes ouvertes du jardin"' in html
    assert not Event.objects.exists()


def test_a_participant_is_named_by_its_name_its_siret_or_its_page(client):
    structure, user = member()
    by_name = HostStructureFactory(name="Ferme des Possibles")
    by_brand = HostStructureFactory(name="SCOP Tiers-Lieu SA", brand_name="La Cordée")
    by_siret = HostStructureFactory()
    by_page = HostStructureFactory()
    siret = by_siret.siret
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    page = reverse("directory:structure", kwargs={"public_id": by_page.public_id})
    lines = ["ferme des possibles", "La Cordée", spaced, f"https://immersio.example{page}", ""]
    client.force_login(user)
    response = client.post(
        "/evenements/proposer/", form_data(structure, participants="\n".join(lines))
    )
    assert response.status_code == 302, text(response)
    event = Event.objects.get()
    assert set(event.participants.all()) == {structure, by_name, by_brand, by_siret, by_page}

    # The edit form shows each by its name and SIRET, and saves them back unchanged.
    page = client.get(f"/evenements/{event.public_id}/modifier/").text
    assert f"Ferme des Possibles — {by_name.siret}" in unescape(page)
    shown = re.search(r'<textarea[^>]*name="participants"[^>]*>(.*?)</textarea>', page, re.S)
    again = client.post(
        f"/evenements/{event.public_id}/modifier/",
        form_data(structure, participants=unescape(shown.group(1))),
    )
    assert again.status_code == 302
    assert set(event.participants.all()) == {structure, by_name, by_brand, by_siret, by_page}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Jardin partagé", "« Jardin partagé » : plusieurs structures portent ce nom"),
        ("Jardin", "« Jardin » : aucune structure publiée ne porte ce nom. Peut-être : Jardin"),
        ("Boulangerie", "« Boulangerie » : aucune structure publiée sur Immersio ne porte"),
        ("Atelier 98765432109876", "aucune structure publiée sur Immersio n'a ce SIRET"),
        ("Fermée", "« Fermée » : aucune structure publiée sur Immersio ne porte ce nom"),
    ],
    ids=["two-with-that-name", "suggested", "unknown", "unknown-siret", "not-published"],
)
def test_a_participant_that_names_no_single_published_structure_is_told(client, line, message):
    structure, user = member()
    HostStructureFactory.create_batch(2, name="Jardin partagé")
    HostStructureFactory(name="Fermée", status=HostStructure.Status.SUSPENDED)
    client.force_login(user)
    typed = f"Jardin partagé — {HostStructure.objects.filter(name='Jardin partagé').first().siret}"
    response = client.post(
        "/evenements/proposer/", form_data(structure, participants=f"{typed}\n{line}")
    )
    assert response.status_code == 400
    assert message in text(response)
    assert typed in unescape(response.text)  # nothing typed is lost
    assert not Event.objects.exists()


def test_more_lines_than_participants_allowed_are_refused_before_any_lookup(client):
    from immersio.events.rules import MAX_PARTICIPANTS

    structure, user = member()
    client.force_login(user)
    lines = "\n".join(f"Structure {n}" for n in range(MAX_PARTICIPANTS + 1))
    response = client.post("/evenements/proposer/", form_data(structure, participants=lines))
    assert f"{MAX_PARTICIPANTS} structures participantes au plus." in text(response)


def test_an_event_too_long_is_refused_with_the_bound(client):
    from immersio.events.rules import MAX_DAYS

    structure, user = member()
    client.force_login(user)
    day = timezone.localdate() + timedelta(days=5)
    end = day + timedelta(days=MAX_DAYS + 1)
    response = client.post(
        "/evenements/proposer/", form_data(structure, end_date=f"{end:%Y-%m-%d}")
    )
    assert f"Un événement dure {MAX_DAYS} jours au plus" in text(response)


def test_the_author_edits_and_cancels(client):
    structure, user = member()
    event = make_event(host_structure=structure, submitted_by=user)
    client.force_login(user)
    url = f"/evenements/{event.public_id}/modifier/"
    page = client.get(url)
    assert 'value="Forum de l&#x27;emploi solidaire"' in page.text
    response = client.post(url, form_data(structure, title="Forum modifié"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Forum modifié" and event.status == Status.SUBMITTED
    client.post(f"/evenements/{event.public_id}/annuler/")
    event.refresh_from_db()
    assert event.is_cancelled
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


# The team's reading --------------------------------------------------------------------------


def test_only_the_team_reads_and_its_decision_is_emailed(client):
    structure, user = member()
    event = make_event(
        host_structure=structure, submitted_by=user, status=Status.SUBMITTED, published_at=None
    )
    client.force_login(user)
    assert client.get("/evenements/a-relire/").status_code == 403
    assert (
        client.post(f"/evenements/{event.public_id}/relire/", {"decision": "publier"}).status_code
        == 403
    )
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    page = client.get("/evenements/a-relire/")
    assert "Forum de l&#x27;emploi solidaire" in page.text
    response = client.post(
        f"/evenements/{event.public_id}/relire/", {"decision": "refuser", "reason": ""}
    )
    event.refresh_from_db()
    assert event.is_submitted  # no reason, no refusal
    client.post(f"/evenements/{event.public_id}/relire/", {"decision": "publier"})
    event.refresh_from_db()
    assert event.is_published
    assert response.status_code == 302
    assert reverse("events:review_queue") in response["Location"]


def test_the_back_office_links_to_the_reading_queue(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert reverse("events:review_queue") in client.get("/gestion/").text
