"""The life of a convention in Chromium (issue 10, « Done when »): sent through the pages,
each signatory signs from the link read in the e-mail the test SMTP server received (the
outbox is run, so e-mails are really sent), with the code read from the next e-mail; the
conseiller pre-validates, the valideur validates, everyone receives the e-mail with the
PDF link, and the PDF downloaded from the page holds the names and the evidence page. A
modification resets the signatures; a refusal with its reason stops the signing. The
signature page is checked at 390 px and with axe-core, like the review pages."""

import io
import re
import time
from datetime import timedelta

import pytest
from pypdf import PdfReader

from immersio.conventions import selectors
from immersio.conventions.models import Convention, Signature
from immersio.conventions.tasks import render_pdf
from immersio.conventions.transitions import Action, Role, Status
from immersio.core.actors import TASK
from immersio.notifications.services import process_due_emails
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.conventions.builders import valid_convention
from tests.conventions.lifecycle_helpers import sent_convention, sign
from tests.fixtures.browser import PHONE, log_in, save_screenshot
from tests.structures.factories import maraicher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = re.compile(r"https?://[^\s<>\"')]+")
CODE = re.compile(r"\b(\d{6})\b")
BENEFICIARY = "camille@exemple.fr"  # tests.conventions.builders.valid_convention
HOST = "direction@exemple.com"
TUTOR = "tuteur@exemple.com"
REFERENT = "claude@agence.fr"


# --- e-mails --------------------------------------------------------------------------------


def mail_to(smtp_server, address: str, subject: str, timeout: float = 10):
    """The last message to ``address`` whose subject contains ``subject``, after running
    the outbox (as the worker does)."""
    deadline = time.monotonic() + timeout
    while True:
        process_due_emails(actor=TASK)
        found = [m for m in smtp_server.messages_to(address) if subject in m.subject]
        if found:
            return found[-1]
        if time.monotonic() > deadline:
            subjects = [(m.to, m.subject) for m in smtp_server.messages]
            raise AssertionError(f"aucun e-mail « {subject} » pour {address} : {subjects}")
        time.sleep(0.2)


def url_in(message, path: str) -> str:
    for url in URL.findall(message.text):
        url = url.rstrip(".,;:!?")
        if path in url:
            return url
    raise AssertionError(f"aucun lien {path} dans l'e-mail « {message.subject} »")


def signature_url(message) -> str:
    return url_in(message, "/conventions/signer/?jeton=")


# --- the signatory's page -------------------------------------------------------------------


def sign_in_browser(page, smtp_server, address: str, *, axe=None, name: str = "") -> None:
    """Open the link of the last signature e-mail, ask for the code, read it from the
    next e-mail, tick the box and sign."""
    page.goto(signature_url(mail_to(smtp_server, address, "à signer")))
    page.get_by_role("heading", name="Je signe").wait_for()
    if axe is not None:
        save_screenshot(page, f"cycle-{name}-signature")
        axe(page, f"page de signature ({name})")
    page.get_by_role("button", name="Recevoir mon code par e-mail").click()
    page.get_by_text("Code envoyé à").wait_for()
    page.wait_for_load_state()  # the page after the code's redirect, before typing in it
    code = CODE.search(mail_to(smtp_server, address, "code de signature").subject).group(1)
    page.fill("#id_code", code)
    page.get_by_role("checkbox", name="J'ai lu la convention et je l'accepte").check()
    page.get_by_role("button", name="Je signe", exact=True).click()
    page.get_by_text("Merci : votre signature est enregistrée.").wait_for()


def assert_no_sideways_scroll(page, name: str) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= PHONE["width"], f"{name} : {wide} px de large sur un écran de 390 px"


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(
        " ".join(p.extract_text().replace("\u00a0", " ").replace("\u202f", " ").split())
        for p in reader.pages
    )


# --- journeys -------------------------------------------------------------------------------


def test_sent_signed_pre_validated_validated_and_the_pdf_opens(
    page, axe, smtp_server, site_url, live_server, referentials
):
    counsellor = UserFactory(first_name="Claire", last_name="Conseil")
    validator = UserFactory(first_name="Victor", last_name="Valide")
    agency = AgencyFactory(
        name="France Travail Lyon Part-Dieu", counsellor=counsellor, validator=validator
    )
    author = UserFactory()
    convention = valid_convention(agency=agency, appellation=maraicher(), created_by=author)

    # Sent through the pages.
    log_in(page, author, live_server)
    page.goto(f"/conventions/brouillon/{convention.share_token}/recapitulatif/")
    page.get_by_role("button", name="Envoyer la demande au prescripteur").click()
    page.get_by_text("Demande de convention envoyée").wait_for()
    convention.refresh_from_db()
    assert convention.status == Status.TO_SIGN
    mail_to(smtp_server, counsellor.email, convention.reference)  # the agency is told
    page.context.clear_cookies()  # the signatories are not logged in

    # The beneficiary signs on a computer…
    sign_in_browser(page, smtp_server, BENEFICIARY, axe=axe, name="beneficiaire")
    convention.refresh_from_db()
    assert convention.status == Status.PARTIALLY_SIGNED

    # … the host's representative on a phone.
    page.set_viewport_size(PHONE)
    page.goto(signature_url(mail_to(smtp_server, HOST, "à signer")))
    page.get_by_role("heading", name="Je signe").wait_for()
    assert_no_sideways_scroll(page, "page de signature")
    save_screenshot(page, "cycle-signature-390")
    sign_in_browser(page, smtp_server, HOST)
    assert_no_sideways_scroll(page, "page signée")
    axe(page, "page signée, 390 px")
    page.set_viewport_size({"width": 1280, "height": 900})
    convention.refresh_from_db()
    assert convention.status == Status.IN_REVIEW
    assert len(selectors.signed_by(convention)) == 2
    mail_to(smtp_server, validator.email, convention.reference)

    # The conseiller pre-validates…
    log_in(page, counsellor, live_server)
    page.goto("/conventions/prescripteur/")
    axe(page, "liste du prescripteur")
    save_screenshot(page, "cycle-liste")
    page.get_by_role("link", name=re.compile(convention.reference)).click()
    page.get_by_role("heading", name=f"Convention {convention.reference}").wait_for()
    axe(page, "détail côté conseiller")
    save_screenshot(page, "cycle-detail")
    page.get_by_role("button", name="Pré-valider").click()
    page.get_by_text("Convention pré-validée").wait_for()

    # … the valideur validates.
    smtp_server.clear()
    log_in(page, validator, live_server)
    page.goto(f"/conventions/prescripteur/{convention.public_id}/")
    axe(page, "détail côté valideur")
    page.get_by_role("button", name="Valider", exact=True).click()
    page.get_by_text("Convention validée").wait_for()
    convention.refresh_from_db()
    assert convention.status == Status.VALIDATED
    # The worker renders the PDF, off the request path (the validation queued the task in
    # the server's thread; tests/conventions/test_lifecycle.py checks that it is queued).
    render_pdf.call(selectors.current_version(convention).pk)
    assert convention.validator_name == "Victor Valide"
    assert list(convention.events.order_by("at", "id").values_list("action", flat=True)) == [
        Action.SUBMIT,
        Action.SIGN,
        Action.SIGN,
        Action.COMPLETE_SIGNATURES,
        Action.PRE_VALIDATE,
        Action.VALIDATE,
    ]

    # Everyone is told; each party's e-mail carries the link to the PDF.
    for address in (BENEFICIARY, HOST, counsellor.email, validator.email, REFERENT):
        message = mail_to(smtp_server, address, "validée")
        assert URL.search(message.text), f"pas de lien dans l'e-mail à {address}"
    mail_to(smtp_server, TUTOR, "validée")

    # A signatory downloads the PDF from their page.
    page.context.clear_cookies()
    page.goto(signature_url(mail_to(smtp_server, HOST, "validée")))
    axe(page, "page de signature d'une convention validée")
    download = page.get_by_role("link", name="Télécharger la convention signée et validée (PDF)")
    response = page.request.get(download.get_attribute("href"), timeout=60_000)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    for expected in (
        convention.reference,
        "Camille Durand",
        "Alex Martin",
        "France Travail Lyon Part-Dieu",
        "Preuves de signature",
        "Victor Valide",
        selectors.current_version(convention).sha256[:16],
    ):
        assert expected in text, f"« {expected} » absent du PDF"
    # The agency downloads the same document from its page.
    log_in(page, validator, live_server)
    page.goto(url_in(mail_to(smtp_server, validator.email, "validée"), "/prescripteur/"))
    href = page.get_by_role("link", name="Télécharger le PDF").get_attribute("href")
    agency_copy = page.request.get(href, timeout=60_000)
    assert agency_copy.status == 200
    assert pdf_text(agency_copy.body()) == text


def test_a_modification_resets_the_signatures(
    page, axe, smtp_server, site_url, live_server, referentials
):
    sent = sent_convention(appellation=maraicher())
    convention = sent.convention
    sign_in_browser(page, smtp_server, BENEFICIARY)
    old_link = signature_url(mail_to(smtp_server, BENEFICIARY, "à signer"))
    assert sent.refresh().status == Status.PARTIALLY_SIGNED

    # The agency reopens with a reason, changes the dates in the form, sends again.
    log_in(page, sent.counsellor, live_server)
    page.goto(f"/conventions/prescripteur/{convention.public_id}/")
    page.locator("summary", has_text="Rouvrir pour modifier").click()
    page.locator("#id_rouvrir-reason").fill("La structure ferme la première semaine.")
    page.get_by_role("button", name="Rouvrir pour modifier").click()
    page.get_by_text("Convention rouverte").wait_for()
    axe(page, "détail d'une convention rouverte")
    page.get_by_role("link", name="Modifier puis renvoyer la convention").click()
    page.get_by_role("heading", name="Bénéficiaire", level=1).wait_for()
    start = convention.date_start + timedelta(days=7)
    page.goto(f"/conventions/brouillon/{convention.share_token}/horaires/")
    page.fill("#id_date_start", start.isoformat())
    page.fill("#id_date_end", (start + timedelta(days=4)).isoformat())
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.get_by_role("heading", name="Prescripteur", level=1).wait_for()
    smtp_server.clear()
    page.goto(f"/conventions/brouillon/{convention.share_token}/recapitulatif/")
    page.get_by_role("button", name="Envoyer la demande au prescripteur").click()
    page.get_by_text("Demande de convention envoyée").wait_for()

    convention = sent.refresh()
    assert convention.status == Status.TO_SIGN
    assert convention.date_start == start
    assert convention.version == 2
    assert selectors.signed_by(convention) == {}
    assert Signature.objects.filter(signatory=sent.signatory(Role.BENEFICIARY)).count() == 1

    # The first signatory's signature no longer counts: a new link, the change told.
    page.context.clear_cookies()
    message = mail_to(smtp_server, BENEFICIARY, "à signer de nouveau")
    assert "La structure ferme la première semaine." in message.text
    page.goto(old_link)
    page.get_by_role("heading", name="La convention a changé depuis ce lien").wait_for()
    axe(page, "lien d'une version précédente")
    page.goto(signature_url(message))
    page.get_by_text("Elle attend votre signature.").wait_for()
    assert page.get_by_role("button", name="Je signe", exact=True).count() == 1
    sign_in_browser(page, smtp_server, BENEFICIARY)
    assert len(selectors.signed_by(sent.refresh())) == 1


def test_a_refusal_with_its_reason_stops_the_signing(
    page, axe, smtp_server, site_url, live_server, referentials
):
    sent = sent_convention(appellation=maraicher())
    convention = sent.convention
    sign(sent.signatory(Role.BENEFICIARY))

    log_in(page, sent.validator, live_server)
    page.goto(f"/conventions/prescripteur/{convention.public_id}/")
    page.locator("summary", has_text="Refuser").click()
    refuse = page.locator("form").filter(has=page.locator("#id_refuser-reason"))
    refuse.get_by_role("button", name="Refuser").click()
    assert "Indiquez le motif" in page.locator("#id_refuser-reason_error").inner_text()
    axe(page, "refus sans motif")
    page.locator("#id_refuser-reason").fill("Le métier ne correspond pas au projet.")
    page.locator("form").filter(has=page.locator("#id_refuser-reason")).get_by_role(
        "button", name="Refuser"
    ).click()
    page.get_by_text("Convention refusée").wait_for()
    convention = sent.refresh()
    assert convention.status == Status.REFUSED
    assert convention.status_reason == "Le métier ne correspond pas au projet."

    # The host's representative, who had not signed, can no longer sign.
    page.context.clear_cookies()
    message = mail_to(smtp_server, HOST, "refusée")
    assert "Le métier ne correspond pas au projet." in message.text
    page.goto(signature_url(message))
    page.get_by_text("Le métier ne correspond pas au projet.").first.wait_for()
    assert page.get_by_role("button", name="Je signe", exact=True).count() == 0
    assert page.get_by_role("button", name="Recevoir mon code par e-mail").count() == 0
    axe(page, "page de signature d'une convention refusée")
    assert Convention.objects.get(pk=convention.pk).status == Status.REFUSED
