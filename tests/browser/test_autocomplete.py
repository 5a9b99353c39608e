"""The métier and commune autocompletes, used with the keyboard only, then without JS."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_appellation_autocomplete_by_keyboard(page, axe, referentials):
    page.goto("/referentiels/metiers/")
    field = page.get_by_role("combobox", name="Métier ou code ROME")
    field.focus()
    page.keyboard.type("boul", delay=40)
    listbox = page.get_by_role("listbox")
    first = listbox.get_by_role("option").first
    first.wait_for()
    assert first.get_attribute("data-label") == "Boulanger / Boulangère"
    assert field.get_attribute("aria-expanded") == "true"
    axe(page, "avec les suggestions de métiers ouvertes")
    page.keyboard.press("ArrowDown")
    assert field.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    chosen_code = first.get_attribute("data-value")
    page.keyboard.press("Enter")
    assert field.input_value() == "Boulanger / Boulangère"
    assert field.get_attribute("aria-expanded") == "false"
    assert page.locator("#recherche-metier-code").input_value() == chosen_code
    # Escape closes a reopened list and leaves the typed text alone.
    field.fill("")
    page.keyboard.type("conduc engin", delay=30)
    listbox.get_by_role("option").first.wait_for()
    assert "engin" in listbox.get_by_role("option").first.inner_text().lower()
    page.keyboard.press("Escape")
    assert field.get_attribute("aria-expanded") == "false"
    assert field.input_value() == "conduc engin"


def test_commune_autocomplete_by_keyboard(page, axe, referentials):
    page.goto("/referentiels/communes/")
    field = page.get_by_role("combobox")
    field.focus()
    page.keyboard.type("lyon", delay=40)
    first = page.get_by_role("listbox").get_by_role("option").first
    first.wait_for()
    assert first.get_attribute("data-value") == "69123"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert field.input_value().startswith("Lyon")
    axe(page, "sur la recherche de communes")


def test_search_works_without_javascript(browser, live_server, referentials):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto("/referentiels/metiers/")
        page.get_by_label("Métier ou code ROME").fill("boulanjer")
        page.get_by_role("button", name="Rechercher").click()
        page.wait_for_url("**/referentiels/metiers/?*")
        first = page.locator("ol.list-group li").first
        assert "Boulanger / Boulangère" in first.inner_text()
        page.goto("/referentiels/communes/?q=st+etienne")
        assert "Saint-Étienne" in page.locator("main").inner_text()
    finally:
        context.close()
