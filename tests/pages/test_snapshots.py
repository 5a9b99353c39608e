"""The main page of each role, pinned: its HTML (its ``<main>``; the whole page for the
home page, which pins the layout), normalised (``normalise.py``), equals the snapshot in
``__snapshots__/test_snapshots/``. A page that changes on purpose is updated
with ``pytest tests/pages --snapshot-update``, and the new snapshot is read in the review
(DEVELOPERS.md, « Snapshots »)."""

from datetime import date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
import time_machine
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from immersio.contacts.models import Message
from immersio.demo.agencies import agency_siret
from immersio.demo.structures import demo_siret
from immersio.directory.indexing import reindex_structures
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.conventions.builders import valid_convention
from tests.fixtures.contacts import ContactRequestFactory
from tests.structures.factories import HostStructureFactory, SiteFactory

from .normalise import main_of, normalise

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))  # a Monday


class HTMLSnapshot(SingleFileSnapshotExtension):
    """One readable ``.html`` file per page."""

    _write_mode = WriteMode.TEXT
    file_extension = "html"


def uuid(number: int) -> UUID:
    return UUID(int=number)


class World:
    """The same few people and organisations in every snapshot."""

    def __init__(self):
        self.candidate = UserFactory(
            email="camille.durand@exemple.fr",
            first_name="Camille",
            last_name="Durand",
            public_id=uuid(1),
        )
        self.host_admin = UserFactory(
            email="alex.martin@jardins-cocagne.fr",
            first_name="Alex",
            last_name="Martin",
            public_id=uuid(2),
        )
        self.agency_admin = UserFactory(
            email="claude.bernard@francetravail.fr",
            first_name="Claude",
            last_name="Bernard",
            public_id=uuid(3),
        )
        self.staff = UserFactory(
            email="equipe@immersio.fr",
            first_name="Dominique",
            last_name="Petit",
            staff=True,
            public_id=uuid(4),
        )
        self.structure = self._structure("Les Jardins de Cocagne", 1)
        self._structure("La Ferme du Lycée", 2)
        self.agency = self._agency("France Travail Lyon Part-Dieu", 1)
        self._agency("Mission locale de Lyon", 2, kind="mission-locale")
        self.request = ContactRequestFactory(
            structure=self.structure,
            candidate=self.candidate,
            email=self.candidate.email,
            public_id=uuid(31),
        )
        Message.objects.create(
            request=self.request,
            side=Message.Side.CANDIDATE,
            author=self.candidate,
            body="Bonjour, je suis disponible en mars.",
        )
        Message.objects.create(
            request=self.request,
            side=Message.Side.STRUCTURE,
            author=self.host_admin,
            body="Bonjour Camille, venez nous voir lundi 9 mars à 9 h.",
        )
        self.convention = valid_convention(
            created_by=self.candidate,
            structure=self.structure,
            agency=self.agency,
            date_start=date(2026, 3, 9),
            date_end=date(2026, 3, 13),
            public_id=uuid(41),
        )
        reindex_structures([self.structure.pk])

    def _structure(self, name, number):
        structure = HostStructureFactory(
            name=name,
            siret=demo_siret(number),
            public_id=uuid(10 + number),
            admin=self.host_admin,
            max_requests_per_month=10,
        )
        SiteFactory(structure=structure, address=f"{number} chemin des Jardins")
        return structure

    def _agency(self, name, number, kind="france-travail"):
        return AgencyFactory(
            name=name,
            kind=kind,
            siret=agency_siret(number),
            contact_email=f"agence{number}@exemple.fr",
            public_id=uuid(20 + number),
            admin=self.agency_admin,
        )


@pytest.fixture
def world():
    with time_machine.travel(NOW, tick=False):
        yield World()


S = "{structure}"
PAGES = {
    "visitor": {
        "home": "/",
        "search": "/trouver-une-immersion/?metier=Maraîcher+/+Maraîchère&appellation=16384"
        "&commune=69123",
        "structure": "/structure/{structure}/",
        "agencies": "/prescripteurs/?type=",
        "login": "/compte/connexion/",
        "register-structure": "/structures/referencer/",
        "request-form": "/demandes/nouvelle/{structure}/",
        "orientation": "/est-ce-pour-moi/resultat/?situation=jeune_ml&age=24"
        "&suivi=mission-locale&lieu=Lyon&commune=69123",
    },
    "candidate": {
        "my-requests": "/demandes/mes-demandes/",
        "thread": "/demandes/{request}/",
        "my-conventions": "/conventions/",
        "profile": "/compte/profil/",
    },
    "host_admin": {
        "space": "/structures/espace/",
        "dashboard": "/structures/espace/{structure}/",
        "team": "/structures/espace/{structure}/equipe/",
        "inbox": "/demandes/structure/{structure}/",
    },
    "agency_admin": {
        "space": "/prescripteurs/espace/",
        "agency": "/prescripteurs/espace/{agency}/",
    },
    "staff": {"email-previews": "/equipe/e-mails/"},
}
CASES = [(role, name, url) for role, pages in PAGES.items() for name, url in pages.items()]


@pytest.fixture
def html_snapshot(snapshot):
    return snapshot.use_extension(HTMLSnapshot)


@pytest.mark.parametrize(("role", "name", "url"), CASES, ids=[f"{r}-{n}" for r, n, _ in CASES])
def test_page(client, world, html_snapshot, role, name, url):
    if role != "visitor":
        client.force_login(getattr(world, role))
    url = url.format(
        structure=world.structure.public_id,
        request=world.request.public_id,
        agency=world.agency.public_id,
    )
    with time_machine.travel(NOW, tick=False):
        response = client.get(url, follow=True)
    assert response.status_code == 200
    html = response.text if (role, name) == ("visitor", "home") else main_of(response.text)
    assert normalise(html) == html_snapshot


def test_back_office_links_lose_their_primary_key():
    from tests.pages.normalise import normalise

    html = '<a href="/gestion/agencies/agency/319/change/">Voir</a>'
    assert normalise(html) == '<a href="/gestion/agencies/agency/<pk>/change/">Voir</a>\n'
