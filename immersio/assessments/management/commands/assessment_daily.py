"""Daily: ask the tutors of the validated conventions ending today for their assessment,
then remind those who have not filled it (once each). A dry run unless ``--wet-run``."""

from immersio.assessments import services
from immersio.assessments.rules import REMINDER_DAYS
from immersio.assessments.tasks import daily_report
from immersio.core.actors import COMMAND
from immersio.core.dry_run import DryRunCommand, run_in_transaction


class Command(DryRunCommand):
    help = (
        "Demande le bilan aux tuteurs des conventions validées qui se terminent, puis les "
        "relance s'il n'est pas rempli ("
        + " et ".join(f"{days} jours" for days in REMINDER_DAYS)
        + " après la demande). Simulation sans --wet-run."
    )

    wet_run_help = "Agit vraiment (sinon : simulation, rien n'est enregistré ni envoyé)."

    def handle(self, *args, wet_run=False, **options):
        def daily():
            return (
                services.request_due(actor=COMMAND),
                services.send_reminders(actor=COMMAND),
            )

        requested, reminders = run_in_transaction(daily, wet_run=wet_run)
        prefix = "" if wet_run else "Simulation (rien n'est enregistré ni envoyé) : "
        self.stdout.write(
            prefix + daily_report(requested=requested.count, reminders=reminders.count)
        )
        for reference in requested.references:
            self.stdout.write(f"  bilan demandé : {reference}")
        for reference in reminders.references:
            self.stdout.write(f"  relance : {reference}")
