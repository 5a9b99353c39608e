"""Loads the demonstration data of every app that has a ``demo.py`` module.

Idempotent: each app's ``load()`` creates or updates rows by a natural key, so a second
run changes nothing. A dry run by default, like every command that changes data.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from immersio.demo import accounts, agencies, contacts, directory, structures


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
        modules = [accounts, structures, directory, agencies, contacts]
        modules.sort(key=lambda module: getattr(module, "ORDER", 100))
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
