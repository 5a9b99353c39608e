"""Daily: reminders to resource people who did not answer a request (D+3, D+7), expiry of
unanswered requests and of accepted ones whose slots all passed. A dry run unless
``--wet-run``."""

from functools import partial

from immersio.core.actors import COMMAND
from immersio.core.dry_run import DryRunCommand, run_in_transaction
from immersio.resource_people import rules, services


class Command(DryRunCommand):
    help = (
        "Relance les personnes ressources qui n'ont pas répondu (J+3, J+7) et fait expirer "
        f"les demandes d'entretien-métier sans réponse ({rules.EXPIRY_DAYS} jours). "
        "Simulation sans --wet-run."
    )
    wet_run_help = "Agit vraiment."

    def handle(self, *args, wet_run=False, **options):
        report = run_in_transaction(
            partial(services.send_reminders, actor=COMMAND), wet_run=wet_run
        )
        prefix = "" if wet_run else "Simulation (rien n'est enregistré ni envoyé) : "
        self.stdout.write(f"{prefix}{report}.")
