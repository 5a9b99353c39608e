"""Issue 8 item 16 in Chromium: objectives are typed one a line; six are refused next to
the field, with nothing typed lost, on a desktop and a 390 px wide screen."""

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.conventions.builders import valid_convention
from tests.fixtures.browser import log_in, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_six_objectives_are_refused_next_to_the_field(page, axe, live_server):
    convention = valid_convention()
    party = UserFactory()
    convention.participants.add(party)  # drafts open only to their parties
    log_in(page, party, live_server)
    step = reverse(
        "conventions:step", kwargs={"token": convention.share_token, "step": "immersion"}
    )
    page.goto(step)
    objectives = page.get_by_label("Objectifs précis et modalités d'évaluation")
    help_id = objectives.get_attribute("aria-describedby")
    assert "Un objectif par ligne" in page.locator(f"#{help_id.split()[0]}").inner_text()
    six = "\n".join(f"Objectif numéro {n}" for n in range(1, 7))
    objectives.fill(six)
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.get_by_role("heading", name="Immersion", level=1).wait_for()
    message = page.locator("#id_objectives_rules")
    assert "au plus 5 objectifs" in message.inner_text()
    assert page.input_value("#id_objectives") == six
    assert objectives.get_attribute("rows") == "5"
    save_screenshot(page, "convention-rules-objectives")
    axe(page, "objectifs")
    page.set_viewport_size({"width": 390, "height": 844})
    save_screenshot(page, "convention-rules-objectives-390")
    axe(page, "objectifs-390")
    page.fill("#id_objectives", "\n".join(f"Objectif numéro {n}" for n in range(1, 6)))
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.get_by_role("heading", name="Dates et horaires", level=1).wait_for()
