"""Loads the demonstration data of every app that has a ``demo.py`` module.

Idempotent: each app's ``load()`` creates or updates rows by a natural key, so a second
run changes nothing. A dry run by default, like every command that changes data.
"""

import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


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
        modules = []
        for config in apps.get_app_configs():
            if not config.name.startswith("immersio."):
                continue
            name = f"{config.name}.demo"
            if importlib.util.find_spec(name) is not None:
                modules.append(importlib.import_module(name))
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
