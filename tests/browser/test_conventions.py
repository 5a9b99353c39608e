"""The « Demande de convention » form in Chromium: an adult's convention built end to end
from a host structure, a minor's completed with a legal representative, an insertion
employee's with the employer and the 25 % rule; axe-core on every page. Screenshots for a
human look when IMMERSIO_SCREENSHOTS is set."""

from datetime import timedelta

import pytest
from django.utils import timezone

from immersio.conventions.models import Convention, Status
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.conventions.builders import next_free_week, valid_convention
from tests.fixtures.browser import log_in, save_screenshot
from tests.fixtures.contacts import ContactRequestFactory
from tests.structures.factories import HostStructureFactory, maraicher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, axe, name):
    """axe-core, a screenshot, and no sideways scrolling on a 390 px phone (item 12)."""
    save_screenshot(page, f"conventions-{name}")
    axe(page, name)
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        wide = page.evaluate("document.documentElement.scrollWidth")
        screen = page.evaluate("window.innerWidth")
        save_screenshot(page, f"conventions-{name}-390")
        assert wide <= screen, f"{name} : {wide} px de large pour un écran de {screen} px"
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


def fill(page, values: dict[str, str]):
    for name, value in values.items():
        page.fill(f"#id_{name}", value)


def test_adult_convention_end_to_end(page, axe, live_server, referentials):
    maraicher()
    host = UserFactory()  # an ordinary account, not staff (issue 8 item 1)
    structure = HostStructureFactory(with_site=True, admin=host)
    agency = AgencyFactory(name="France Travail Lyon Part-Dieu")
    start = next_free_week()

    log_in(page, host, live_server)
    page.goto(f"{live_server.url}/structures/espace/{structure.public_id}/")
    page.get_by_role("link", name="Préparer une convention").click()
    page.get_by_role("heading", name="Demande de convention d'immersion").wait_for()
    check(page, axe, "0-debut")
    page.get_by_role("button", name="Commencer").click()

    page.get_by_role("heading", name="Bénéficiaire", level=1).wait_for()
    # An impossible birth date: a French message on its field, what was typed is kept.
    fill(
        page,
        {
            "beneficiary_first_name": "Camille",
            "beneficiary_last_name": "Durand",
            "beneficiary_birth_date": "2090-01-01",
            "beneficiary_email": "camille@exemple.fr",
            "emergency_contact_name": "Dominique Durand",
            "emergency_contact_phone": "0611111111",
        },
    )
    page.get_by_role("button", name="Enregistrer et continuer").click()
    assert "dans le futur" in page.locator("#id_beneficiary_birth_date_error").inner_text()
    assert page.input_value("#id_beneficiary_first_name") == "Camille"
    check(page, axe, "1-beneficiaire-erreur")
    fill(page, {"beneficiary_birth_date": "1995-06-14"})
    page.get_by_role("button", name="Enregistrer et continuer").click()

    page.get_by_role("heading", name="Structure d'accueil", level=1).wait_for()
    assert page.input_value("#id_host_siret") == structure.siret
    fill(
        page,
        {
            "host_rep_name": "Alex Martin",
            "host_rep_email": "direction@exemple.com",
            "tutor_name": "Sam Petit",
            "tutor_email": "tuteur@exemple.com",
        },
    )
    page.check("#id_replaces_no_job")
    check(page, axe, "2-structure")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    page.get_by_role("heading", name="Immersion", level=1).wait_for()
    page.get_by_label("Découvrir un métier ou un secteur d'activité").check()
    fill(
        page,
        {
            "objectives": "Découvrir les gestes du métier ; bilan avec le tuteur.",
            "tasks": "Semis, récoltes.",
        },
    )
    # Item 8: the métier is chosen by keyboard in the search's combobox.
    field = page.get_by_role("combobox", name="Métier observé")
    field.focus()
    page.keyboard.type("maraich", delay=40)
    first = page.get_by_role("listbox").get_by_role("option").first
    first.wait_for()
    chosen, label = first.get_attribute("data-value"), first.get_attribute("data-label")
    axe(page, "3-immersion-suggestions")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert field.input_value() == label
    assert page.locator("#id_appellation_text-code").input_value() == chosen
    check(page, axe, "3-immersion")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    page.get_by_role("heading", name="Dates et horaires", level=1).wait_for()
    end = start + timedelta(days=4)
    fill(page, {"date_start": start.isoformat(), "date_end": end.isoformat()})
    # Item 31: the same hours every day, Monday to Friday checked by default.
    assert page.get_by_label("Les mêmes horaires chaque jour de présence").is_checked()
    assert page.locator('[data-schedule-mode="detail"]').is_hidden()
    page.get_by_label("Des horaires différents selon les jours").check()
    assert page.locator('[data-schedule-mode="memes"]').is_hidden()
    page.get_by_label("Les mêmes horaires chaque jour de présence").check()
    fill(
        page,
        {
            "same_s1_start": "08:00",
            "same_s1_end": "12:00",
            "same_s2_start": "13:00",
            "same_s2_end": "16:00",
        },
    )
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.get_by_text("Brouillon enregistré").wait_for()
    assert "35 h" in page.locator("#total").inner_text()
    check(page, axe, "4-horaires")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    page.get_by_role("heading", name="Prescripteur", level=1).wait_for()
    page.get_by_label(agency.name, exact=False).check()
    fill(page, {"counsellor_name": "Claude Bernard"})
    check(page, axe, "5-prescripteur")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    page.get_by_role("heading", name="Récapitulatif et envoi", level=1).wait_for()
    check(page, axe, "6-recapitulatif")
    page.get_by_role("button", name="Envoyer la demande au prescripteur").click()
    page.get_by_text("Demande de convention envoyée").wait_for()
    check(page, axe, "7-envoyee")
    convention = Convention.objects.get()
    assert convention.status == Status.TO_SIGN
    assert convention.agency == agency
    assert convention.total_minutes == 35 * 60
    assert str(convention.appellation.code) == chosen
    assert convention.created_by == host


def test_minor_is_asked_for_a_legal_representative(page, axe, live_server, referentials):
    """A 17-year-old: the rule message shows next to the legal representative's e-mail
    once the dates are known; filling it in makes the convention sendable."""
    birth = timezone.localdate() - timedelta(days=17 * 365)
    author = UserFactory()
    convention = valid_convention(
        beneficiary_birth_date=birth, appellation=maraicher(), created_by=author
    )
    log_in(page, author, live_server)
    base = f"{live_server.url}/conventions/brouillon/{convention.share_token}"
    page.goto(f"{base}/recapitulatif/")
    assert page.get_by_role("button", name="Envoyer la demande au prescripteur").count() == 0
    page.get_by_role("link", name="Corriger : Bénéficiaire").first.click()
    rule = page.locator("#id_legal_rep_email_rules")
    assert "représentant légal" in rule.inner_text()
    check(page, axe, "mineur-1-beneficiaire")
    fill(
        page,
        {
            "legal_rep_first_name": "Dominique",
            "legal_rep_last_name": "Durand",
            "legal_rep_email": "parent@exemple.net",
            "legal_rep_relationship": "Mère",
        },
    )
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.get_by_role("heading", name="Structure d'accueil", level=1).wait_for()
    page.goto(f"{base}/recapitulatif/")
    check(page, axe, "mineur-2-recapitulatif")
    page.get_by_role("button", name="Envoyer la demande au prescripteur").click()
    page.get_by_text("Demande de convention envoyée").wait_for()
    convention.refresh_from_db()
    assert convention.status == Status.TO_SIGN
    assert convention.beneficiary_birth_date == birth


def test_employee_in_insertion_needs_the_employer_and_the_25_percent_rule(
    page, axe, live_server, referentials
):
    """An SIAE employee: the employer becomes a signatory (its e-mail is asked for next to
    its field), and a contract too short for the immersion is refused (25 % rule)."""
    author = UserFactory()
    convention = valid_convention(appellation=maraicher(), created_by=author)
    log_in(page, author, live_server)
    base = f"{live_server.url}/conventions/brouillon/{convention.share_token}"
    start = convention.date_start
    page.goto(f"{base}/beneficiaire/")
    page.check("#id_is_employee")
    page.select_option("#id_contract_kind", "siae")
    fill(
        page,
        {
            "employer_name": "Atelier Vélo Solidaire",
            "employer_rep_name": "Noa Leroy",
            # A 10-day contract: the 5-day immersion is over 25 % of it.
            "contract_start": (start - timedelta(days=5)).isoformat(),
            "contract_end": (start + timedelta(days=4)).isoformat(),
        },
    )
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.goto(f"{base}/recapitulatif/")
    summary = page.locator("main").inner_text()
    assert "employeur actuel" in summary
    assert "25 %" in summary
    assert page.get_by_role("button", name="Envoyer la demande au prescripteur").count() == 0
    check(page, axe, "salarie-1-recapitulatif")

    page.goto(f"{base}/beneficiaire/")
    assert "employeur actuel" in page.locator("#id_employer_rep_email_rules").inner_text()
    fill(
        page,
        {
            "employer_rep_email": "direction@atelier-velo.example",
            "contract_start": (start - timedelta(days=60)).isoformat(),
            "contract_end": (start + timedelta(days=120)).isoformat(),
        },
    )
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.get_by_role("heading", name="Structure d'accueil", level=1).wait_for()
    page.goto(f"{base}/recapitulatif/")
    check(page, axe, "salarie-2-recapitulatif")
    page.get_by_role("button", name="Envoyer la demande au prescripteur").click()
    page.get_by_text("Demande de convention envoyée").wait_for()
    convention.refresh_from_db()
    assert convention.status == Status.TO_SIGN
    assert convention.is_employee and convention.contract_kind == "siae"


def test_prepare_the_convention_twice_gives_one_draft_listed_for_every_party(
    page, axe, live_server, referentials
):
    """Item 7: the structure clicks « Préparer la convention » twice: one draft; the
    candidate, the structure and the agency find it in « Mes conventions »."""
    request = ContactRequestFactory(answered=True)
    host, counsellor = UserFactory(), UserFactory()
    request.structure.memberships.create(user=host, role="admin", is_active=True)
    agency = AgencyFactory(name="Mission locale de Lyon")
    agency.memberships.create(user=counsellor, role="conseiller", is_active=True)
    log_in(page, host, live_server)
    urls = []
    for attempt in range(2):
        page.goto(f"{live_server.url}/demandes/{request.public_id}/")
        page.get_by_role("link", name="Préparer la convention").click()
        page.get_by_role("heading", name="Demande de convention d'immersion").wait_for()
        if attempt:
            check(page, axe, "reprendre")
        page.get_by_role(
            "button", name="Commencer" if not attempt else "Reprendre la demande"
        ).click()
        page.get_by_role("heading", name="Bénéficiaire", level=1).wait_for()
        urls.append(page.url)
    assert urls[0] == urls[1]
    convention = Convention.objects.get()
    convention.agency = agency
    convention.save()
    for who, user in (("structure", host), ("candidat", request.candidate), ("agence", counsellor)):
        log_in(page, user, live_server)
        page.goto(f"{live_server.url}/conventions/")
        item = page.locator(f'li[data-reference="{convention.reference}"]')
        assert "Brouillon" in item.inner_text()
        check(page, axe, f"mes-conventions-{who}")
        item.get_by_role("link").click()
        page.get_by_role("heading", name="Bénéficiaire", level=1).wait_for()


def test_going_back_keeps_what_was_typed(page, axe, live_server, referentials):
    """Item 8: « Revenir à l'étape précédente » and the list of steps are never blocked by
    the current step's errors, and what was typed is still there on return."""
    author = UserFactory()
    convention = valid_convention(appellation=maraicher(), created_by=author)
    log_in(page, author, live_server)
    page.goto(f"{live_server.url}/conventions/brouillon/{convention.share_token}/structure/")
    fill(page, {"host_siret": "123", "tutor_name": "Nouvelle tutrice"})
    page.get_by_role("button", name="Revenir à l'étape précédente").click()
    page.get_by_role("heading", name="Bénéficiaire", level=1).wait_for()
    page.get_by_role("button", name="2. Structure d'accueil").click()
    page.get_by_role("heading", name="Structure d'accueil", level=1).wait_for()
    assert page.input_value("#id_host_siret") == "123"
    assert page.input_value("#id_tutor_name") == "Nouvelle tutrice"
    assert "14 chiffres" in page.locator("#id_host_siret_error").inner_text()
    check(page, axe, "retour-erreurs")
    # The list of steps works forward too; the valid value was saved meanwhile.
    page.get_by_role("button", name="4. Dates et horaires").click()
    page.get_by_role("heading", name="Dates et horaires", level=1).wait_for()
    convention.refresh_from_db()
    assert convention.tutor_name == "Nouvelle tutrice"
