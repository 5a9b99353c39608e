"""« Mes données » in Chromium: a candidate with a sent request and a validated convention
downloads their data (the link read from the real SMTP server, the ZIP opened), deletes
their account, and the staff then find no trace of them in the back office but the kept
convention. axe-core runs on every page."""

import json
import zipfile

import pytest

from immersio.core.actors import TASK
from immersio.notifications.services import process_due_emails
from tests.accounts.factories import UserFactory
from tests.fixtures.browser import log_in, save_screenshot
from tests.fixtures.contacts import ContactRequestFactory
from tests.privacy.helpers import validated_convention

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "camille.durand@exemple.fr"


def shot(page, name):
    save_screenshot(page, f"privacy-{name}")


def test_candidate_downloads_then_deletes_and_only_the_convention_stays(
    page, axe, smtp_server, site_url, live_server, tmp_path
):
    candidate = UserFactory(email=EMAIL, first_name="Camille", last_name="Durandeau")
    request = ContactRequestFactory(
        candidate=candidate, email=EMAIL, last_name="Durandeau", motivations="Le maraîchage."
    )
    convention = validated_convention(EMAIL)

    log_in(page, candidate, live_server)
    page.goto("/compte/profil/")
    page.get_by_role("link", name="Mes données").last.click()
    page.wait_for_url("**/mes-donnees/")
    axe(page, "mes données")
    shot(page, "page")
    page.get_by_role("button", name="Télécharger mes données").click()
    page.get_by_text("Nous vous avons envoyé un lien").wait_for()

    process_due_emails(actor=TASK)
    [message] = smtp_server.wait_for(1)
    page.goto(message.first_url())
    axe(page, "téléchargement")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger mes données (ZIP)").click()
    path = tmp_path / "donnees.zip"
    download_info.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        requests = json.loads(archive.read("demandes.json"))
        conventions = json.loads(archive.read("conventions.json"))
        names = archive.namelist()
    assert [r["reference"] for r in requests] == [str(request.public_id)]
    assert [c["reference"] for c in conventions] == [convention.reference]
    assert f"conventions/{convention.reference}-v1.pdf" in names

    page.goto("/mes-donnees/")
    page.get_by_label("Je comprends que mon compte").check()
    page.get_by_role("button", name="Supprimer mon compte").click()
    page.wait_for_url("**/mes-donnees/compte-supprime/")
    axe(page, "compte supprimé")
    shot(page, "supprime")
    process_due_emails(actor=TASK)
    receipt = smtp_server.wait_for(2)[-1]
    assert convention.reference in receipt.text

    log_in(page, UserFactory(staff=True, superuser=True), live_server)
    # Searches find nothing (Django lists no table without a result)…
    page.goto(f"/gestion/accounts/user/?q={EMAIL}")
    assert page.locator("#result_list").count() == 0
    page.goto("/gestion/contacts/contactrequest/?q=Durandeau")
    assert page.locator("#result_list").count() == 0
    # … the request stays, anonymised, for the statistics; the convention stays whole.
    page.goto("/gestion/contacts/contactrequest/")
    assert EMAIL not in page.content() and "Durandeau" not in page.content()
    page.goto("/gestion/conventions/convention/")
    assert convention.reference in page.content()
