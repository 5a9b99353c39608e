"""Daily: remind the beneficiaries whose bilan is empty, 2 and 7 days after the end of
their immersion (once each). A dry run unless ``--wet-run``."""

from immersio.core.actors import COMMAND
from immersio.core.dry_run import DryRunCommand, run_in_transaction
from immersio.journal import rules, services
from immersio.journal.tasks import daily_report


class Command(DryRunCommand):
    help = (
        "Relance les bénéficiaires dont le bilan est vide ("
        + " et ".join(f"J+{days}" for days in rules.REMINDER_DAYS)
        + " après la fin de l'immersion). Simulation sans --wet-run."
    )

    wet_run_help = "Agit vraiment (sinon : simulation, rien n'est enregistré ni envoyé)."

    def handle(self, *args, wet_run=False, **options):
        references = run_in_transaction(
            lambda: services.send_reflection_reminders(actor=COMMAND), wet_run=wet_run
        )
        prefix = "" if wet_run else "Simulation (rien n'est enregistré ni envoyé) : "
        self.stdout.write(prefix + daily_report(len(references)))
        for reference in references:
            self.stdout.write(f"  relancée : {reference}")
