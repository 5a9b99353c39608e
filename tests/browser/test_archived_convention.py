"""A beneficiary opening a convention archived by the retention job reads, in an
accessible page, that only its agency keeps it now and whom to ask."""

import pytest

from tests.fixtures.browser import log_in
from tests.privacy.test_archive import archive, archived_convention

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_archived_convention_tells_its_beneficiary_whom_to_ask(page, axe, live_server):
    convention, beneficiary, _counsellor = archived_convention()
    archive(convention)
    log_in(page, beneficiary, live_server)
    response = page.goto(f"/conventions/brouillon/{convention.share_token}/envoyee/")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "Cette convention est archivée"
    assert convention.agency.name in page.locator("main").inner_text()
    axe(page, "sur la page d'une convention archivée")
    page.get_by_role("link", name="Données personnelles").first.click()
    page.wait_for_url("**/donnees-personnelles/")
    axe(page, "sur la page des données personnelles, depuis une convention archivée")
