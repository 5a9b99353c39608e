"""Logging a person in because they followed a link sent to their mailbox.

Confirmation, invitation and verification links live for days, far longer than a login
link; they may open a session for ordinary accounts, never for staff accounts (or
inactive ones), which must use the 15-minute, single-use login link.
"""

from django.contrib.auth import login

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def log_in_by_email_proof(request, user) -> bool:
    """Log ``user`` in after they proved they read the mailbox; False when not allowed."""
    if request.user.is_authenticated and request.user.pk == user.pk:
        return True
    if user.is_staff or not user.is_active:
        return False
    login(request, user, backend=MODEL_BACKEND)
    return True
