"""Daily: conventions still not validated one calendar month after their planned start
become obsolete, then the signatories who have not signed are reminded 3 and 1 working
days before the start (once each). A dry run unless ``--wet-run``."""

from immersio.conventions import lifecycle
from immersio.conventions.tasks import daily_report
from immersio.core.actors import COMMAND
from immersio.core.dry_run import DryRunCommand, run_in_transaction


class Command(DryRunCommand):
    help = (
        "Rend obsolètes les conventions non validées un mois après leur début, puis relance "
        "les signataires qui n'ont pas signé ("
        + " et ".join(str(days) for days in lifecycle.REMINDER_WORKING_DAYS)
        + " jours ouvrés avant le début). Simulation sans --wet-run."
    )

    wet_run_help = "Agit vraiment (sinon : simulation, rien n'est enregistré ni envoyé)."

    def handle(self, *args, wet_run=False, **options):
        def daily():
            obsolete = lifecycle.make_obsolete_overdue(actor=COMMAND)
            reminders = lifecycle.send_signature_reminders(actor=COMMAND)
            return obsolete, reminders

        obsolete, reminders = run_in_transaction(daily, wet_run=wet_run)
        prefix = "" if wet_run else "Simulation (rien n'est enregistré ni envoyé) : "
        self.stdout.write(prefix + daily_report(obsolete=obsolete.count, reminders=reminders.count))
        for reference in obsolete.references:
            self.stdout.write(f"  obsolète : {reference}")
        for reference in sorted(set(reminders.references)):
            self.stdout.write(f"  relancée : {reference}")
