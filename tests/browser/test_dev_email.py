"""A newcomer's first login with `make run`: the link is copied from the e-mail the
development mail backend prints in the terminal (issue 8, item 2)."""

import io
import re

import pytest

from immersio.core.actors import TASK
from immersio.notifications.services import process_due_emails

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def copied_links(terminal: str) -> list[str]:
    """What a person copies from the terminal: the lines that are a link."""
    return [line for line in terminal.splitlines() if re.fullmatch(r"https?://\S+", line)]


def test_a_newcomer_logs_in_with_the_link_printed_by_make_run(page, live_server, settings, axe):
    settings.SITE_URL = live_server.url
    terminal = io.StringIO()
    settings.MAILERS = {
        "default": {
            "BACKEND": "immersio.notifications.backends.ReadableConsoleBackend",
            "OPTIONS": {"stream": terminal},
        }
    }

    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill("premiere.fois@exemple.fr")
    page.get_by_role("button", name="Recevoir mon lien de connexion").click()
    page.get_by_role("heading", name="Vérifiez votre boîte e-mail").wait_for()
    process_due_emails(actor=TASK)  # what the worker started by `make run` does

    output = terminal.getvalue()
    assert "Objet : Créez votre compte Immersio" in output
    assert "=3D" not in output and "<html" not in output
    [link] = [url for url in copied_links(output) if "/compte/inscription/" in url]
    assert link.startswith(f"{live_server.url}/compte/inscription/?jeton=")

    page.goto(link)
    page.get_by_role("heading", name="Créer mon compte").wait_for()
    axe(page, "création du compte depuis le lien du terminal")
    page.get_by_role("button", name="Créer mon compte").click()
    page.get_by_text("Votre compte est créé et vous êtes connecté.").wait_for()
    assert "Ce lien n'est plus valable" not in page.content()
