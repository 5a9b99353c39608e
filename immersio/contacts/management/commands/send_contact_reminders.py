"""Daily: reminders to structures at D+3 and D+7, expiry at D+30, hiding of structures
that never answer. A dry run unless ``--wet-run``."""

from immersio.contacts import services
from immersio.core.actors import COMMAND
from immersio.core.dry_run import DryRunCommand, run_in_transaction


class Command(DryRunCommand):
    help = (
        "Relance les structures (J+3, J+7), fait expirer les demandes sans réponse (J+30) et "
        "retire de la recherche les structures qui ne répondent jamais. Simulation sans "
        "--wet-run."
    )
    wet_run_help = "Agit vraiment."

    def handle(self, *args, wet_run=False, **options):
        def daily():
            report = services.send_reminders(actor=COMMAND)
            report.hidden = services.hide_silent_structures(actor=COMMAND)
            return report

        report = run_in_transaction(daily, wet_run=wet_run)
        prefix = "" if wet_run else "Simulation (rien n'est enregistré ni envoyé) : "
        self.stdout.write(
            f"{prefix}{report.reminders_3} relance(s) à J+3, {report.reminders_7} à J+7, "
            f"{report.expired} demande(s) expirée(s), {report.hidden} structure(s) masquée(s)."
        )
