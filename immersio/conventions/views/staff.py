"""Staff only: the effect of each automatic reminder (issue 10 item 6) — how many were
sent over the last days and what share of their recipients acted within
``REMINDER_ACTED_HOURS`` (signed the convention, answered the request)."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from immersio.contacts import selectors as contact_selectors
from immersio.contacts.rules import REMINDER_ACTED_HOURS, REMINDER_DAYS

from .. import selectors
from ..lifecycle import REMINDER_WORKING_DAYS

# The window the page looks at.
EFFECT_DAYS = 90


def _row(label: str, figures: dict[str, int] | None) -> dict:
    sent = figures["sent"] if figures else 0
    acted = figures["acted"] if figures else 0
    return {
        "label": label,
        "sent": sent,
        "acted": acted,
        "share": round(100 * acted / sent) if sent else None,
    }


@login_required
@never_cache
def reminder_effect(request):
    if not request.user.is_staff:
        raise PermissionDenied
    since = timezone.now() - timedelta(days=EFFECT_DAYS)
    signatures = selectors.reminder_effect(since=since)
    contacts = contact_selectors.reminder_effect(since=since)
    groups = [
        {
            "title": "Relances de signature des conventions",
            "acted": "a signé",
            "rows": [
                _row(
                    f"{days} jour{'s' if days > 1 else ''} ouvré{'s' if days > 1 else ''} "
                    "avant le début",
                    signatures.get(days),
                )
                for days in REMINDER_WORKING_DAYS
            ],
        },
        {
            "title": "Relances des structures qui n'ont pas répondu à une demande",
            "acted": "a répondu",
            "rows": [
                _row(f"{days} jours après l'envoi de la demande", contacts.get(days))
                for days in REMINDER_DAYS
            ],
        },
    ]
    return render(
        request,
        "conventions/staff_reminders.html",
        {"groups": groups, "days": EFFECT_DAYS, "hours": REMINDER_ACTED_HOURS},
    )
