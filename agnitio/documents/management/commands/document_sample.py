"""Write a sealed sample document whose data include hostile strings (they must print literally)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from agnitio.core.errors import ApplicationError


class Command(BaseCommand):
    help = ("Write a sealed sample PDF of a document kind (data include text that must print literally). The seal "
            "belongs to an organisation 'Agnitio sample organisation' (identifier SAMPLE-SEAL), made once.")

    def add_arguments(self, parser):
        parser.add_argument("--kind", default="youthpass")
        parser.add_argument("--out", required=True, help="PDF file to write")
        parser.add_argument("--language", default="lv+en", help="lv, en or lv+en (bilingual)")
        parser.add_argument("--no-seal", action="store_true", help="Write the PDF without the seal")

    def handle(self, *args, kind, out, language, no_seal, **options):
        from agnitio.organisations.demo import sample_organisation

        from ...kinds import KINDS
        from ...sample import microcredential_sample, youthpass_sample
        from ...seal import pdf_seal
        from ...services import document_languages_clean, document_render

        samples = {"youthpass": youthpass_sample, "microcredential": microcredential_sample}
        if kind not in KINDS or kind not in samples:
            raise CommandError(f"Unknown kind {kind!r}; known: {', '.join(sorted(samples))}")
        try:
            languages = document_languages_clean(language)
            data = samples[kind]()
            pdf = document_render(kind=kind, data=data, languages=languages)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        if not no_seal:
            try:
                pdf = pdf_seal(organisation=sample_organisation(), pdf_bytes=pdf)
            except DatabaseError as exc:
                raise CommandError(f"The seal needs the database: run `manage.py migrate` first ({exc}).") from exc
        Path(out).write_bytes(pdf)
        self.stdout.write(f"Wrote {out} ({len(pdf)} bytes, {kind}, {'+'.join(languages)})")
        # The verification code printed on the sample (under the QR code and in the footer); it is never issued.
        self.stdout.write(f"number: {data['code']}")
