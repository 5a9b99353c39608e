from immersio.conventions.models import DRAFT_LIFETIME
from immersio.conventions.services import purge_expired_drafts
from immersio.core.actors import COMMAND
from immersio.core.dry_run import DryRunCommand


class Command(DryRunCommand):
    help = f"Supprime les brouillons de convention non modifiés depuis {DRAFT_LIFETIME.days} jours."

    wet_run_help = "Supprime vraiment (sinon : simulation)."

    def handle(self, *args, wet_run=False, **options):
        report = purge_expired_drafts(actor=COMMAND, wet_run=wet_run)
        verb = "supprimé(s)" if report.wet_run else "à supprimer (simulation, --wet-run pour agir)"
        self.stdout.write(f"{report.count} brouillon(s) de convention expiré(s) {verb}.")
