"""Prints how to try the demonstration: its accounts and a signature link. Read only.

``make run`` calls it once the worker has sent the e-mails the demo data produced, so
that these instructions are the last thing on the console rather than buried above
dozens of demonstration e-mails (``--wait-outbox SECONDS``).
"""

import time
from urllib.error import HTTPError
from urllib.request import urlopen

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.urls import reverse

from immersio.demo import accounts, conventions
from immersio.notifications.models import OutboundEmail, PendingNotification

WAITING = (OutboundEmail.Status.PENDING, OutboundEmail.Status.SENDING)


class Command(BaseCommand):
    help = "Affiche les comptes de démonstration et un lien de signature (lecture seule)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--wait-outbox",
            type=float,
            default=0,
            metavar="SECONDES",
            help="Attendre d'abord que le worker ait envoyé les e-mails en attente (au plus "
            "ce nombre de secondes).",
        )

        parser.add_argument(
            "--wait-server",
            action="store_true",
            help="Attendre aussi que le site réponde (pour s'afficher après son démarrage).",
        )

    def handle(self, *args, wait_outbox=0, wait_server=False, **options):
        deadline = time.monotonic() + wait_outbox
        while time.monotonic() < deadline and (
            (wait_server and not _server_answers())
            or OutboundEmail.objects.filter(status__in=WAITING).exists()
            or PendingNotification.objects.due().exists()  # e-mails still to be written
        ):
            time.sleep(0.5)
        self.stdout.write(welcome())


def _server_answers() -> bool:
    try:
        with urlopen(settings.SITE_URL + reverse("core:healthz"), timeout=2):  # noqa: S310
            return True
    except HTTPError:
        return True
    except OSError:
        return False


def welcome() -> str:
    """The instructions, or a hint to load the demo when its accounts are missing."""
    emails = [email for email, _ in accounts.DEMO_ACCOUNTS]
    present = set(get_user_model().objects.filter(email__in=emails).values_list("email", flat=True))
    if not present:
        return "Pas de données de démonstration : python manage.py load_demo --wet-run"
    rule = "─" * 72
    lines = [
        rule,
        f"Pour commencer, ouvrez {settings.SITE_URL}{reverse('accounts:login')} et donnez "
        "l'une de ces adresses : le lien de connexion s'affiche ici, dans l'e-mail que le "
        "worker « envoie ».",
    ]
    lines += [f"  {email} : {role}" for email, role in accounts.DEMO_ACCOUNTS if email in present]
    link = conventions.waiting_link()
    if link:
        lines += [
            "Pour essayer « Je signe » (bénéficiaire d'une convention à signer ; le code à six "
            "chiffres s'affiche ici aussi) :",
            f"  {link}",
        ]
    lines.append(rule)
    return "\n".join(lines)
