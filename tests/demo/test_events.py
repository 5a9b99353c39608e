"""The demo's events: around the demo structures (Lyon among them), one waiting for the
team's reading, one cancelled, one in the archives; loading twice changes nothing."""

import pytest

from immersio.demo import accounts, structures
from immersio.demo import events as demo
from immersio.events.models import Event, Status
from immersio.events.selectors import EventQuery, search
from immersio.referentials.models import Commune


def test_demo_events_are_shown_where_they_should(referentials):
    accounts.load()
    structures.load()
    demo.load()
    assert Event.objects.count() == len(demo.EVENTS)
    assert Event.objects.filter(status=Status.SUBMITTED).count() == 1
    upcoming = [e.title for e in search(EventQuery()).events]
    archived = [e.title for e in search(EventQuery(archives=True)).events]
    assert "Forum de l'emploi solidaire" in upcoming
    assert "Atelier découverte du maraîchage" not in upcoming
    assert archived == ["Forum des métiers de la transition"]
    around_lyon = search(EventQuery(commune=Commune.objects.get(pk="69123"), radius_km=20))
    titles = {e.title for e in around_lyon.events}
    assert {"Festival Agir à Lyon", "Portes ouvertes du Jardin de la Sauvegarde"} <= titles
    forum = Event.objects.get(title="Forum de l'emploi solidaire")
    assert forum.participants.count() >= 4
    demo.load()
    assert Event.objects.count() == len(demo.EVENTS)


@pytest.mark.django_db
def test_demo_events_need_the_structures():
    assert "absents" in demo.load()
    assert not Event.objects.exists()
