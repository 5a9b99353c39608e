"""The « Demande de convention » form in Chromium: an adult's convention built end to end
from a host structure, a minor's completed with a legal representative, an insertion
employee's with the employer and the 25 % rule; axe-core on every page. Screenshots for a
human look when IMMERSIO_SCREENSHOTS is set."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from immersio.conventions.models import Convention, Status
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.conventions.builders import next_free_week, valid_convention
from tests.fixtures.browser import save_screenshot
from tests.structures.factories import MARAICHER, HostStructureFactory, maraicher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, axe, name):
    save_screenshot(page, f"conventions-{name}")
    axe(page, name)


def log_in(page, user, live_server):
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


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
            "appellation_text": str(MARAICHER),
            "tasks": "Semis, récoltes.",
        },
    )
    check(page, axe, "3-immersion")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    page.get_by_role("heading", name="Dates et horaires", level=1).wait_for()
    end = start + timedelta(days=4)
    fill(page, {"date_start": start.isoformat(), "date_end": end.isoformat()})
    for day in range(5):
        fill(
            page,
            {
                f"d{day}_s1_start": "08:00",
                f"d{day}_s1_end": "12:00",
                f"d{day}_s2_start": "13:00",
                f"d{day}_s2_end": "16:00",
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
    page.get_by_role("heading", name="Demande de convention envoyée").wait_for()
    check(page, axe, "7-envoyee")
    convention = Convention.objects.get()
    assert convention.status == Status.SUBMITTED
    assert convention.agency == agency
    assert convention.total_minutes == 35 * 60


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
    page.get_by_role("heading", name="Demande de convention envoyée").wait_for()
    convention.refresh_from_db()
    assert convention.status == Status.SUBMITTED
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
    page.get_by_role("heading", name="Demande de convention envoyée").wait_for()
    convention.refresh_from_db()
    assert convention.status == Status.SUBMITTED
    assert convention.is_employee and convention.contract_kind == "siae"
