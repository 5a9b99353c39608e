"""Every list page costs the same number of SQL queries with N rows and with 3N rows: no
page's query count grows with its rows (issue 9, « Pages pinned »). A failure prints the
queries of the larger page; fix it with ``select_related``, ``prefetch_related`` or an
annotation in the view or its selector."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from immersio.agencies.models import AgencyInvitation, AgencyMembership
from immersio.contacts.models import (
    BoardPost,
    BoardProposal,
    ContactEvent,
    Message,
    Status,
)
from immersio.conventions import lifecycle as convention_services_lifecycle
from immersio.conventions import services as convention_services
from immersio.conventions.models import Convention
from immersio.conventions.models import Status as ConventionStatus
from immersio.core.actors import AUTOMATIC, COMMAND
from immersio.notifications.models import OutboundEmail
from immersio.structures.models import Invitation, StructureMembership
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.core.query_counts import assert_flat, queries_of
from tests.fixtures.contacts import ContactRequestFactory, make_host
from tests.structures.factories import (
    HostStructureFactory,
    ReceivedRequestFactory,
    SiteFactory,
    lyon,
    maraicher,
)

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def _email() -> str:
    return f"ligne{next(_numbers)}@exemple.fr"


# Prescribers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["?type=", "?lieu=Lyon&commune=69123&rayon=10"],
    ids=["every-agency", "around-a-commune"],
)
def test_agency_directory(client, query):
    lyon()
    assert_flat(
        client,
        f"/prescripteurs/{query}",
        lambda n: AgencyFactory.create_batch(n, name="Agence témoin"),
        marker="Agence témoin",
    )


@pytest.mark.parametrize(
    "query",
    [
        "situation=jeune_ml&age=24&suivi=mission-locale&lieu=Lyon&commune=69123",
        "situation=jeune_ml&age=24&suivi=mission-locale&departement=69",
    ],
    ids=["around-a-commune", "in-a-department"],
)
def test_orientation_result(client, query):
    # « Est-ce pour moi ? » lists the nearest agencies of the kind to contact (at most
    # orientation.selectors.NEAREST_LIMIT): rows=1 then 3 stay under it.
    lyon()
    assert_flat(
        client,
        f"/est-ce-pour-moi/resultat/?{query}",
        lambda n: AgencyFactory.create_batch(n, kind="mission-locale", name="Agence témoin"),
        marker="Agence témoin",
        rows=1,
    )


def test_agency_space_list(client):
    user = UserFactory()
    AgencyFactory(counsellor=user, name="Agence témoin")
    client.force_login(user)
    assert_flat(
        client,
        "/prescripteurs/espace/",
        lambda n: AgencyFactory.create_batch(n, counsellor=user, name="Agence témoin"),
        marker="Agence témoin",
        rows=1,
    )


def test_agency_space_and_team(client):
    admin = UserFactory()
    agency = AgencyFactory(admin=admin)
    client.force_login(admin)

    def add(n):
        for _ in range(n):
            AgencyMembership.objects.create(
                agency=agency, user=UserFactory(last_name="Membre"), role="conseiller"
            )
            AgencyInvitation.objects.create(
                agency=agency, email=_email(), invited_by=admin, role="conseiller"
            )

    assert_flat(client, f"/prescripteurs/espace/{agency.public_id}/", add, marker="ligne")


# Host structures ---------------------------------------------------------------------------


def test_structure_space_list(client):
    user = UserFactory(staff=True)
    client.force_login(user)
    assert_flat(
        client,
        "/structures/espace/",
        lambda n: HostStructureFactory.create_batch(n, admin=user, name="Structure témoin"),
        marker="Structure témoin",
    )


def test_structure_dashboard(client):
    host = make_host()
    client.force_login(host.admin_user)
    assert_flat(
        client,
        f"/structures/espace/{host.public_id}/",
        lambda n: SiteFactory.create_batch(n, structure=host, address="Adresse témoin"),
        marker="Adresse témoin",
    )


def test_structure_team(client):
    host = make_host()
    client.force_login(host.admin_user)

    def add(n):
        for _ in range(n):
            StructureMembership.objects.create(
                structure=host, user=UserFactory(email=_email()), role="contact"
            )
            Invitation.objects.create(structure=host, email=_email(), invited_by=host.admin_user)

    assert_flat(client, f"/structures/espace/{host.public_id}/equipe/", add, marker="ligne")


# Immersion requests ------------------------------------------------------------------------


def test_structure_inbox(client):
    host = make_host()
    client.force_login(host.admin_user)
    assert_flat(
        client,
        f"/demandes/structure/{host.public_id}/",
        lambda n: ContactRequestFactory.create_batch(n, structure=host, first_name="Témoin"),
        marker="Témoin",
    )


def test_my_requests(client):
    candidate = UserFactory()
    client.force_login(candidate)
    proposer = make_host(name="Proposante")

    def add(n):
        for _ in range(n):
            ContactRequestFactory(candidate=candidate, structure=make_host(name="Témoin"))
            post = _board_post(candidate=candidate)
            BoardProposal.objects.create(post=post, structure=proposer, body="Venez !")

    assert_flat(client, "/demandes/mes-demandes/", add, marker="Témoin")


def test_a_thread_with_many_messages(client):
    contact_request = ContactRequestFactory()
    candidate = contact_request.candidate
    client.force_login(candidate)
    structure_admin = UserFactory()
    StructureMembership.objects.create(structure=contact_request.structure, user=structure_admin)

    def add(n):
        for _ in range(n):
            Message.objects.create(
                request=contact_request, side="candidate", author=candidate, body="Message témoin"
            )
            Message.objects.create(
                request=contact_request,
                side="structure",
                author=structure_admin,
                body="Message témoin",
            )
            ContactEvent.objects.create(
                request=contact_request,
                at=timezone.now(),
                by=structure_admin,
                from_status=Status.NEW,
                to_status=Status.NEW,
            )

    assert_flat(client, f"/demandes/{contact_request.public_id}/", add, marker="Message témoin")


def _board_post(candidate=None, **fields) -> BoardPost:
    commune = lyon()
    now = timezone.now()
    return BoardPost.objects.create(
        candidate=candidate or UserFactory(),
        first_name="Témoin",
        last_initial="D",
        appellation=maraicher(),
        commune=commune,
        latitude=commune.latitude,
        longitude=commune.longitude,
        period="En avril.",
        duration="1s",
        motivations="Découvrir.",
        published_at=now,
        expires_at=now + timedelta(days=60),
        **fields,
    )


@pytest.mark.parametrize("around", [False, True], ids=["every-post", "around-a-structure"])
def test_public_board(client, around):
    host = make_host()
    client.force_login(host.admin_user)
    query = f"?autour={host.public_id}&rayon=30" if around else ""
    assert_flat(
        client,
        f"/demandes/tableau/{query}",
        lambda n: [_board_post() for _ in range(n)],
        marker="Témoin D.",
    )


def test_staff_stats(client):
    client.force_login(UserFactory(staff=True))
    host = make_host()

    def add(n):
        for weeks in range(n):
            ContactRequestFactory(
                structure=host, sent_at=timezone.now() - timedelta(weeks=weeks + n)
            )

    assert_flat(
        client, "/demandes/statistiques/", add, marker=None
    )  # twelve weeks, whatever the rows


# Conventions -------------------------------------------------------------------------------


def test_my_conventions_as_a_candidate(client):
    user = UserFactory()
    client.force_login(user)

    def add(n):
        for _ in range(n):
            draft = convention_services.start_draft(actor=user)
            Convention.objects.filter(pk=draft.pk).update(host_name="Hôte témoin")

    assert_flat(client, "/conventions/", add, marker="Hôte témoin")


def test_my_conventions_as_an_agency_reviewing_them(client):
    """The prescriber's review shows each convention's possible duplicates: the same
    person at the same structure for the same métier, on overlapping dates."""
    from tests.conventions.builders import valid_convention

    counsellor = UserFactory()
    agency = AgencyFactory(validator=counsellor)
    structure = HostStructureFactory(with_site=True)
    start = timezone.localdate() + timedelta(days=14)
    client.force_login(counsellor)

    def add(n):
        for _ in range(n):
            convention = valid_convention(
                structure=structure,
                agency=agency,
                host_name="Hôte témoin",
                date_start=start,
                date_end=start + timedelta(days=4),
            )
            Convention.objects.filter(pk=convention.pk).update(
                status=ConventionStatus.TO_SIGN, submitted_at=timezone.now()
            )

    assert_flat(client, "/conventions/", add, marker="Hôte témoin")
    page = client.get("/conventions/").text
    assert page.count('data-rule="possible_duplicate"') == 6 * 5  # each row, the 5 others


def test_the_prescriber_review_list(client):
    """*Espace prescripteur*: counts by status, « starts soon », signatures awaited."""
    from tests.conventions.builders import valid_convention

    validator = UserFactory()
    agency = AgencyFactory(validator=validator)
    structure = HostStructureFactory(with_site=True)
    client.force_login(validator)

    def add(n):
        for _ in range(n):
            number = next(_numbers)
            convention = valid_convention(
                structure=structure,
                agency=agency,
                host_name="Hôte témoin",
                beneficiary_last_name=f"Témoin {number}",
                beneficiary_email=_email(),
                beneficiary_phone=f"06{number:08d}",
            )
            convention_services_lifecycle.submit(convention=convention, actor=COMMAND)

    assert_flat(client, "/conventions/prescripteur/", add, marker="Hôte témoin")


def _followed_rows(agency, structure, n):
    """``n`` immersions ending this week, ``n`` whose assessment is missing (link sent)
    and ``n`` ended with a filled assessment, all of ``agency``."""
    from immersio.assessments import services as assessment_services
    from immersio.assessments.followup import week_of
    from immersio.assessments.models import Assessment
    from tests.assessments.helpers import completed, ended_convention

    monday, _sunday = week_of(timezone.localdate())
    for _ in range(n):
        common = {"agency": agency, "structure": structure, "with_account": False}
        ended_convention(
            beneficiary_last_name="Semaine témoin",
            date_start=monday - timedelta(days=4),
            date_end=monday,
            **common,
        )
        missing = ended_convention(days_ago=20, beneficiary_last_name="Manquant témoin", **common)
        Assessment.objects.create(
            convention=missing.convention,
            requested_at=timezone.now() - timedelta(days=19),
            reminded_at={"3": timezone.now().isoformat()},
        )
        done = ended_convention(days_ago=40, **common)
        assessment_services.fill(
            convention=done.convention, answers=completed(done.convention), actor=AUTOMATIC
        )


def test_the_agency_followup(client):
    """This week's ends, the assessments missing, the outcomes of the last months."""
    counsellor = UserFactory()
    agency = AgencyFactory(counsellor=counsellor)
    structure = HostStructureFactory(with_site=True)
    client.force_login(counsellor)
    assert_flat(
        client,
        f"/bilans/suivi/{agency.public_id}/",
        lambda n: _followed_rows(agency, structure, n),
        marker="témoin",
    )


def test_the_agency_export(client):
    """The CSV export: the same queries for 2 and 6 conventions (one chunk)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counsellor = UserFactory()
    agency = AgencyFactory(counsellor=counsellor)
    structure = HostStructureFactory(with_site=True)
    client.force_login(counsellor)
    today = timezone.localdate().isoformat()
    url = f"/bilans/suivi/{agency.public_id}/export.csv?du=2020-01-01&au={today}"

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
            lines = b"".join(response.streaming_content).count(b"\r\n")
        return len(context.captured_queries), lines

    _followed_rows(agency, structure, 2)
    small, small_lines = count()
    _followed_rows(agency, structure, 4)
    large, large_lines = count()
    assert (small_lines, large_lines) == (1 + 6, 1 + 18)
    assert small == large


# Staff -------------------------------------------------------------------------------------


ADMIN_CHANGELISTS = {
    "structures/hoststructure": lambda n: HostStructureFactory.create_batch(n, name="Témoin"),
    "structures/site": lambda n: SiteFactory.create_batch(n, address="Témoin"),
    "agencies/agency": lambda n: AgencyFactory.create_batch(n, name="Témoin"),
    # People show by their initials and masked addresses (issue 11): the markers are what
    # stays readable, a structure's name or an address's domain (ADMIN_MARKERS).
    "contacts/contactrequest": lambda n: ContactRequestFactory.create_batch(
        n, structure__name="Témoin"
    ),
    "accounts/user": lambda n: [
        UserFactory(email=_email().replace("@", "@temoin.")) for _ in range(n)
    ],
    "contacts/boardpost": lambda n: [_board_post() for _ in range(n)],
    "contacts/boardproposal": lambda n: [
        BoardProposal.objects.create(post=_board_post(), structure=make_host(), body="Venez")
        for _ in range(n)
    ],
    "conventions/convention": lambda n: [
        convention_services.start_draft(actor=AUTOMATIC, structure=structure)
        for structure in HostStructureFactory.create_batch(n, with_site=True, name="Témoin")
    ],
    "structures/receivedrequest": lambda n: ReceivedRequestFactory.create_batch(
        n, structure__name="Témoin"
    ),
    "agencies/agencymembership": lambda n: [
        AgencyFactory(counsellor=UserFactory(), name="Témoin") for _ in range(n)
    ],
    "notifications/outboundemail": lambda n: [
        OutboundEmail.objects.create(
            kind="test", recipient=_email(), subject="Témoin", text_body="Bonjour"
        )
        for _ in range(n)
    ],
}


ADMIN_MARKERS = {
    "accounts/user": "@temoin.",
    "contacts/boardpost": "T. D. —",  # _board_post's Témoin D.
    "contacts/boardproposal": "T. D. —",
}


@pytest.mark.parametrize("changelist", ADMIN_CHANGELISTS)
def test_admin_changelists(client, changelist):
    client.force_login(UserFactory(superuser=True))
    marker = ADMIN_MARKERS.get(changelist, "Témoin")
    assert_flat(client, f"/gestion/{changelist}/", ADMIN_CHANGELISTS[changelist], marker=marker)


def test_email_previews_cost_the_same_whatever_the_data(client):
    """The previews page renders each notification's example (writing, then rolling back,
    demo rows): its queries follow the notification classes, never the rows stored."""
    client.force_login(UserFactory(staff=True))

    def add(n):
        for _ in range(n):
            ContactRequestFactory(structure=make_host())
            AgencyFactory(counsellor=UserFactory())

    assert_flat(client, "/equipe/e-mails/", add, marker=None)


# « Trouver une immersion » and the reference data ------------------------------------------


@pytest.mark.usefixtures("referentials")
@pytest.mark.parametrize(
    "url",
    [
        "/trouver-une-immersion/?metier=Maraîcher+/+Maraîchère&appellation=16384&commune=69123",
        "/api/v1/structures/search?appellation=16384&commune=69123&distance_km=30",
    ],
    ids=["page", "api"],
)
def test_directory_search(client, url):
    from tests.directory.factories import make_structure

    assert_flat(
        client,
        url,
        lambda n: [make_structure("Jardins témoins", causes=["alimentation"]) for _ in range(n)],
        marker="Jardins t",  # the API escapes the accent
    )


@pytest.mark.usefixtures("referentials")
def test_directory_structure_page(client):
    from tests.directory.factories import SiteSpec, make_structure

    structure = make_structure("Jardins témoins")

    def add(n):
        for _ in range(n):
            add_site_with_offers(structure)

    def add_site_with_offers(structure):
        from tests.directory.factories import BOULANGER, MARAICHER, add_site

        add_site(structure, SiteSpec(appellations=(MARAICHER, BOULANGER), address="Lieu témoin"))

    assert_flat(client, f"/structure/{structure.public_id}/", add, marker="Lieu témoin")


@pytest.mark.usefixtures("referentials")
@pytest.mark.parametrize(
    ("path", "few", "many"),
    [
        ("/referentiels/metiers/", "zzzxxqq", "a"),
        ("/referentiels/communes/", "zzzxxqq", "saint"),
        ("/api/v1/referentials/appellations?limit=20&q=", "zzzxxqq", "a"),
        ("/api/v1/referentials/communes?limit=20&q=", "zzzxxqq", "saint"),
    ],
)
def test_reference_data_searches(client, path, few, many):
    """The reference data is searched in memory: no query per result."""
    separator = "" if path.endswith("=") else "?q="
    small, small_text = queries_of(client, f"{path}{separator}{few}")
    large, large_text = queries_of(client, f"{path}{separator}{many}")
    assert len(large_text) > len(small_text) + 500  # many results against none
    assert len(small) == len(large), large


def test_structure_sites_form(client):
    host = make_host()
    client.force_login(host.admin_user)
    assert_flat(
        client,
        f"/structures/espace/{host.public_id}/lieux/",
        lambda n: SiteFactory.create_batch(n, structure=host, address="Adresse témoin"),
        marker="Adresse témoin",
    )


def test_a_board_post_with_its_proposals(client):
    candidate = UserFactory()
    post = _board_post(candidate=candidate)
    client.force_login(candidate)
    assert_flat(
        client,
        f"/demandes/tableau/{post.public_id}/",
        lambda n: [
            BoardProposal.objects.create(post=post, structure=make_host(name="Témoin"), body="Oui")
            for _ in range(n)
        ],
        marker="Témoin",
    )


@pytest.mark.parametrize("placed", [False, True], ids=["no-place-yet", "near-the-place"])
def test_the_agencies_a_convention_can_go_to(client, placed):
    user = UserFactory()
    draft = convention_services.start_draft(actor=user)
    if placed:
        Convention.objects.filter(pk=draft.pk).update(place_commune=lyon())
    client.force_login(user)
    assert_flat(
        client,
        f"/conventions/brouillon/{draft.share_token}/prescripteur/",
        lambda n: AgencyFactory.create_batch(n, name="Agence témoin"),
        marker="Agence témoin",
    )


# Testimonies (issue 13) -------------------------------------------------------------------


def _testimonies(n, **changes):
    from tests.testimonies.helpers import published

    staff = UserFactory(is_staff=True)
    for _ in range(n):
        published(title="Témoin", staff=staff, **changes)


def test_testimonies_page(client):
    assert_flat(client, "/temoignages/", _testimonies, marker="Témoin")


def test_my_testimonies(client):
    from tests.testimonies.helpers import submitted

    author = UserFactory()
    client.force_login(author)
    assert_flat(
        client,
        "/temoignages/mes-temoignages/",
        lambda n: [submitted(author, title="Témoin") for _ in range(n)],
        marker="Témoin",
    )


def test_testimonies_review_queue(client):
    from tests.testimonies.helpers import submitted

    client.force_login(UserFactory(is_staff=True))
    assert_flat(
        client,
        "/temoignages/relecture/",
        lambda n: [submitted(title="Témoin") for _ in range(n)],
        marker="Témoin",
    )


def test_directory_structure_page_with_testimonies(client):
    from tests.directory.factories import make_structure

    structure = make_structure("Jardins témoins")
    assert_flat(
        client,
        f"/structure/{structure.public_id}/",
        lambda n: _testimonies(n, structure=structure),
        marker=None,
    )


# Resource people (issue 13) ----------------------------------------------------------------


def test_resource_people_search(client):
    from tests.resource_people.helpers import cause, make_conversation, make_profile

    food = cause()

    def add(count):
        for _ in range(count):
            profile = make_profile(causes=[food], monthly_quota=1)
            make_conversation(profile=profile)

    assert_flat(
        client, f"/personnes-ressources/?cause={food.slug}", add, marker="Complet ce mois-ci"
    )


def test_resource_people_conversations_of_each_side(client):
    from tests.resource_people.helpers import make_conversation, make_profile, with_slots

    candidate = UserFactory()
    profile = make_profile(monthly_quota=8)
    client.force_login(candidate)

    def add(count):
        for _ in range(count):
            with_slots(make_conversation(candidate=candidate))

    assert_flat(client, "/personnes-ressources/mes-entretiens/", add, marker="Créneaux proposés")
    client.force_login(profile.person)

    def received(count):
        for _ in range(count):
            make_conversation(profile=profile)

    assert_flat(client, "/personnes-ressources/mon-profil/", received, marker="Demande de")


def test_resource_people_review_queue(client):
    from immersio.resource_people.models import ProfileStatus
    from tests.resource_people.helpers import make_profile

    client.force_login(UserFactory(staff=True))

    def add(count):
        for _ in range(count):
            make_profile(status=ProfileStatus.SUBMITTED)

    assert_flat(client, "/personnes-ressources/relecture/", add, marker="envoyé le")


# Events (issue 13) -------------------------------------------------------------------------


def _events(n: int, **fields) -> None:
    from immersio.structures.models import Cause
    from tests.events.helpers import make_event

    causes = list(Cause.objects.order_by("pk")[:2])
    for _ in range(n):
        event = make_event(title="Événement témoin", **fields)
        event.causes.set(causes)


@pytest.mark.parametrize(
    ("url", "when"),
    [
        ("/evenements/", 10),
        ("/evenements/?lieu=Lyon&commune=69123&rayon=20&cause=alimentation", 10),
        ("/evenements/archives/", -10),
        ("/evenements/calendrier/", 0),
        ("/evenements/calendrier.ics", 10),
    ],
    ids=["list", "around-lyon", "archives", "calendar", "feed"],
)
def test_event_lists(client, url, when):
    from tests.events.helpers import soon

    lyon()

    def add(n):
        start = soon(when) if when else timezone.now()
        _events(n, starts_at=start)

    assert_flat(client, url, add, marker="Événement témoin" if "ics" not in url else None)


def test_my_events_and_the_staff_queue(client):
    from immersio.events.models import Status
    from tests.events.helpers import member

    structure, user = member()
    client.force_login(user)
    assert_flat(
        client,
        "/evenements/mes-evenements/",
        lambda n: _events(n, host_structure=structure, submitted_by=None),
        marker="Événement témoin",
    )
    client.force_login(UserFactory(is_staff=True))
    assert_flat(
        client,
        "/evenements/a-relire/",
        lambda n: _events(n, status=Status.SUBMITTED, published_at=None),
        marker="Événement témoin",
    )
