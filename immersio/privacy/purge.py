"""The retention job: applies the table of ``retention.RULES``, one object at a time.

Each due object is re-read, locked and re-checked inside its own transaction (a savepoint;
``CHUNK`` objects are committed together, as a commit costs more than the work), then the
rule's action runs on it: an interruption (a killed worker, a database error) leaves every
object either done or untouched, never half-anonymised, and the next run finds only what
is left. A second run the same day finds nothing. A wet run leaves a ``RetentionRun``
with what each rule found, did and failed on; a dry run writes nothing and returns the
same report, unsaved.
"""

import logging
from datetime import datetime
from itertools import batched

from django.db import transaction
from django.utils import timezone

from immersio.core.actors import COMMAND, TASK, Actor, is_staff, require

from .models import RetentionRun
from .retention import RULES, RetentionRule

logger = logging.getLogger(__name__)

#: Objects per commit. Each object still has its own transaction (a savepoint): it is done
#: entirely or not at all, and a failure leaves it untouched while the others are done.
CHUNK = 100


def apply_retention(
    *, now: datetime | None = None, wet_run: bool = False, actor: Actor
) -> RetentionRun:
    """Apply every rule due at ``now`` (dry run unless ``wet_run``: count only) and record
    the report: a scheduled task, an operator's command or the Immersio team."""
    require(actor, is_staff, system_allowed={TASK, COMMAND})
    now = now or timezone.now()
    run = RetentionRun(started_at=now, wet_run=wet_run, report=[])
    if wet_run:
        run.save()
    for rule in RULES:
        run.report.append(_apply_rule(rule, now=now, wet_run=wet_run, actor=actor))
        if wet_run:  # after each rule: an interrupted run still says how far it went
            run.save(update_fields=["report"])
    run.finished_at = timezone.now()
    if wet_run:
        run.save(update_fields=["finished_at"])
    return run


def _apply_rule(rule: RetentionRule, *, now: datetime, wet_run: bool, actor: Actor) -> dict:
    due = rule.due(now)
    pks = list(due.order_by("pk").values_list("pk", flat=True).distinct())
    line = {
        "rule": rule.key,
        "model": rule.model,
        "action": rule.action.value,
        "found": len(pks),
        "done": 0,
        "errors": 0,
    }
    if not wet_run:
        return line
    for chunk in batched(pks, CHUNK):
        with transaction.atomic():  # one commit per chunk: a commit is the costly part
            # Re-read under lock, through the rule's own filter: another run (or a change
            # meanwhile) may have made a row no longer due; a row locked elsewhere waits
            # for the next run.
            locked = rule.due(now).select_for_update(skip_locked=True, of=("self",))
            for obj in locked.filter(pk__in=chunk).order_by("pk"):
                done = _apply_one(rule, obj, now=now, actor=actor)
                line["done" if done else "errors"] += 1
    return line


def _apply_one(rule: RetentionRule, obj: object, *, now: datetime, actor: Actor) -> bool:
    """Apply ``rule`` to ``obj`` in its own transaction (a savepoint inside the chunk's):
    True when done, False when it failed (the row is then exactly as before)."""
    try:
        with transaction.atomic():
            rule.apply(obj, now=now, actor=actor)
    except Exception as error:  # one object's failure never stops the others
        # The rule, the row's number and the kind of error: no personal data in logs.
        logger.error(
            "Conservation : échec de %s sur la ligne %s (%s)",
            rule.key,
            getattr(obj, "pk", None),
            type(error).__name__,
        )
        return False
    return True
