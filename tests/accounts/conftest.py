import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings

from immersio.core.actors import TASK
from immersio.notifications.services import process_due_emails

CSRF_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def without_csrf(html: str) -> str:
    return CSRF_TOKEN.sub(r"\1…", html)


def path_of(url: str) -> str:
    """The path and query of a link from an e-mail (links start with SITE_URL)."""
    assert url.startswith(settings.SITE_URL + "/"), url
    return url[len(settings.SITE_URL) :]


def token_of(link: str) -> str:
    """The ``jeton`` parameter of a link, decoded."""
    return parse_qs(urlsplit(link).query)["jeton"][0]


@pytest.fixture
def mailbox(smtp_server):
    """Send what the outbox holds (as the worker would) and read it from the SMTP server."""

    class Mailbox:
        server = smtp_server

        def deliver(self, expected: int = 1):
            process_due_emails(actor=TASK)
            messages = smtp_server.wait_for(expected)
            assert len(messages) == expected, [m.subject for m in messages]
            return messages

        def last_link(self) -> str:
            [*_, message] = self.deliver(len(smtp_server.messages) + 1)
            return path_of(message.first_url())

    return Mailbox()
