"""Loads the demonstration data: one module of this app per demonstrated product app
(``immersio/demo/<app>.py``), each loaded in its ``ORDER``. A new one is added to
``MODULES``.

Idempotent: each app's ``load()`` creates or updates rows by a natural key, so a second
run changes nothing. A dry run by default, like every command that changes data.
"""

from immersio.core.dry_run import DryRunCommand, run_in_transaction
from immersio.demo import (
    accounts,
    agencies,
    assessments,
    contacts,
    conventions,
    directory,
    events,
    followup,
    journal,
    resource_people,
    structures,
    testimonies,
)

MODULES = (
    accounts,
    structures,
    directory,
    events,
    agencies,
    contacts,
    conventions,
    assessments,
    journal,
    followup,
    testimonies,
    resource_people,
)


class Command(DryRunCommand):
    help = "Charge les données de démonstration (simulation sans --wet-run)."
    wet_run_help = "Écrit vraiment en base (sinon : simulation, rien n'est conservé)."

    def handle(self, *args, wet_run=False, **options):
        def load_all() -> None:
            for module in sorted(MODULES, key=lambda module: module.ORDER):
                summary = module.load()
                self.stdout.write(f"{module.__name__} : {summary}")

        run_in_transaction(load_all, wet_run=wet_run)
        if not wet_run:
            self.stdout.write(
                self.style.WARNING("Simulation : rien n'a été enregistré (ajoutez --wet-run).")
            )
            return
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
        # How to start is printed by ``demo_welcome``, which ``make run`` calls once the
        # worker has sent the demonstration's e-mails, so that it is the last thing on screen.
        self.stdout.write(
            "Comptes et lien de signature pour essayer : affichés au lancement par make run, "
            "ou par python manage.py demo_welcome."
        )
