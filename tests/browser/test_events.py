"""Events in Chromium: a member of a structure's team proposes an event (first with the
end before the start: a French message, the input kept), the Immersio team reads and
publishes it, a visitor finds it by date and place, opens it (with its map and the
calendar), sees it on the organiser's directory page, and downloads its .ics, which
parses with the right dates. axe-core runs on every page at 1280 px and 390 px."""

from datetime import timedelta
from pathlib import Path

import icalendar
import pytest
from django.utils import timezone

from immersio.events.models import Event
from tests.accounts.factories import UserFactory
from tests.fixtures import browser as shared
from tests.fixtures.browser import DESKTOP, log_in
from tests.structures.factories import HostStructureFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def both_widths(page, axe, name):
    shared.both_widths(page, axe, name, prefix="events")


def choose_commune(page, text):
    shared.choose_commune(page, text, label="Commune")


@pytest.fixture
def site_url(site_url, settings):
    settings.MAP_TILE_URL = ""  # no request leaves the machine
    return site_url


def test_an_event_proposed_by_a_structure_is_read_published_found_and_imported(
    page, axe, site_url, live_server, referentials
):
    structure = HostStructureFactory(name="Les Jardins de Gerland", status="publiee")
    neighbour = HostStructureFactory(name="Ferme de la Croix-Rousse", status="publiee")
    member = UserFactory(email="ines@jardins.example")
    MembershipFactory(structure=structure, user=member)
    day = timezone.localdate() + timedelta(days=5)

    # The member proposes it; the end before the start first.
    log_in(page, member, live_server)
    page.set_viewport_size(DESKTOP)
    page.goto("/evenements/proposer/")
    page.get_by_label("Titre").fill("Portes ouvertes des Jardins de Gerland")
    page.get_by_label("Type d'événement").select_option("portes_ouvertes")
    page.get_by_label("Présentation").fill("Visite des serres et rencontre avec l'équipe.")
    page.get_by_label("Date de début").fill(day.isoformat())
    page.get_by_label("Heure de début").fill("10:00")
    page.get_by_label("Date de fin").fill(day.isoformat())
    page.get_by_label("Heure de fin").fill("09:00")
    page.locator("#id_address").fill("12 rue des Jardins")
    choose_commune(page, "Lyon")
    # Another structure present, by a name close to its own: suggested, not guessed.
    participants = page.get_by_label("Autres structures participantes")
    participants.fill("Ferme de la Croix")
    both_widths(page, axe, "proposer")
    page.get_by_role("button", name="Proposer l'événement").click()
    page.get_by_text("La fin doit venir après le début").first.wait_for()
    error = page.locator("#id_participants_error")
    assert "« Ferme de la Croix » : aucune structure publiée ne porte ce nom" in error.inner_text()
    assert f"Peut-être : Ferme de la Croix-Rousse — {neighbour.siret}" in error.inner_text()
    assert page.get_by_label("Titre").input_value() == "Portes ouvertes des Jardins de Gerland"
    assert participants.input_value() == "Ferme de la Croix"
    both_widths(page, axe, "proposer-erreur")
    page.get_by_label("Heure de fin").fill("16:00")
    participants.fill("ferme de la croix-rousse")
    page.get_by_role("button", name="Proposer l'événement").click()
    page.get_by_text("L'équipe d'Immersio relit l'événement").first.wait_for()
    event = Event.objects.get()
    assert event.is_submitted
    assert set(event.participants.all()) == {structure, neighbour}

    # The team reads and publishes it.
    log_in(page, UserFactory(is_staff=True), live_server)
    page.goto("/evenements/a-relire/")
    both_widths(page, axe, "a-relire")
    page.get_by_role("button", name="Publier « Portes ouvertes des Jardins de Gerland »").click()
    page.get_by_text("est publié").first.wait_for()
    event.refresh_from_db()
    assert event.is_published

    # A visitor finds it by date and place.
    page.context.clear_cookies()
    page.goto("/evenements/")
    page.get_by_label("À partir du").fill((day - timedelta(days=1)).isoformat())
    page.get_by_label("Jusqu'au").fill((day + timedelta(days=1)).isoformat())
    choose_commune(page, "Lyon")
    page.get_by_label("Dans un rayon de").select_option("10")
    page.get_by_role("button", name="Chercher").click()
    link = page.get_by_role("link", name="Portes ouvertes des Jardins de Gerland")
    link.wait_for()
    assert "commune=69123" in page.url and f"du={day - timedelta(days=1)}" in page.url
    both_widths(page, axe, "recherche")

    page.get_by_role("link", name="Calendrier").click()
    page.get_by_role("table").wait_for()
    both_widths(page, axe, "calendrier")
    page.go_back()

    link.click()
    page.get_by_role("heading", name="Portes ouvertes des Jardins de Gerland", level=1).wait_for()

    # The organiser's page in the directory shows it too, and leads back to it.
    page.get_by_role("link", name="Les Jardins de Gerland").first.click()
    page.get_by_role("heading", name="Où la rencontrer").wait_for()
    both_widths(page, axe, "structure")
    page.get_by_role("link", name="Portes ouvertes des Jardins de Gerland").click()
    page.get_by_role("heading", name="Portes ouvertes des Jardins de Gerland", level=1).wait_for()
    page.locator("[data-directory-map]").wait_for(state="visible")
    both_widths(page, axe, "evenement")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ajouter à mon agenda (fichier .ics)").click()
    content = Path(download_info.value.path()).read_bytes()
    [entry] = icalendar.Calendar.from_ical(content).walk("VEVENT")
    start = timezone.localtime(entry.decoded("DTSTART"))
    end = timezone.localtime(entry.decoded("DTEND"))
    assert (start.date(), start.hour, start.minute) == (day, 10, 0)
    assert (end.date(), end.hour) == (day, 16)
    assert str(entry["SUMMARY"]) == "Portes ouvertes des Jardins de Gerland"
