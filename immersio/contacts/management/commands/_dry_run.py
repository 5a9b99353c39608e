from django.db import transaction


class DryRun(Exception):
    pass


def run(function, *, wet_run: bool):
    """Run ``function`` in a transaction rolled back unless ``wet_run`` (no e-mail leaves:
    the outbox rows vanish with the rollback)."""
    result = None
    try:
        with transaction.atomic():
            result = function()
            if not wet_run:
                raise DryRun
    except DryRun:
        pass
    return result
