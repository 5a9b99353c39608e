"""Logging a person in because they followed a link sent to their mailbox.

Confirmation, invitation and verification links live for days, far longer than a login
link; they may open a session for ordinary accounts, never for staff accounts (or
inactive ones), which must use the 15-minute, single-use login link.

A link travels in a URL (browser history, proxies, logs): no link opens a session more
than ``SESSION_LINK_MAX_AGE`` (24 hours) after it was made. An older link still does
what it is for (confirm, accept, verify); the person then logs in with a login link.
"""

from datetime import UTC, datetime, timedelta

from django.contrib.auth import login
from django.core import signing
from django.utils import timezone

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
SESSION_LINK_MAX_AGE = timedelta(hours=24)
TOKEN_PARAMETER = "jeton"  # noqa: S105 (a parameter name, not a secret)


def token_signed_at(token: str) -> datetime | None:
    """When a ``django.core.signing`` token was made (its timestamp), or None.

    The signature is not checked here: call this on a token the view already accepted.
    """
    try:
        _value, timestamp, _signature = (token or "").rsplit(":", 2)
        return datetime.fromtimestamp(signing.b62_decode(timestamp), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None


def link_may_open_a_session(request) -> bool:
    """Whether the link that brought ``request`` (its ``jeton``) is recent enough."""
    token = request.POST.get(TOKEN_PARAMETER) or request.GET.get(TOKEN_PARAMETER) or ""
    signed_at = token_signed_at(token)
    return signed_at is not None and timezone.now() - signed_at <= SESSION_LINK_MAX_AGE


def log_in_by_email_proof(request, user) -> bool:
    """Log ``user`` in after they proved they read the mailbox; False when not allowed
    (staff or inactive account, or a link older than 24 hours)."""
    if request.user.is_authenticated and request.user.pk == user.pk:
        return True
    if user.is_staff or not user.is_active:
        return False
    if not link_may_open_a_session(request):
        return False
    login(request, user, backend=MODEL_BACKEND)
    return True
