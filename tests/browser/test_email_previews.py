"""The staff page that previews every e-mail: each HTML version in a sandboxed frame under
its own policy, each text version beside it, accessible on desktop and phone."""

import pytest
from playwright.sync_api import expect

from immersio.notifications import previews
from tests.accounts.factories import UserFactory
from tests.fixtures.browser import log_in, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_staff_preview_every_email(page, axe, live_server):
    log_in(page, UserFactory(staff=True), live_server)
    page.goto("/compte/profil/")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="E-mails de la plateforme").click()
    assert page.locator("h1").inner_text() == "E-mails de la plateforme"

    classes = previews.notification_classes()
    expect(page.locator("section[id]")).to_have_count(len(classes))
    frames = page.locator("iframe.email-preview")
    assert frames.count() >= len(classes)
    assert page.locator("pre.email-text").count() == frames.count()

    # The HTML of an e-mail shows with its inline styles (allowed in the frame only).
    message = page.locator("#contact_message")
    message.locator("summary").first.click()
    frame = message.frame_locator("iframe").first
    button = frame.get_by_role("link", name="Lire et répondre")
    assert button.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(29, 92, 70)"
    assert "Pouvez-vous venir lundi à 9 h ?" in message.locator("pre").first.inner_text()
    # Sandboxed: no script, no same-origin access from the e-mail.
    assert message.locator("iframe").first.get_attribute("sandbox") == ""

    for label, width in {"desktop": 1280, "mobile": 390}.items():
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        axe(page, f"sur la page des e-mails ({label})")
        save_screenshot(page, f"email-previews-{label}")
