"""A dry run by default: what changes data (management commands, the structures import)
runs in a transaction rolled back unless ``wet_run``. The outbox rows vanish with the
rollback, so a dry run sends no e-mail either."""

from collections.abc import Callable

from django.db import transaction


class _RolledBack(Exception):
    pass


def run_in_transaction[T](function: Callable[[], T], *, wet_run: bool) -> T:
    """``function()`` in a transaction, kept only if ``wet_run``; its result either way."""
    result: T
    try:
        with transaction.atomic():
            result = function()
            if not wet_run:
                raise _RolledBack
    except _RolledBack:
        pass
    return result
