"""Generate a synthetic directory (benchmarks, demonstrations) from the real referentials.

    manage.py generate_directory --structures 1000000 --seed 1 --wet-run

A dry run by default: it draws a first batch and shows a few structures, writes nothing.
"""

from django.core.management.base import CommandError

from immersio.core.dry_run import DryRunCommand
from immersio.demo import generator


class Command(DryRunCommand):
    help = "Génère un annuaire synthétique de structures (simulation sans --wet-run)."

    def add_options(self, parser):
        parser.add_argument(
            "--structures", type=int, required=True, help="nombre de structures à créer"
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="graine (même graine, même annuaire)"
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=generator.BATCH,
            help=f"structures écrites à la fois ({generator.BATCH} par défaut)",
        )

    def handle(self, *args, structures, seed, batch_size, wet_run, **options):
        if structures < 1:
            raise CommandError("Indiquez un nombre de structures positif (--structures).")
        if batch_size < 1:
            raise CommandError("La taille des lots doit être positive (--batch-size).")
        try:
            if not wet_run:
                self._dry_run(structures, seed)
                return
            totals = generator.generate(
                structures=structures, seed=seed, batch_size=batch_size, progress=self._progress
            )
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Annuaire synthétique créé : {totals.structures} structures, {totals.sites} "
                f"lieux, {totals.offers} métiers proposés, {totals.entries} lignes d'index."
            )
        )

    def _progress(self, totals, elapsed):
        done = totals.structures
        rate = done / elapsed if elapsed else 0
        self.stdout.write(
            f"{done} structures, {totals.offers} métiers proposés — {elapsed:.0f} s "
            f"({rate:.0f} structures/s)"
        )
        self.stdout.flush()

    def _dry_run(self, structures, seed):
        shown = min(structures, 5)
        batch = generator.sample(structures=min(structures, 1000), seed=seed)
        counts = batch.counts()
        per_structure = counts.offers / counts.structures
        self.stdout.write(
            f"Simulation : {structures} structures seraient créées (graine {seed}), environ "
            f"{per_structure:.2f} métiers proposés par structure d'après un premier lot de "
            f"{counts.structures}. Exemples :"
        )
        for row in batch.structures[:shown]:
            self.stdout.write(f"  - {row[5]} (SIRET {row[4]}, {row[7]}, NAF {row[10]})")
        self.stdout.write(self.style.WARNING("Rien n'a été écrit : ajoutez --wet-run."))
