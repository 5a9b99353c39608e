"""The durations personal data is kept: one place, read by the retention table
(``retention.py``), by account deletion (``erasure.py``: what is kept, until when), by the
register and the public page. Never typed again elsewhere."""

from dataclasses import dataclass
from datetime import date, datetime

from immersio.conventions.models import DRAFT_LIFETIME


@dataclass(frozen=True)
class Duration:
    """A legal duration, in calendar months and days (« 2 ans » = 24 months)."""

    months: int = 0
    days: int = 0

    def before(self, now: datetime) -> datetime:
        """The instant that is this duration before ``now`` (month ends clamped)."""
        from dateutil.relativedelta import relativedelta

        return now - relativedelta(months=self.months, days=self.days)

    def before_date(self, today: date) -> date:
        """The day that is this duration before ``today`` (for date fields)."""
        from dateutil.relativedelta import relativedelta

        return today - relativedelta(months=self.months, days=self.days)

    def __str__(self) -> str:
        parts = []
        years, months = divmod(self.months, 12)
        if years:
            parts.append(f"{years} an{'s' if years > 1 else ''}")
        if months:
            parts.append(f"{months} mois")
        if self.days:
            parts.append(f"{self.days} jour{'s' if self.days > 1 else ''}")
        return " et ".join(parts) or "immédiatement"


# The durations -------------------------------------------------------------------------
# Each is read by the rule that enforces it, by the register and by the public page.

#: A convention draft untouched this long is deleted (``conventions.DRAFT_LIFETIME``).
DRAFT_RETENTION = Duration(days=DRAFT_LIFETIME.days)
#: A request no convention followed, after its last activity (answer, message, status).
REQUEST_RETENTION = Duration(months=12)
#: A board post after it left the board (``BOARD_DAYS`` after its publication).
BOARD_RETENTION = Duration(days=30)
#: A convention sent but never signed (never validated), after its last change.
UNSIGNED_RETENTION = Duration(months=12)
#: A signed (validated) convention stays active this long after its end, then is archived…
SIGNED_ACTIVE = Duration(months=24)
#: …and is anonymised this long after its end (2 years active + 3 years archived).
SIGNED_RETENTION = Duration(months=60)
#: The text of an e-mail or an SMS of the outbox, after it was written.
OUTBOX_RETENTION = Duration(months=12)
#: A rate-limit counter after the start of its window.
RATE_LIMIT_RETENTION = Duration(months=6)
#: An invitation never accepted (to a team, to complete a convention), after it was sent:
#: its link died long before; the address of someone who never joined is not kept.
INVITATION_RETENTION = Duration(months=6)
#: A one-time code (login, signature) after it expired: a trace of a connection, kept as
#: long as connection logs are (the code itself is stored as a hash only).
CODE_RETENTION = Duration(months=6)
#: The beneficiary's carnet and bilan (``journal``), after the immersion's end: they are
#: deleted with the account, and at the latest then (the conseiller's follow-up lasts
#: about a year; a second year lets a renewal or a training build on them).
JOURNAL_RETENTION = Duration(months=24)
#: A testimony its author withdrew, or the team did not publish, after that day: kept a
#: while so that its author may correct it and consent again, then deleted. A published
#: testimony stays as long as its author's consent (deleted with the account).
TESTIMONY_RETENTION = Duration(months=3)
#: An entretien-métier (``resource_people``), after its slot or its closing (declined,
#: cancelled, expired): long enough to write to the person again, then gone.
CONVERSATION_RETENTION = Duration(months=12)
#: A resource person's profile the team refused and its author never changed since.
REFUSED_PROFILE_RETENTION = Duration(months=6)
#: An event (``events``), after its end: who proposed it, who read it and its contact
#: address are erased; the event stays in the public archives.
EVENT_RETENTION = Duration(months=12)
#: An event the team refused, or cancelled before it was ever published, after its last
#: change: it was never public, it is deleted.
UNPUBLISHED_EVENT_RETENTION = Duration(months=6)
