"""Retention as code: one declarative table, read by one job (``apply_retention``).

Each ``RetentionRule`` says which rows of which model are due (``due(now)``, a queryset of
the rows whose age field is past the duration), what happens to each (``action``) and how
(``apply(obj, now=..., actor=...)``, run for one object inside its own transaction, so an
interrupted run never half-deletes anything and a second run finds nothing left to do).
The register (``register.py``), the public « Données personnelles » page and
``docs/donnees-personnelles.md`` state the durations read from this table, never typed
again.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import models


class Action(models.TextChoices):
    DELETE = "supprimer", "supprimé"
    ANONYMISE = "anonymiser", "anonymisé"
    ARCHIVE = "archiver", "archivé"
    PURGE = "effacer", "contenu effacé"
    WARN = "prevenir", "personne prévenue"


@dataclass(frozen=True)
class Duration:
    """A legal duration, in calendar months and days (« 2 ans » = 24 months)."""

    months: int = 0
    days: int = 0

    def before(self, now: datetime) -> datetime:
        """The instant that is this duration before ``now`` (month ends clamped)."""
        from dateutil.relativedelta import relativedelta

        return now - relativedelta(months=self.months, days=self.days)

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


@dataclass(frozen=True)
class RetentionRule:
    key: str  # stable identifier, used in reports and in the register
    label: str  # French: what is concerned (« Demandes d'immersion sans convention »)
    model: str  # "app_label.ModelName"
    starts: str  # French: from when the duration runs (« après la dernière activité »)
    duration: Duration
    action: Action
    due: Callable[[datetime], models.QuerySet]  # rows due at ``now``
    apply: Callable[..., None]  # apply(obj, *, now, actor): one object, own transaction


#: Filled by the retention part of issue 11; the job reads it in this order.
RULES: list[RetentionRule] = []

from .inactivity import INACTIVITY_RULES  # noqa: E402 (the table's shape comes first)

RULES += [*INACTIVITY_RULES]
