"""The development mail backend: `make run` prints each e-mail as a person reads it.

Django's console backend prints the raw MIME message: quoted-printable text (a long link
is cut by soft line breaks and ``=`` becomes ``=3D``, so a copied link is dead), accents
as ``=C3=A9`` and the whole HTML version. This backend decodes the message that would be
sent and prints its headers, its plain-text part only, and every link whole on its own
line, ready to be copied or clicked in a terminal.
"""

import email
import email.policy
import re

from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend

URL = re.compile(r"https?://[^\s<>\"]+")
RULE = "─" * 72


def links_on_their_own_lines(text: str) -> str:
    """Put every URL of ``text`` alone on its line, whole (text before and after it
    moves to lines of their own)."""
    lines = []
    for line in text.splitlines():
        position = 0
        for match in URL.finditer(line):
            url = match.group(0)
            trimmed = url.rstrip(".,;:!?)»")
            before = line[position : match.start()].strip()
            if before:
                lines.append(before)
            lines.append(trimmed)
            position = match.start() + len(trimmed)
        rest = line[position:].strip()
        if rest or position == 0:
            lines.append(rest if position else line)
    return "\n".join(lines)


def readable(message) -> str:
    """The e-mail ``message`` (an ``EmailMessage``) as a person reads it."""
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    part = parsed.get_body(preferencelist=("plain",))
    text = part.get_content() if part is not None else "(pas de version texte)"
    headers = [
        ("De", parsed["From"]),
        ("À", parsed["To"]),
        ("Répondre à", parsed["Reply-To"]),
        ("Objet", parsed["Subject"]),
    ]
    head = "\n".join(f"{label} : {value}" for label, value in headers if value)
    body = links_on_their_own_lines(text.replace("\r\n", "\n")).strip()
    return f"{RULE}\n{head}\n{RULE}\n{body}\n{RULE}\n"


class ReadableConsoleBackend(ConsoleEmailBackend):
    """Prints the decoded text version of each e-mail (development only)."""

    def write_message(self, message):
        self.stream.write(readable(message))
