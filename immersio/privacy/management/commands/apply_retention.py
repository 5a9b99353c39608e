"""Apply the retention table (``privacy.retention.RULES``). A dry run unless --wet-run."""

from immersio.core.actors import COMMAND
from immersio.core.dry_run import DryRunCommand
from immersio.privacy.purge import apply_retention
from immersio.privacy.tasks import report_lines


class Command(DryRunCommand):
    help = (
        "Applique les durées de conservation des données personnelles (suppression, "
        "anonymisation, archivage, effacement des textes). Simulation sans --wet-run."
    )

    wet_run_help = "Agit vraiment (sinon : simulation, rien n'est modifié)."

    def handle(self, *args, wet_run=False, **options):
        run = apply_retention(wet_run=wet_run, actor=COMMAND)
        if not wet_run:
            self.stdout.write("Simulation (rien n'est modifié, --wet-run pour agir) :")
        for line in report_lines(run.report, wet_run=wet_run):
            self.stdout.write(f"  {line}")
