"""`python manage.py esco_import <file.zip|folder|skills_xx.csv> [--language xx]`: add or update one language of ESCO
from the files downloaded from the ESCO portal (https://esco.ec.europa.eu/en/use-esco/download, "classification",
CSV). The language is read from the file names (skills_lv.csv → lv) unless given. Running it again is harmless."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agnitio.core.errors import ApplicationError
from agnitio.frameworks.services import esco_import

LABELS = {"skill": "skills", "occupation": "occupations", "relations": "occupation skills"}


class Command(BaseCommand):
    help = "Import an ESCO classification download (zip, folder or CSV) for one language."

    def add_arguments(self, parser):
        parser.add_argument("path", help="ESCO zip, the folder it was unpacked into, or one CSV file")
        parser.add_argument("--language", help="language code (default: from the file names, e.g. skills_lv.csv)")

    def handle(self, *args, path, language=None, **options):
        try:
            result = esco_import(path=Path(path), language=language.lower() if language else None)
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(f"ESCO {result.language} from {result.source}:")
        for kind, counts in result.counts.items():
            self.stdout.write(f"  {LABELS[kind]}: {counts.read} read — {counts.created} new, {counts.updated} updated, "
                              f"{counts.unchanged} unchanged, {counts.skipped} skipped")
        self.stdout.write(self.style.SUCCESS("Done."))
