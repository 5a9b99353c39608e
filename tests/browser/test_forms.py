"""Issue 8 item 30 in Chromium: a long text is never cut, a live counter says what is left
(and what is too much), the server refuses with the length and keeps the text. axe runs
on the form with errors, on a desktop and at 390 px."""

import os
from pathlib import Path

import pytest

from tests.fixtures.browser import save_screenshot
from tests.fixtures.contacts import make_host
from tests.structures.factories import MARAICHER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NNBSP = "\u202f"


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_long_text_counter_and_refusal(page, axe, referentials, width, height):
    page.set_viewport_size({"width": width, "height": height})
    host = make_host(name="Les Jardins de Cocagne")
    page.goto(f"/demandes/nouvelle/{host.public_id}/?metier={MARAICHER}")
    counter = page.locator("#id_motivations_counter")
    assert counter.inner_text() == f"3{NNBSP}000 caractères restants sur 3{NNBSP}000."

    page.fill("#id_first_name", "Camille")
    page.fill("#id_motivations", "Je veux découvrir le maraîchage.")
    assert counter.inner_text() == f"2{NNBSP}968 caractères restants sur 3{NNBSP}000."
    # Pasting more than the limit: nothing is cut, the counter says by how much.
    too_long = "Je veux découvrir le maraîchage. " * 91  # 3 002 once stripped
    page.fill("#id_motivations", too_long.strip())
    assert len(page.input_value("#id_motivations")) == len(too_long.strip())
    assert counter.inner_text().startswith("Trop long de 2 caractères")
    assert "text-danger" in counter.get_attribute("class")
    live = page.locator("#id_motivations ~ [aria-live=polite]")
    live.filter(has_text="Trop long de 2 caractères").wait_for()  # announced once paused
    save_screenshot(page, f"forms-counter-{width}")

    page.get_by_role("button", name="Relire ma demande").click()
    page.get_by_role("heading", name="Le formulaire contient").wait_for()
    error = page.locator("#id_motivations_error")
    assert "3\u202f000 caractères au maximum (le texte en compte 3002)" in error.inner_text()
    assert page.input_value("#id_motivations") == too_long.strip()  # nothing lost
    assert page.input_value("#id_first_name") == "Camille"
    described = page.get_attribute("#id_motivations", "aria-describedby")
    assert "id_motivations_error" in described
    assert counter.inner_text().startswith("Trop long de 2 caractères")
    axe(page, f"formulaire de demande avec erreurs ({width} px)")
    save_screenshot(page, f"forms-errors-{width}")
    if folder := os.environ.get("IMMERSIO_SCREENSHOTS"):
        field = page.locator("#id_motivations").locator("xpath=..")
        field.screenshot(path=str(Path(folder) / f"forms-errors-field-{width}.png"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
