"""Every notification of the product, rendered as it is sent, with the examples of the
staff preview page (``immersio/<app>/previews.py``).

The classes are discovered (every ``Notification`` subclass defined under ``immersio``),
so a new notification without an example fails here.
"""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve

from immersio.notifications.base import is_verified_address
from immersio.notifications.previews import PUBLIC_TEXT, build, examples, notification_classes
from immersio.notifications.services import build_message, notify
from tests.fixtures.smtp import URL_PATTERN

CLASSES = notification_classes()
EXAMPLES = examples()
LEFTOVERS = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|\[\[|\]\]|\bNone\b|\bnan\b")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href"))


def sent_parts(notification):
    """Each e-mail of ``notification`` exactly as the worker hands it to SMTP."""
    for row in notify(notification):
        message = build_message(row)
        [(html, mimetype)] = message.alternatives
        assert mimetype == "text/html"
        yield row, message.subject, message.body, html


def check_link(url: str, where: str) -> None:
    assert url, f"lien vide ({where})"
    if url.startswith("mailto:"):
        assert "@" in url, f"adresse vide : {url} ({where})"
        return
    if url == settings.SITE_URL:  # the footer
        return
    assert url.startswith(f"{settings.SITE_URL}/"), f"lien non absolu : {url!r} ({where})"
    parts = urlsplit(url)
    try:
        resolve(parts.path)
    except Resolver404:
        pytest.fail(f"lien vers une page qui n'existe pas : {url} ({where})")
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name == "jeton":
            assert len(value) > 10, f"jeton vide : {url} ({where})"
        else:
            # A secret travels only as « jeton », the parameter the access log drops
            # (config/gunicorn.conf.py).
            assert value.startswith("/") or len(value) < 20, f"{name} : {url} ({where})"


def test_every_notification_class_has_an_example():
    assert len(CLASSES) >= 20
    missing = [cls.__qualname__ for cls in CLASSES if cls not in EXAMPLES]
    assert missing == [], f"sans exemple (@example dans le previews.py de son app) : {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: f"{cls.__module__}.{cls.kind}")
def test_every_notification_renders_whole_text_and_html(cls):
    if cls not in EXAMPLES:
        pytest.fail(f"{cls.__qualname__} n'a pas d'exemple (@example dans previews.py)")
    sent = 0
    for notification in build(cls):
        assert type(notification) is cls
        for row, subject, text, html in sent_parts(notification):
            sent += 1
            where = f"{cls.kind} → {row.recipient}"
            for label, content in [("objet", subject), ("texte", text), ("HTML", html)]:
                assert content.strip(), f"{label} vide ({where})"
                leftover = LEFTOVERS.search(content)
                assert leftover is None, (
                    f"{leftover.group(0)!r} dans le {label} ({where}) :\n{content}"
                )
            assert notification.reason in text
            assert "\n" not in subject and len(subject) <= 255

            parser = Links()
            parser.feed(html)
            assert parser.hrefs, f"aucun lien dans le HTML ({where})"
            for href in parser.hrefs:
                check_link(href, f"{where}, HTML")
            text_urls = [m.group(0).rstrip(".,;:!?") for m in URL_PATTERN.finditer(text)]
            for url in text_urls:
                check_link(url, f"{where}, texte")
            # Every link of the HTML version is also readable in the text version.
            for href in parser.hrefs:
                if not href.startswith("mailto:"):
                    assert href in text_urls, f"{href} absent du texte ({where})"
    assert sent, f"{cls.kind} : l'exemple n'a produit aucun e-mail"


@pytest.mark.django_db
@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: f"{cls.__module__}.{cls.kind}")
def test_public_free_text_reaches_only_proven_addresses_and_never_a_subject(cls):
    """Text typed in a public form by someone who has not proved their address
    (``PUBLIC_TEXT`` in the examples) never goes to an address that has not proved
    itself either, and never appears in a subject (names in subjects only when proven)."""
    if cls not in EXAMPLES:
        pytest.fail(f"{cls.__qualname__} n'a pas d'exemple (@example dans previews.py)")
    for notification in build(cls):
        for row, subject, text, html in sent_parts(notification):
            assert PUBLIC_TEXT not in subject, f"{cls.kind} : texte libre dans l'objet"
            if not is_verified_address(row.recipient):
                assert PUBLIC_TEXT not in text, f"{cls.kind} → {row.recipient} :\n{text}"
                assert PUBLIC_TEXT not in html, f"{cls.kind} → {row.recipient}"
