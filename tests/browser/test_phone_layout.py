"""Issue 8 items 10, 12 and 28 in the browser.

Item 12: no page scrolls sideways on a phone. Every main page, visited as the person who
uses it, 390 px wide: ``document.documentElement.scrollWidth <= window.innerWidth``. The
convention form (its schedule table) belongs to another stream and is left out here.

Items 10 and 28: the ways out of an empty search work when followed; « Aller aux
résultats » is the second Tab stop; on a phone « Demander une immersion » is on the first
screen of a structure's page.

Set ``IMMERSIO_SCREENSHOTS=/tmp/shots`` to save screenshots of the pages.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse

from immersio.referentials import search as referentials_search
from tests.fixtures.browser import PHONE, save_screenshot
from tests.fixtures.browser import log_in as log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The elements that stick out of the screen, to say which one to fix.
OVERFLOW_SCRIPT = """() => {
  const width = window.innerWidth;
  const found = [];
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (box.width && box.right > width + 0.5) {
      let inside = element.parentElement;
      let clipped = false;
      while (inside && inside !== document.body) {
        const style = getComputedStyle(inside);
        if (['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)) {
          clipped = true;
          break;
        }
        inside = inside.parentElement;
      }
      if (!clipped) {
        const name = element.tagName.toLowerCase() + (element.id ? '#' + element.id : '')
          + (element.className && typeof element.className === 'string'
             ? '.' + element.className.trim().split(/\\s+/).join('.') : '');
        found.push(name + ' → ' + Math.round(box.right) + ' px');
      }
    }
  }
  return {scroll: document.documentElement.scrollWidth, inner: width, found: found.slice(0, 8)};
}"""


@pytest.fixture
def demo(settings, live_server):
    settings.SITE_URL = live_server.url
    settings.MAP_TILE_URL = ""  # the map without tiles: nothing leaves the machine
    call_command("import_referentials", verbosity=0)  # emptied by transactional tests
    referentials_search.invalidate()
    call_command("load_demo", wet_run=True, verbosity=0)
    # Built now rather than during the first page (seconds on a busy machine).
    referentials_search.appellation_index.get()
    referentials_search.commune_index.get()
    return live_server


def log_in(page, user, live_server):
    """Anonymous visitors (``user`` None) browse without a session."""
    if user is None:
        page.context.clear_cookies()
        return
    log_in_as(page, user, live_server)


def people_and_pages():
    """(who, [(name, path)]) for every main page, as the role that sees it."""
    from immersio.accounts.models import User
    from immersio.agencies.models import Agency, AgencyMembership
    from immersio.contacts.models import ContactRequest
    from immersio.conventions.models import Convention
    from immersio.directory import forms, search
    from immersio.events.models import Event
    from immersio.events.models import Status as EventStatus
    from immersio.resource_people.models import ResourceProfile
    from immersio.structures.models import HostStructure, StructureMembership
    from tests.fixtures.contacts import ContactRequestFactory as Requests

    structure = HostStructure.objects.public().filter(memberships__isnull=False).first()
    site = structure.sites.select_related("commune").first()
    offer = site.offers.select_related("appellation").first()
    member = StructureMembership.objects.filter(structure=structure).first().user
    candidate = User.objects.get(email="camille.martin@immersio.example")
    staff = User.objects.get(email="equipe@immersio.example")
    request = Requests(structure=structure, candidate=candidate, appellation=offer.appellation)
    agency = Agency.objects.filter(memberships__isnull=False).first()
    counsellor = agency.memberships.first().user
    AgencyMembership.objects.filter(agency=agency, user=counsellor).update(
        role=AgencyMembership.Role.ADMIN
    )
    assert ContactRequest.objects.filter(pk=request.pk).exists()
    found = search.search(
        forms.build_query({"appellation": str(offer.appellation_id), "commune": site.commune_id})
    )
    assert found.count, "la recherche de démonstration doit trouver des structures"
    results = reverse("directory:search") + (
        f"?metier={offer.appellation.label}&appellation={offer.appellation_id}"
        f"&commune={site.commune_id}&lieu={site.commune.name}"
    )
    public = [
        ("accueil", reverse("core:home")),
        ("je-cherche", "/je-cherche-une-immersion/"),
        ("j-accueille", "/j-accueille-en-immersion/"),
        ("j-accompagne", "/j-accompagne-des-personnes/"),
        ("mentions", "/mentions-legales/"),
        ("plan", "/plan-du-site/"),
        ("recherche", reverse("directory:search")),
        ("recherche-resultats", results),
        ("recherche-texte-libre", reverse("directory:search") + "?metier=maraîchage&lieu=Lyon"),
        (
            "recherche-erreur",
            reverse("directory:search") + "?metier=zythologue&lieu=Brest&rayon=1",
        ),
        (
            "recherche-vide",
            reverse("directory:search") + "?metier=maraîchage&lieu=Ouessant&rayon=1",
        ),
        ("structure", reverse("directory:structure", kwargs={"public_id": structure.public_id})),
        ("demande", reverse("contacts:new", kwargs={"public_id": structure.public_id})),
        ("tableau", reverse("contacts:board")),
        ("prescripteurs", reverse("agencies:directory")),
        ("est-ce-pour-moi", reverse("orientation:questions")),
        (
            "est-ce-pour-moi-reponse",
            reverse("orientation:result")
            + "?situation=jeune_ml&age=24&suivi=mission-locale&lieu=Lyon&commune=69123",
        ),
        ("prescripteur", reverse("agencies:detail", kwargs={"public_id": agency.public_id})),
        ("referencer", reverse("structures:register")),
        ("inscription-prescripteur", reverse("agencies:register")),
        ("connexion", reverse("accounts:login")),
        # Issue 13: orientation and inspiration.
        ("evenements", reverse("events:search")),
        ("calendrier", reverse("events:calendar")),
        ("archives", reverse("events:archives")),
        *[
            ("evenement", reverse("events:detail", kwargs={"public_id": event.public_id}))
            for event in Event.objects.filter(status=EventStatus.PUBLISHED).order_by("pk")[:1]
        ],
        ("personnes-ressources", reverse("resource_people:search")),
        ("entretien-metier", reverse("resource_people:guide")),
        *[
            (
                "personne-ressource",
                reverse("resource_people:profile", kwargs={"public_id": profile.public_id}),
            )
            for profile in ResourceProfile.objects.filter(
                status=ResourceProfile.Status.PUBLISHED
            ).order_by("pk")[:1]
        ],
        ("temoignages", reverse("testimonies:index")),
        ("preparer-ma-demande", reverse("contacts:prepare")),
    ]
    return [
        (None, public),
        (
            candidate,
            [
                ("mes-demandes", reverse("contacts:mine")),
                ("fil", reverse("contacts:thread", kwargs={"public_id": request.public_id})),
                ("profil", reverse("accounts:profile")),
                ("publier", reverse("contacts:board_publish")),
                ("mes-conventions", reverse("conventions:mine")),
                *[
                    (
                        "convention-envoyee",
                        reverse("conventions:sent", kwargs={"token": convention.share_token}),
                    )
                    for convention in Convention.objects.visible_to(candidate)
                    .exclude(status="brouillon")
                    .order_by("pk")[:1]
                ],
            ],
        ),
        (
            member,
            [
                ("espace-structure", reverse("structures:space")),
                (
                    "tableau-de-bord",
                    reverse("structures:dashboard", kwargs={"public_id": structure.public_id}),
                ),
                ("modifier", reverse("structures:edit", kwargs={"public_id": structure.public_id})),
                ("lieux", reverse("structures:sites", kwargs={"public_id": structure.public_id})),
                ("equipe", reverse("structures:team", kwargs={"public_id": structure.public_id})),
                (
                    "boite",
                    reverse("contacts:structure_inbox", kwargs={"public_id": structure.public_id}),
                ),
            ],
        ),
        (
            counsellor,
            [
                ("espace-prescripteur", reverse("agencies:space")),
                (
                    "equipe-prescripteur",
                    reverse("agencies:space_agency", kwargs={"public_id": agency.public_id}),
                ),
                ("conventions-a-suivre", reverse("conventions:review_list")),
                (
                    "suivi-des-immersions",
                    reverse("assessments:followup", kwargs={"agency": agency.public_id}),
                ),
            ],
        ),
        (
            staff,
            [
                ("statistiques", reverse("contacts:staff_stats")),
                ("relances", reverse("conventions:reminder_effect")),
                ("profils-a-relire", reverse("resource_people:review_queue")),
                ("evenements-a-relire", reverse("events:review_queue")),
                ("temoignages-a-relire", reverse("testimonies:queue")),
            ],
        ),
    ]


# Pages whose tables scroll inside themselves on a phone: still accessible.
TABLE_PAGES = {
    "calendrier",
    "relances",
    "statistiques",
    "espace-prescripteur",
    "equipe-prescripteur",
    "equipe",
    "suivi-des-immersions",
}


def test_no_page_scrolls_sideways_on_a_phone(page, axe, demo):
    page.set_viewport_size(PHONE)
    too_wide = []
    for person, pages in people_and_pages():
        log_in(page, person, demo)
        for name, path in pages:
            response = page.goto(path)
            assert response.status == 200, f"{name} ({path}) : {response.status}"
            page.wait_for_load_state("load")
            measure = page.evaluate(OVERFLOW_SCRIPT)
            save_screenshot(page, f"phone-{name}")
            if name == "recherche-vide":  # with its ways out (item 10)
                assert page.locator(".empty-state").is_visible()
            if name in TABLE_PAGES:
                axe(page, f"sur « {name} » à 390 px")
            if measure["scroll"] > measure["inner"]:
                too_wide.append(f"{name} ({path}) : {measure}")
    assert not too_wide, "Pages plus larges que l'écran à 390 px :\n" + "\n".join(too_wide)


@pytest.fixture
def gardens(settings, live_server):
    from immersio.directory import search
    from immersio.referentials.models import Appellation
    from tests.directory.factories import LYON, MARAICHER, at, make_structure, north_of

    settings.MAP_TILE_URL = ""
    call_command("import_referentials", verbosity=0)
    referentials_search.invalidate()
    # Built now rather than during the first page (seconds on a busy machine).
    referentials_search.appellation_index.get()
    referentials_search.commune_index.get()
    neighbour = search.related_romes("A1414")[0]
    other = Appellation.objects.filter(rome_id=neighbour).order_by("code").first()
    make_structure("Voisins du potager", sites=[at(north_of(LYON, 4), other.code)])
    make_structure("Ferme lointaine", sites=[at(north_of(LYON, 60), MARAICHER)])
    for number in range(3):
        make_structure(
            f"Jardin {number}",
            description="Maraîchage biologique.",
            sites=[at(north_of(LYON, 40 + number), MARAICHER)],
        )
    return live_server


def test_empty_result_ways_out_work_when_followed(page, axe, gardens):
    """Item 10: each way out of an empty result is a link that leads somewhere."""
    start = "/trouver-une-immersion/?metier=Maraîcher+/+Maraîchère&appellation=16384&lieu=Lyon"
    page.goto(start + "&commune=69123&rayon=10")
    assert page.locator("#titre-resultats").inner_text().strip() == "Aucune structure trouvée"
    ways = page.locator(".empty-state")
    assert "(3 structures)" in ways.inner_text()
    save_screenshot(page, "search-empty-ways-out")
    axe(page, "sur un résultat vide et ses pistes")
    page.get_by_role("link", name="Élargir la recherche à 50 km").click()
    page.wait_for_url("**rayon=50**")
    assert page.locator(".result-card").count() == 3
    page.go_back()
    page.locator(".empty-state a", has_text="Un métier voisin").first.click()
    page.wait_for_url("**metier=**")
    assert page.locator(".result-card h3").all_inner_texts() == ["Voisins du potager"]
    assert "(" in page.locator("#recherche-metier").input_value()  # a label, not a raw code
    page.go_back()
    page.get_by_role("link", name="Jardin 0").click()  # the nearest, at any distance
    page.wait_for_url("**/structure/*/")
    assert page.locator("h1").inner_text() == "Jardin 0"
    page.go_back()
    page.get_by_role("link", name="Voir les demandes d'immersion déjà publiées").click()
    page.wait_for_url("**/demandes/tableau/")
    page.go_back()
    page.get_by_role("link", name="Publier votre demande", exact=False).click()
    page.wait_for_url("**/compte/connexion/**")  # to log in first, then back


def test_skip_link_to_results_and_request_button_on_a_phone(page, axe, gardens):
    """Item 28: « Aller aux résultats » is the second Tab stop and takes the keyboard to
    the results; on a phone « Demander une immersion » is on a structure's first screen."""
    page.goto("/trouver-une-immersion/?metier=maraîchage&lieu=Lyon&rayon=50")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller aux résultats"
    assert page.locator(".skip-link:focus").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "resultats"
    for _ in range(3):  # past the métiers searched for the text typed, if any
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.result-card') !== null"):
            break
    assert page.evaluate("document.activeElement.closest('.result-card') !== null")

    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="Jardin 1").click()
    page.wait_for_url("**/structure/*/")
    button = page.get_by_role("link", name="Demander une immersion").first
    assert button.is_visible()
    box = button.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], box
    save_screenshot(page, "structure-phone")
    axe(page, "sur la page d'une structure, sur un téléphone")
    button.click()
    page.wait_for_url("**/demandes/nouvelle/*/")
