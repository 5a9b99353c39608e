"""Answer rate and median answer time of each structure over 12 months. A dry run unless
``--wet-run``."""

from functools import partial

from immersio.contacts import rules, services
from immersio.core.actors import COMMAND
from immersio.core.dry_run import DryRunCommand, run_in_transaction


class Command(DryRunCommand):
    help = (
        "Calcule le taux de réponse et le délai médian de réponse des structures sur "
        f"{rules.ANSWER_RATE_MONTHS} mois. Simulation sans --wet-run."
    )
    wet_run_help = "Enregistre vraiment."

    def handle(self, *args, wet_run=False, **options):
        count = run_in_transaction(
            partial(services.compute_answer_rates, actor=COMMAND), wet_run=wet_run
        )
        prefix = "" if wet_run else "Simulation (rien n'est enregistré) : "
        self.stdout.write(
            f"{prefix}{count} structure(s) avec des demandes sur {rules.ANSWER_RATE_MONTHS} mois."
        )
