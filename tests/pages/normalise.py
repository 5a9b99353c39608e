"""What changes from one run to the next in a page, replaced by a stable placeholder, so
a snapshot compares only what a person sees."""

import re

RULES: list[tuple[re.Pattern[str], str]] = [
    # Form tokens, and the CSP nonces should a page ever carry one.
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+'), r"\1<csrf>"),
    (re.compile(r'("X-CSRFToken": ")[^"]+'), r"\1<csrf>"),
    (re.compile(r'(nonce=")[^"]+'), r"\1<nonce>"),
    # Signed values (django.core.signing: payload:timestamp:signature) and share tokens.
    (re.compile(r"[\w-]{8,}:[\w-]{5,}:[\w-]{20,}"), "<signed>"),
    (re.compile(r"(/conventions/brouillon/)[\w-]+"), r"\1<jeton>"),
    # UUIDs: public ids of rows built by other tests, wizard drafts.
    (
        re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I),
        "<uuid>",
    ),
    # The reference of a convention the e-mail previews create for the example (the first
    # characters of a fresh UUID).
    (re.compile(r"(convention d(?:&#x27;|')immersion )[0-9A-F]{8}\b"), r"\1<référence>"),
    # Primary keys in back-office links: sequences differ between databases (PostgreSQL
    # does not reuse them after a rolled-back test).
    (re.compile(r"(/gestion/\w+/\w+/)\d+/"), r"\1<pk>/"),
    # A sent convention's reference carries its year and row number (« IMM-2027-000123 »).
    (re.compile(r"\bIMM-\d{4}-\d{6}\b"), "IMM-<année>-<numéro>"),
    # Hashes of contents (SHA-256).
    (re.compile(r"\b[0-9a-f]{64}\b"), "<sha256>"),
    # Hashed static names (ManifestStaticFilesStorage in production).
    (re.compile(r"(/static/[^\"' ]+?)\.[0-9a-f]{12}(\.\w+)"), r"\1\2"),
]


MAIN = re.compile(r"^[ \t]*<main\b.*?</main>", re.S | re.M)


def main_of(html: str) -> str:
    """The page's own content: the layout around it (head, header, footer) is the same on
    every page and pinned once, by the home page's snapshot."""
    found = MAIN.search(html)
    assert found, "no <main> in the page"
    return found.group(0)


def normalise(html: str) -> str:
    for pattern, placeholder in RULES:
        html = pattern.sub(placeholder, html)
    return "\n".join(line.rstrip() for line in html.splitlines() if line.strip()) + "\n"
