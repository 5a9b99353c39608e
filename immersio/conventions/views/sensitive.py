"""The sensitive fields of a convention on a page: shown or not (``selectors.
sensitive_access``, the one rule), and the opening written down for the agency (once a
day) and for the Immersio team (after they said why, ``services.record_sensitive_access``).
Every page that includes ``conventions/includes/sensitive.html`` gets its context here."""

from immersio.accounts.models import User

from .. import selectors, services
from ..forms import SensitiveAccessForm
from ..models import Convention, Signatory


def sensitive_context(
    viewer: User | Signatory | None,
    convention: Convention,
    *,
    action: str = "",
    form: SensitiveAccessForm | None = None,
    shown_for_staff: bool = False,
) -> dict:
    """``sensitive_shown`` for a party (person or not) and the agency (whose opening is
    logged, once a day); for the team, only when they have just given a reason
    (``shown_for_staff``, the caller logged it), else the reason form when ``action`` is
    the URL it posts to."""
    role = selectors.sensitive_access(viewer, convention)
    shown = role in {"person", "party", "agency"} or (role == "staff" and shown_for_staff)
    if role == "agency" and isinstance(viewer, User):
        services.record_sensitive_access(
            convention=convention, actor=viewer, role="agency", reason=selectors.AGENCY_REASON
        )
    asks = role == "staff" and not shown and bool(action)
    return {
        "sensitive_role": role,
        "sensitive_shown": shown,
        "sensitive_form": (form or SensitiveAccessForm(prefix="motif")) if asks else None,
        "sensitive_action": action,
    }
