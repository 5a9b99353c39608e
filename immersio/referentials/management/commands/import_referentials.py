"""Load the reference data shipped in ``immersio/referentials/data/`` into the database.

Idempotent: it compares the files with the tables and writes only the differences, in
one transaction; a second run changes nothing. Reference data is not user data, so the
import runs for real by default (``--dry-run`` checks and reports without writing):

    python manage.py import_referentials
    python manage.py import_referentials --data-dir /chemin/vers/des/copies --dry-run
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction

from immersio.referentials import search
from immersio.referentials.importer import (
    DATA_DIR,
    ReferentialError,
    read_sources,
    write_referentials,
)

# (key of the report, singular, plural, feminine)
LABELS = (
    ("metiers", "métier ROME", "métiers ROME", False),
    ("appellations", "appellation", "appellations", True),
    ("communes", "commune", "communes", True),
    ("naf_codes", "code NAF", "codes NAF", False),
    ("hirings", "correspondance ROME ↔ NAF", "correspondances ROME ↔ NAF", True),
)


def number(value: int) -> str:
    """11117 → « 11 117 » (French grouping; a plain space, friendly to terminals)."""
    return f"{value:,}".replace(",", " ")


def agreed(word: str, count: int, feminine: bool) -> str:
    """French past participle agreement: « 1 ajoutée », « 2 ajoutés », « 0 modifié »."""
    return word + ("e" if feminine else "") + ("s" if count > 1 else "")


class Command(BaseCommand):
    help = (
        "Importe (ou met à jour) les référentiels livrés avec Immersio : métiers et "
        "appellations ROME, communes, codes NAF, embauches par métier et secteur. "
        "Idempotent, en une seule transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DATA_DIR,
            help=f"Dossier des fichiers .csv.gz (ou .csv) à importer (par défaut : {DATA_DIR}).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Vérifier les fichiers et compter les changements sans rien écrire.",
        )

    def handle(self, *args, data_dir, dry_run, verbosity, **options):
        started = time.monotonic()

        def progress(message):
            if verbosity >= 1:
                self.stderr.write(f"… {message}")

        if not Path(data_dir).is_dir():
            raise CommandError(f"Dossier introuvable : {data_dir}")
        try:
            data = read_sources(data_dir, progress)
            progress("fichiers vérifiés, écriture en base (une seule transaction)")
            with transaction.atomic():
                report = write_referentials(data, progress)
                if dry_run:
                    transaction.set_rollback(True)
        except ReferentialError as error:
            raise CommandError(f"Import annulé, rien n'a été modifié. {error}") from error
        except IntegrityError as error:  # e.g. a deferred foreign key checked at commit
            raise CommandError(
                "Import annulé, rien n'a été modifié : la base refuse ces changements "
                f"(contrainte d'intégrité : {error})."
            ) from error
        if report.changed and not dry_run:
            search.invalidate()

        if verbosity < 1:
            return
        verb = "seraient importé" if dry_run else "importé"
        for key, singular, plural, feminine in LABELS:
            table = report.tables[key]
            noun = plural if table.total > 1 else singular
            details = ", ".join(
                f"{number(count)} {agreed(word, count, feminine)}"
                for word, count in (
                    ("ajouté", table.created),
                    ("modifié", table.updated),
                    ("supprimé", table.deleted),
                )
            )
            self.stdout.write(
                f"{number(table.total)} {noun} {agreed(verb, table.total, feminine)} ({details})"
            )
        elapsed = time.monotonic() - started
        if dry_run:
            self.stdout.write(f"Essai à blanc : rien n'a été écrit ({elapsed:.1f} s).")
        elif report.changed:
            self.stdout.write(self.style.SUCCESS(f"Référentiels à jour ({elapsed:.1f} s)."))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Référentiels déjà à jour : aucun changement ({elapsed:.1f} s)."
                )
            )
