"""The Immersio team opens a convention's sensitive fields in Chromium (issue 11, item 5):
hidden at first, the reason asked (an empty one is refused next to the field), then
shown for that page view and logged; the page and its errors pass axe-core."""

import pytest

from immersio.conventions import selectors
from tests.accounts.factories import UserFactory
from tests.conventions.lifecycle_helpers import sent_convention
from tests.fixtures.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMERGENCY = "Dominique Durand"  # tests.conventions.builders.valid_convention


def test_the_team_says_why_before_seeing_the_sensitive_fields(page, axe, live_server):
    convention = sent_convention().refresh()
    staff = UserFactory(staff=True, first_name="Sacha", last_name="Support")
    log_in(page, staff, live_server)

    page.goto(f"/conventions/prescripteur/{convention.public_id}/")
    page.get_by_text("Information réservée aux signataires").wait_for()
    assert EMERGENCY not in page.content()
    axe(page, "détail côté équipe, données masquées")

    page.get_by_role("button", name="Voir les données sensibles").click()
    page.get_by_text("Indiquez pourquoi vous consultez ces informations.").first.wait_for()
    assert EMERGENCY not in page.content()
    axe(page, "motif manquant")

    page.get_by_label("Pourquoi consultez-vous ces informations ?").fill("Appel du conseiller")
    page.get_by_role("button", name="Voir les données sensibles").click()
    page.get_by_text(f"En cas d'urgence : {EMERGENCY}").wait_for()
    axe(page, "détail côté équipe, données affichées")

    [row] = selectors.access_log_for(convention)
    assert (row.by_id, row.reason) == (staff.pk, "Appel du conseiller")
    # A new page view asks again.
    page.goto(f"/conventions/prescripteur/{convention.public_id}/")
    assert EMERGENCY not in page.content()
