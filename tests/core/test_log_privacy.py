"""No personal data in application logs (issue 11, item 6a): IP addresses truncated,
e-mail addresses and link secrets masked by the filter every handler carries, and no
logger call in the code formats a name, an address, a phone number or a token."""

import ast
import copy
import io
import logging
import logging.config
from pathlib import Path

import pytest
from django.conf import settings

from immersio.core.log_privacy import scrub

ROOT = Path(__file__).resolve().parents[2] / "immersio"
TOKEN = "zNzo4ZpxsSZu0dFAFOXYhqKAx6mQD_lf"  # the shape of a draft's share token


@pytest.fixture
def real_logging():
    """The project's LOGGING, its handlers (filters, formatter) writing to one buffer."""
    config = copy.deepcopy(settings.LOGGING)
    config["root"]["level"] = "INFO"
    logging.config.dictConfig(config)
    buffer = io.StringIO()
    handlers = logging.getLogger().handlers
    assert handlers
    for handler in handlers:
        handler.setStream(buffer)
    yield buffer
    logging.config.dictConfig(settings.LOGGING)


def test_every_handler_carries_the_filter():
    handlers = settings.LOGGING["handlers"]
    assert handlers
    for name, handler in handlers.items():
        assert "personal_data" in handler.get("filters", []), name


def test_lines_logged_through_the_real_configuration_lose_their_personal_data(real_logging):
    logger = logging.getLogger("immersio.test")
    logger.warning("Trop de demandes depuis %s pour %s.", "203.0.113.77", "camille@exemple.fr")
    logger.warning("IPv6 %s refusée", "2001:db8:85a3:1234:5678:8a2e:370:7334")
    logger.warning("Forbidden: /conventions/brouillon/%s/recapitulatif/", TOKEN)
    logger.warning("GET /conventions/signer/?jeton=abc.DEF-ghi:123 HTTP/1.1")
    try:
        raise ValueError("Destinataire refusé : claude.bernard@agence.fr depuis 198.51.100.23")
    except ValueError:
        logger.exception("Échec d'envoi à %s", "claude.bernard@agence.fr")
    # What is not personal stays readable.
    logger.warning(
        "E-mail %s (%s) à 12:35:34, version 1.2.3, empreinte %s, limite login_link_per_email",
        "5d4c1c2e-8f57-4c5b-9b0b-6f0e5f6f9a10",
        "convention_signature_code",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    )

    out = real_logging.getvalue()
    for secret in (
        "203.0.113.77",
        "camille@exemple.fr",
        "1234:5678",
        TOKEN,
        "abc.DEF-ghi",
        "claude.bernard@",
        "198.51.100.23",
    ):
        assert secret not in out, secret
    for kept in (
        "203.0.113.0",
        "c•••@exemple.fr",
        "2001:db8:85a3::",
        "/conventions/brouillon/•••/recapitulatif/",
        "jeton=•••",
        "c•••@agence.fr depuis 198.51.100.0",
        "ValueError",  # the traceback is still there
        "5d4c1c2e-8f57-4c5b-9b0b-6f0e5f6f9a10",
        "convention_signature_code",
        "12:35:34, version 1.2.3",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "login_link_per_email",
    ):
        assert kept in out, kept


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IP 10.1.2.3.", "IP 10.1.2.0."),
        ("::1", "::"),
        ("999.1.2.3", "999.1.2.3"),  # not an address
        ("fe80::1ff:fe23:4567:890a%eth0", "fe80::%eth0"),
        (
            "GET /gestion/accounts/user/?q=ada%40exemple.fr",
            "GET /gestion/accounts/user/?q=•••",
        ),
        # A name searched in the back office is the team's business, not the log's.
        (
            '"GET /gestion/contacts/contactrequest/?status=new&q=Durand+Camille HTTP/1.1" 200',
            '"GET /gestion/contacts/contactrequest/?status=new&q=••• HTTP/1.1" 200',
        ),
        ("GET /gestion/accounts/user/?o=1&p=2", "GET /gestion/accounts/user/?o=1&p=2"),
        # The wizard's answers (a situation like the RQTH, an age, a place) stay out.
        (
            '"GET /est-ce-pour-moi/resultat/?situation=rqth&age=34&commune=69123 HTTP/1.1" 200',
            '"GET /est-ce-pour-moi/resultat/?••• HTTP/1.1" 200',
        ),
        ("GET /est-ce-pour-moi/ HTTP/1.1", "GET /est-ce-pour-moi/ HTTP/1.1"),
        # The public search's words are not about a person: kept.
        ("GET /structures/?q=maraichage&lieu=Lyon", "GET /structures/?q=maraichage&lieu=Lyon"),
    ],
)
def test_scrub_edges(text, expected):
    assert scrub(text) == expected


# --- the logger calls in the code ---------------------------------------------------------

LEVELS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
# Names that hold a person's identity or a secret: a logger call never formats them raw.
PERSONAL = {
    "email",
    "first_name",
    "last_name",
    "full_name",
    "get_full_name",
    "phone",
    "recipient",
    "to",
    "token",
    "share_token",
    "jeton",
    "code",
    "address",
}
# What may wrap them: a fingerprint or a mask.
MASKS = {"_fingerprint", "mask_email", "mask_phone", "scrub"}


def _personal_names(node: ast.AST):
    if isinstance(node, ast.Call):
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if called in MASKS:
            return
    if isinstance(node, ast.Name) and node.id in PERSONAL:
        yield node.id
    if isinstance(node, ast.Attribute):
        # ``user.email`` is personal; ``email.public_id`` (an outbox row) is not.
        if node.attr in PERSONAL:
            yield node.attr
        return
    for child in ast.iter_child_nodes(node):
        yield from _personal_names(child)


def test_no_logger_call_formats_a_personal_field():
    found = []
    calls = 0
    for path in sorted(ROOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in LEVELS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in {"logger", "logging", "log"}
            ):
                continue
            calls += 1
            for argument in [*node.args, *(k.value for k in node.keywords)]:
                for name in _personal_names(argument):
                    found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno} {name}")
    assert calls > 20  # the scan sees the code's logger calls
    assert found == []


def test_django_lines_are_written_once_and_filtered_even_under_debug():
    """Django's own ``django`` logger has a console handler of its own, on under DEBUG:
    the development server printed every task and request line twice, the second time
    unformatted and without the filter. The project's configuration, applied as Django
    applies it (its defaults first), leaves the root's handler alone on that path."""
    from django.utils.log import configure_logging

    from immersio.core.log_privacy import PersonalDataFilter

    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    try:
        handlers, logger = [], logging.getLogger("django.tasks")
        while logger is not None:
            handlers += logger.handlers
            logger = logger.parent if logger.propagate else None
        assert len(handlers) == 1, handlers
        assert any(isinstance(f, PersonalDataFilter) for f in handlers[0].filters)
    finally:
        logging.config.dictConfig(settings.LOGGING)
