"""Personal links (a login, a confirmation…) are built again when the e-mail is sent.

A link carrying a token is only good for a while (15 minutes for a login link). An
e-mail held back by an SMTP outage must not arrive with a dead link: the functions that
make such links return a ``PersonalLink`` (``core.links``), a ``str`` that also remembers
how to build itself (a function's dotted path and JSON arguments). ``notify()`` stores that recipe
next to the row; the worker swaps the link for a fresh one at each attempt.
"""

from django.utils.html import escape
from django.utils.module_loading import import_string

# The class lives in core (signed links below notifications build it); e-mails use it here.
from immersio.core.links import PersonalLink

__all__ = ["PersonalLink", "fresh_link", "refresh_links"]


def fresh_link(recipe: dict) -> str:
    return str(import_string(recipe["builder"])(**recipe["params"]))


def refresh_links(text: str, html: str, recipes: list[dict]) -> tuple[str, str]:
    """``text`` and ``html`` with each recorded link replaced by a freshly built one."""
    for recipe in recipes:
        old, new = recipe["url"], fresh_link(recipe)
        text = text.replace(old, new)
        html = html.replace(str(escape(old)), str(escape(new))).replace(old, new)
    return text, html
