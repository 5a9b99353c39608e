"""Rebuild the search index of the directory from the structures.

    manage.py reindex_directory --wet-run

Needed only after a change of the index's format or of the score formula, or to refresh
the activity part of the scores; every change to a structure reindexes it already.
A dry run by default: it counts what would be indexed.
"""

from immersio.core.dry_run import DryRunCommand
from immersio.directory import indexing
from immersio.directory.models import IndexEntry
from immersio.structures.models import HostStructure, Offer


class Command(DryRunCommand):
    help = "Reconstruit l'index de recherche de l'annuaire (simulation sans --wet-run)."

    def handle(self, *args, wet_run=False, **options):
        structures = HostStructure.objects.count()
        offers = Offer.objects.count()
        if not wet_run:
            self.stdout.write(
                f"Simulation : {structures} structures et {offers} métiers proposés seraient "
                f"indexés ({IndexEntry.objects.count()} lignes aujourd'hui)."
            )
            self.stdout.write(self.style.WARNING("Rien n'a été écrit : ajoutez --wet-run."))
            return

        def progress(done, total):
            if done == total or done % (indexing.CHUNK * 25) == 0:
                self.stdout.write(f"{done} / {total} structures")

        count, rows = indexing.reindex_all(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(f"Index reconstruit : {count} structures, {rows} lignes.")
        )
