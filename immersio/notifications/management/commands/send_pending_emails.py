"""Send every e-mail of the outbox that is due: the safety net of the worker.

Normally each outbox row is sent by its ``send_outbound_email`` task, queued when the
transaction that wrote it commits. If that task was lost (the task table was
unreachable, a worker crashed mid-send), the row stays in the outbox; this command
sends it. It only sends what is already queued and due, each row at most once even
while a worker runs, so it has no dry-run mode. Run it from cron every few minutes,
or by hand after an incident:

    python manage.py send_pending_emails            # send now, in this process
    python manage.py send_pending_emails --enqueue  # hand the rows to the worker

Deferred notifications still waiting to be rendered (``PendingNotification``: their task
was lost, or their rendering failed and its next attempt is due) are rendered first, in
this process. Due SMS (``OutboundSms``) are sent too, always in this process; a line says how many
when there were some.
"""

from django.core.management.base import BaseCommand

from immersio.core.actors import COMMAND
from immersio.notifications.services import (
    Outcome,
    process_due_emails,
    process_due_notifications,
    process_due_sms,
)

LABELS = {
    str(Outcome.SENT): "envoyé(s)",
    str(Outcome.RETRY_SCHEDULED): "en échec, nouvel essai programmé",
    str(Outcome.GIVEN_UP): "abandonné(s) (nombre maximal de tentatives atteint)",
    str(Outcome.ALREADY_SENT): "déjà envoyé(s) entre-temps",
    str(Outcome.NOT_DUE): "pas encore dû(s)",
    str(Outcome.IN_PROGRESS): "en cours d'envoi par le worker",
    str(Outcome.ALREADY_GIVEN_UP): "déjà abandonné(s)",
    str(Outcome.MISSING): "introuvable(s)",
    "enqueued": "confié(s) au worker",
}
PREPARED = {
    str(Outcome.RENDERED): "préparée(s)",
    str(Outcome.DROPPED): "abandonnée(s) : leur objet n'existe plus",
    str(Outcome.RETRY_SCHEDULED): "en échec, nouvel essai programmé",
    str(Outcome.GIVEN_UP): "abandonnée(s) (délai maximal dépassé)",
    str(Outcome.MISSING): "déjà préparée(s) par le worker",
    str(Outcome.NOT_DUE): "pas encore due(s)",
    str(Outcome.ALREADY_GIVEN_UP): "déjà abandonnée(s)",
}


class Command(BaseCommand):
    help = (
        "Envoie les e-mails de la file d'attente dont l'heure est venue (filet de sécurité "
        "si une tâche d'envoi a été perdue). N'envoie que ce qui attend déjà, une seule "
        "fois par e-mail."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit",
            type=int,
            default=500,
            help="Nombre maximal d'e-mails traités par passage (500 par défaut).",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Confier les e-mails au worker (file « emails ») au lieu de les envoyer ici.",
        )

    def handle(self, *, limit, enqueue, verbosity, **options):
        prepared = process_due_notifications(actor=COMMAND, limit=limit)
        for outcome, count in sorted(prepared.items()):
            self.stdout.write(f"{count} notification(s) {PREPARED.get(outcome, outcome)}")
        for outcome, count in sorted(process_due_sms(actor=COMMAND, limit=limit).items()):
            self.stdout.write(f"{count} SMS {LABELS.get(outcome, outcome)}")
        counts = process_due_emails(actor=COMMAND, limit=limit, enqueue=enqueue)
        if not counts:
            if verbosity:
                self.stdout.write("Aucun e-mail en attente.")
            return
        for outcome, count in sorted(counts.items()):
            self.stdout.write(f"{count} e-mail(s) {LABELS.get(outcome, outcome)}")
