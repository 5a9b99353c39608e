"""Loads the demonstration data: one module of this app per demonstrated product app
(``immersio/demo/<app>.py``), each loaded in its ``ORDER``. A new one is added to
``MODULES``.

Idempotent: each app's ``load()`` creates or updates rows by a natural key, so a second
run changes nothing. A dry run by default, like every command that changes data.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from immersio.demo import accounts, agencies, contacts, directory, structures

MODULES = (accounts, structures, directory, agencies, contacts)


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Charge les données de démonstration (simulation sans --wet-run)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--wet-run",
            action="store_true",
            help="Écrit vraiment en base (sinon : simulation, rien n'est conservé).",
        )

    def handle(self, *args, wet_run=False, **options):
        modules = sorted(MODULES, key=lambda module: module.ORDER)
        try:
            with transaction.atomic():
                for module in modules:
                    summary = module.load()
                    self.stdout.write(f"{module.__name__} : {summary}")
                if not wet_run:
                    raise DryRun
        except DryRun:
            self.stdout.write(
                self.style.WARNING("Simulation : rien n'a été enregistré (ajoutez --wet-run).")
            )
            return
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
