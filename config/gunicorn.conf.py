"""Gunicorn settings for production: ``gunicorn -c config/gunicorn.conf.py``.

Links sent by e-mail carry their secret in the query string (``?jeton=…``: login,
sign-up, confirmation, invitation, verification links). The access log never records
the query string of such a request, nor of a Referer or any other header or variable
that carries one: it is dropped from every logged value (``?[jeton supprimé]``).
Then every value goes through ``immersio.core.log_privacy.scrub``, as the application's
logs do (issue 11): the client's IP address keeps its /24 (IPv6: /48), e-mail addresses
are masked, and a secret in a path (a draft's share token) becomes « ••• ». Other
requests are logged otherwise whole (combined log format).

Options given on the command line or in ``GUNICORN_CMD_ARGS`` still override these.
"""

import os
import re

from gunicorn.glogging import Logger

from immersio.core.log_privacy import scrub

wsgi_app = "config.wsgi"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'

TOKEN_PARAMETER = "jeton"  # noqa: S105 (a parameter name, not a secret)
# A query string (from "?" to the end of the URL) that holds a token parameter.
_QUERY_WITH_TOKEN = re.compile(
    r"\?(?:[^\s\"#]*?[&;])?" + TOKEN_PARAMETER + r"(?:=|%3D)[^\s\"#]*", re.IGNORECASE
)
REDACTED = "?[jeton supprimé]"


def redact(value):
    """``value`` without the query string of any URL that carries a token, nor personal
    data (``scrub``)."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return value
    if TOKEN_PARAMETER in value.lower():
        value = _QUERY_WITH_TOKEN.sub(REDACTED, value)
    return scrub(value)


class RedactingLogger(Logger):
    """Gunicorn's logger, whose access-log values never hold a link's token."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {name: redact(value) for name, value in atoms.items()}


logger_class = RedactingLogger
