"""A dry run by default: what changes data (management commands, the structures import)
runs in a transaction rolled back unless ``wet_run``. The outbox rows vanish with the
rollback, so a dry run sends no e-mail either."""

from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandParser
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


class DryRunCommand(BaseCommand):
    """A management command that changes data: a dry run unless ``--wet-run``, whose help
    (``wet_run_help``) says what the wet run does. The command's own arguments go in
    ``add_options``; ``handle`` receives ``wet_run``."""

    wet_run_help = "Écrit vraiment en base (sinon : simulation, rien n'est écrit)."

    def add_arguments(self, parser: CommandParser) -> None:
        self.add_options(parser)
        parser.add_argument("--wet-run", action="store_true", help=self.wet_run_help)

    def add_options(self, parser: CommandParser) -> None:
        """The command's own arguments (none by default)."""
