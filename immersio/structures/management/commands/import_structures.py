"""Import a network's member list from a CSV file (format: docs/import-structures.md).

A dry run unless ``--wet-run``: the report says, line by line, what would be created,
updated or rejected and why; nothing is written and no invitation is sent.
"""

from pathlib import Path

from django.core.management.base import CommandError

from immersio.core.actors import COMMAND
from immersio.core.dry_run import DryRunCommand
from immersio.structures.importer import ImportFileError, decode, run_import
from immersio.structures.models import Network


class Command(DryRunCommand):
    help = (
        "Importe la liste des membres d'un réseau (CSV) : structures créées ou mises à jour "
        "par SIRET. Simulation sans --wet-run."
    )
    wet_run_help = "Enregistre vraiment et envoie les invitations (sinon : simulation)."

    def add_options(self, parser):
        parser.add_argument("file", help="Fichier CSV (UTF-8, séparateur ; ou ,).")
        parser.add_argument(
            "--network", required=True, help="Identifiant du réseau (par exemple « cress »)."
        )

    def handle(self, *args, file, network, wet_run=False, **options):
        network_row = Network.objects.filter(slug=network).first()
        if network_row is None:
            known = ", ".join(Network.objects.values_list("slug", flat=True))
            raise CommandError(f"Réseau inconnu : « {network} ». Réseaux : {known}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        verbosity = options.get("verbosity", 1)

        def progress(done: int, total: int) -> None:
            if verbosity >= 1 and (done == total or done % 50 == 0):
                self.stderr.write(f"{done}/{total} lignes traitées")

        try:
            report = run_import(
                text=decode(path.read_bytes()),
                network=network_row,
                wet_run=wet_run,
                progress=progress,
                actor=COMMAND,
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        for line in report.lines:
            self.stdout.write(line.as_text())
        style = self.style.SUCCESS if wet_run else self.style.WARNING
        self.stdout.write(style(report.summary()))
        if not wet_run:
            self.stdout.write(
                self.style.WARNING("Simulation : rien n'a été enregistré (ajoutez --wet-run).")
            )
