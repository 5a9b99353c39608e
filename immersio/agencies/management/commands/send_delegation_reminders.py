from django.core.management.base import BaseCommand

from immersio.agencies import services
from immersio.core.actors import COMMAND


class Command(BaseCommand):
    help = (
        "Rappelle la fin des délégations de prescription (3 mois, 1 mois et la veille). "
        "À blanc sans --wet-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Envoie vraiment les e-mails.")

    def handle(self, *args, wet_run=False, **options):
        reports = services.send_delegation_reminders(dry_run=not wet_run, actor=COMMAND)
        for report in reports:
            agency = report.agency
            self.stdout.write(
                f"{agency.name} : fin le {agency.delegation_end_date:%d/%m/%Y}, "
                f"rappel « {report.words} »"
                + (f", {report.emails} e-mail(s)" if wet_run else " (à blanc)")
            )
        if not wet_run:
            self.stdout.write(f"{len(reports)} rappel(s) à envoyer. Relancez avec --wet-run.")
        else:
            self.stdout.write(f"{len(reports)} rappel(s) envoyé(s).")
