"""Print the register of processings, or write it to docs/donnees-personnelles.md."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from immersio.privacy.register import render_markdown

DOCUMENT = Path(settings.BASE_DIR) / "docs" / "donnees-personnelles.md"


class Command(BaseCommand):
    help = (
        "Affiche le registre des traitements (immersio/privacy/register.py) ; --write "
        "l'écrit dans docs/donnees-personnelles.md, --check vérifie que ce fichier est à jour."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--write", action="store_true", help="écrire le fichier")
        group.add_argument("--check", action="store_true", help="vérifier le fichier")

    def handle(self, *args, write=False, check=False, **options):
        text = render_markdown()
        if write:
            DOCUMENT.write_text(text, "utf-8")
            self.stdout.write(f"Registre écrit dans {DOCUMENT.relative_to(settings.BASE_DIR)}.")
        elif check:
            if not DOCUMENT.exists() or DOCUMENT.read_text("utf-8") != text:
                raise CommandError(
                    "docs/donnees-personnelles.md n'est pas à jour : "
                    "python manage.py privacy_register --write"
                )
            self.stdout.write("Le registre est à jour.")
        else:
            self.stdout.write(text, ending="")
