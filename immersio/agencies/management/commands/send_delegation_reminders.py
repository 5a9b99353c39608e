from immersio.agencies import services
from immersio.agencies.selectors import REMINDERS
from immersio.core.actors import COMMAND
from immersio.core.dates import in_months
from immersio.core.dry_run import DryRunCommand


def _before_end(offset) -> str:
    """How long before the end a reminder goes, in the report's words (« 3 mois »,
    « un mois », « la veille »), from its offset."""
    if offset.months:
        return in_months(offset.months)
    return "la veille" if offset.days == 1 else f"{offset.days} jours avant"


#: Code of ``REMINDERS`` → words of the report.
WORDS = {code: _before_end(offset) for _field, offset, code in REMINDERS}
_LATEST_FIRST = [WORDS[code] for _field, _offset, code in reversed(REMINDERS)]


class Command(DryRunCommand):
    help = (
        "Rappelle la fin des délégations de prescription "
        f"({', '.join(_LATEST_FIRST[:-1])} et {_LATEST_FIRST[-1]}). À blanc sans --wet-run."
    )
    wet_run_help = "Envoie vraiment les e-mails."

    def handle(self, *args, wet_run=False, **options):
        reports = services.send_delegation_reminders(dry_run=not wet_run, actor=COMMAND)
        for report in reports:
            agency = report.agency
            self.stdout.write(
                f"{agency.name} : fin le {agency.delegation_end_date:%d/%m/%Y}, "
                f"rappel « {WORDS[report.reminder]} »"
                + (f", {report.emails} e-mail(s)" if wet_run else " (à blanc)")
            )
        if not wet_run:
            self.stdout.write(f"{len(reports)} rappel(s) à envoyer. Relancez avec --wet-run.")
        else:
            self.stdout.write(f"{len(reports)} rappel(s) envoyé(s).")
