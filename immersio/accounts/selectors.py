"""Reads of the accounts app."""

from .models import OneTimeCode


def code_in_play(*, purpose: str, subject: str) -> OneTimeCode | None:
    """The last code issued for ``purpose`` and ``subject`` and neither used nor replaced
    (it may have expired or be dead after too many attempts: read ``expires_at`` and
    ``attempts``), to say « code envoyé à c•••@exemple.fr à 14 h 02 ». None if there is none."""
    return (
        OneTimeCode.objects.filter(
            purpose=purpose, subject=subject, used_at__isnull=True, revoked_at__isnull=True
        )
        .order_by("-created_at", "-pk")
        .first()
    )
