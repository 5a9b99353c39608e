"""Host structures in Chromium: registering a structure end to end (the confirmation link
read from the real SMTP server), then pausing and resuming from the space. axe-core runs
on every page; screenshots are saved for a human look when IMMERSIO_SCREENSHOTS is set."""

from datetime import timedelta

import pytest
from django.utils import timezone

from immersio.core.actors import TASK
from immersio.notifications.services import process_due_emails
from immersio.structures.models import Cause, HostStructure, Network
from immersio.structures.sirene import SireneEstablishment
from immersio.structures.vocabulary import CAUSES, NETWORKS
from tests.accounts.factories import UserFactory
from tests.fixtures.browser import log_in, save_screenshot
from tests.structures.factories import HostStructureFactory, MembershipFactory, SiteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIRET = "73282932000074"


def shot(page, name):
    save_screenshot(page, f"structures-{name}")


@pytest.fixture
def vocabulary(db):
    """Transactional tests empty every table, the seeded causes and networks too."""
    for position, (slug, label) in enumerate(CAUSES):
        Cause.objects.get_or_create(slug=slug, defaults={"label": label, "bit": position})
    for position, (slug, name, website) in enumerate(NETWORKS):
        Network.objects.get_or_create(
            slug=slug, defaults={"name": name, "website": website, "bit": position}
        )


def choose(page, label, text, option_text=None):
    field = page.get_by_role("combobox", name=label, exact=True)
    field.fill("")
    field.focus()
    page.keyboard.type(text, delay=30)
    root = page.locator("[data-combobox]", has=field)
    option = (
        root.get_by_role("option", name=option_text)
        if option_text
        else root.get_by_role("option").first
    )
    option.first.wait_for()
    option.first.click()
    return field


def test_register_a_structure_end_to_end(
    page,
    axe,
    smtp_server,
    site_url,
    referentials,
    vocabulary,
    fake_sirene,
):
    fake_sirene.add(
        SireneEstablishment(
            siret=SIRET,
            name="LES JARDINS DE LA SAUVEGARDE",
            address="12 Chemin des Serres",
            postal_code="69230",
            insee_code="69204",
            naf_code="0113Z",
            headcount="10-49",
            legal_form="9220",
            is_ess=True,
            is_association=True,
        )
    )
    page.goto("/structures/referencer/")
    axe(page, "étape SIRET")
    shot(page, "01-siret")
    page.get_by_label("Numéro SIRET de l'établissement").fill("732 829 320 00075")
    page.get_by_role("button", name="Continuer").click()
    error = page.locator("#id_siret_error")
    assert "clé de contrôle est fausse" in error.inner_text()
    axe(page, "étape SIRET avec une erreur")
    shot(page, "02-siret-erreur")
    page.get_by_label("Numéro SIRET de l'établissement").fill("732 829 320 00074")
    page.keyboard.press("Enter")

    page.get_by_role("heading", name="Votre structure").wait_for()
    assert page.get_by_label("Raison sociale").input_value() == "LES JARDINS DE LA SAUVEGARDE"
    page.get_by_label("Nom d'usage ou enseigne").fill("Jardins de la Sauvegarde")
    page.get_by_label("Présentation de la structure").fill(
        "Jardin d'insertion en maraîchage biologique."
    )
    axe(page, "étape identité")
    shot(page, "03-identite")
    page.get_by_role("button", name="Continuer").click()

    page.get_by_role("heading", name="Lieux et métiers").wait_for()
    assert page.get_by_label("Adresse").input_value() == "12 Chemin des Serres"
    commune = page.get_by_role("combobox", name="Commune")
    assert commune.input_value() == "Saint-Genis-Laval (69)"
    choose(page, "Métier", "maraîch", "Maraîcher / Maraîchère")
    axe(page, "étape lieux avec un métier choisi")
    page.get_by_role("button", name="Ajouter un autre lieu d'accueil").click()
    page.get_by_role("group", name="Lieu 2").wait_for()
    lieu2 = page.get_by_role("group", name="Lieu 2")
    lieu2.get_by_label("Adresse").fill("3 place Bellecour")
    field = lieu2.get_by_role("combobox", name="Commune")
    field.focus()
    page.keyboard.type("lyon", delay=30)
    lieu2.get_by_role("option").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    metier = lieu2.get_by_role("combobox", name="Métier", exact=True)
    metier.focus()
    page.keyboard.type("boulang", delay=30)
    lieu2.get_by_role("option", name="Boulanger / Boulangère").first.click()
    page.get_by_label("À quoi ressemble une immersion chez vous ?").fill(
        "Semis, récolte et paniers du jeudi."
    )
    shot(page, "04-lieux")
    axe(page, "étape lieux avec deux lieux")
    page.get_by_role("button", name="Continuer").click()

    page.get_by_role("heading", name="Accueil et contact").wait_for()
    assert page.get_by_label("Nombre de demandes par mois au maximum").input_value() == "8"
    page.get_by_label("Alimentation").check()
    page.get_by_label("CRESS (chambres régionales de l'économie sociale et solidaire)").check()
    page.get_by_label("Par téléphone").check()
    page.get_by_role("button", name="Continuer").click()
    assert "Indiquez le numéro" in page.locator("#id_contact_phone_error").inner_text()
    axe(page, "étape accueil avec une erreur")
    shot(page, "05-accueil-erreur")
    page.get_by_label("Téléphone pour les candidats").fill("04 78 00 12 34")
    page.get_by_role("button", name="Continuer").click()

    page.get_by_role("heading", name="Vos coordonnées").wait_for()
    page.get_by_label("Prénom").fill("Nadia")
    page.get_by_label("Nom", exact=True).fill("Benali")
    page.get_by_label("Adresse e-mail professionnelle").fill("nadia@exemple.fr")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.get_by_label("Fonction").fill("Encadrante technique")
    page.get_by_label("Je représente cette structure").check()
    axe(page, "étape coordonnées")
    shot(page, "06-vous")
    page.get_by_role("button", name="Envoyer et recevoir le lien de confirmation").click()

    page.get_by_role("heading", name="Vérifiez votre boîte e-mail").wait_for()
    axe(page, "page « Vérifiez votre boîte e-mail »")
    shot(page, "07-envoye")
    process_due_emails(actor=TASK)
    [message] = smtp_server.wait_for(1)
    assert message.to == ["nadia@exemple.fr"]
    link = message.first_url()
    assert link.startswith(site_url)

    page.goto(link)
    axe(page, "confirmation")
    shot(page, "08-confirmer")
    page.get_by_role("button", name="Confirmer et publier la structure").click()
    page.get_by_role("heading", name="Jardins de la Sauvegarde").wait_for()
    assert page.get_by_text("est publiée sur Immersio").is_visible()
    axe(page, "tableau de bord après confirmation")
    shot(page, "09-tableau-de-bord")
    structure = HostStructure.objects.get(siret=SIRET)
    assert structure.status == "publiee"
    assert structure.sites.count() == 2

    page.goto(link)
    assert page.get_by_role("heading", name="Ce lien a déjà été utilisé").is_visible()


def test_pause_then_resume_from_the_space(page, axe, live_server, referentials, vocabulary):
    admin = UserFactory(first_name="Nadia", last_name="Benali")
    structure = HostStructureFactory(
        admin=admin,
        name="Association Les Jardins de la Sauvegarde",
        brand_name="Jardins de la Sauvegarde",
        association=True,
        max_requests_per_month=8,
    )
    SiteFactory(structure=structure, label="Jardin", address="12 chemin des Serres")
    MembershipFactory(structure=structure, role="contact", user=UserFactory(first_name="Hugo"))
    log_in(page, admin, live_server)

    page.goto("/structures/espace/")
    page.get_by_role("heading", name="Jardins de la Sauvegarde").wait_for()
    axe(page, "tableau de bord")
    shot(page, "10-espace")
    until = timezone.localdate() + timedelta(days=20)
    page.get_by_label("En pause jusqu'au (inclus)").fill(until.isoformat())
    page.get_by_role("button", name="Mettre en pause").click()
    page.get_by_role("button", name="Reprendre dès maintenant").wait_for()
    assert page.get_by_text("En pause jusqu'au").first.is_visible()
    axe(page, "tableau de bord en pause")
    shot(page, "11-espace-en-pause")
    structure.refresh_from_db()
    assert structure.paused_until == until
    page.get_by_role("button", name="Reprendre dès maintenant").click()
    page.get_by_text("La pause est terminée").wait_for()
    structure.refresh_from_db()
    assert structure.paused_until is None

    page.get_by_role("link", name="Informations", exact=True).click()
    page.get_by_label("Raison sociale").wait_for()
    axe(page, "modification des informations")
    shot(page, "12-informations")
    page.get_by_role("link", name="Lieux et métiers", exact=True).click()
    page.get_by_role("group", name="Lieu 1 : Jardin").wait_for()
    axe(page, "lieux et métiers")
    shot(page, "13-lieux")
    page.get_by_role("link", name="Équipe", exact=True).click()
    page.get_by_role("heading", name="Inviter une personne").wait_for()
    page.get_by_label("Adresse e-mail de la personne").fill("bob@exemple.fr")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.get_by_text("Invitation envoyée à bob@exemple.fr").wait_for()
    axe(page, "équipe")
    shot(page, "14-equipe")


def test_a_structure_waiting_for_its_siret_check_says_so(page, axe, live_server, site_url):
    admin = UserFactory()
    structure = HostStructureFactory(
        status=HostStructure.Status.UNVERIFIED, published_at=None, admin=admin, with_site=True
    )
    log_in(page, admin, live_server)
    page.goto(f"/structures/espace/{structure.public_id}/")
    page.get_by_text("En attente de vérification.").wait_for()
    axe(page, "structure en attente de vérification")
    shot(page, "20-en-attente-de-verification")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "20-en-attente-de-verification-390")
