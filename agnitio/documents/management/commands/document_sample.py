"""Write a sealed sample document whose data include hostile strings (they must print literally)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from agnitio.core.errors import ApplicationError

EUROPASS_KINDS = ("europass_agreement", "europass_certificate")


def europass_sample_document(*, kind: str, language: str, try_out: bool) -> dict:
    """The Europass document the command renders: made by the mobility app's real data path (rows written in a
    rolled-back transaction, read with `mobility_document_data`), registered as the Europass sample source;
    without that app, the plain sample of the documents/europass.py shape."""
    from agnitio.organisations.demo import sample_organisation

    from ...europass import europass_sample_source
    from ...sample import europass_sample

    source = europass_sample_source()
    if source is None:
        return europass_sample(kind=kind, language=language, try_out=try_out, hostile=True)
    return source(organisation=sample_organisation(), kind=kind, language=language, try_out=try_out, hostile=True)


class Command(BaseCommand):
    help = ("Write a sealed sample PDF of a document kind (data include text that must print literally). The seal "
            "belongs to an organisation 'Agnitio sample organisation' (identifier SAMPLE-SEAL), made once. Europass "
            "documents have one language (lv or en); a Try Out document (--try-out) is never sealed.")

    def add_arguments(self, parser):
        parser.add_argument("--kind", default="youthpass")
        parser.add_argument("--out", required=True, help="PDF file to write")
        parser.add_argument("--language", default=None, help="lv, en or lv+en (bilingual; not for Europass)")
        parser.add_argument("--no-seal", action="store_true", help="Write the PDF without the seal")
        parser.add_argument("--try-out", action="store_true", help="Europass: a Try Out document (watermarked, "
                                                                    "never sealed)")

    def handle(self, *args, kind, out, language, no_seal, try_out, **options):
        from agnitio.organisations.demo import sample_organisation

        from ...kinds import KINDS
        from ...sample import SAMPLE_CODE, microcredential_sample, youthpass_sample
        from ...seal import pdf_seal
        from ...services import document_languages_clean, document_render

        samples = {"youthpass": youthpass_sample, "microcredential": microcredential_sample}
        known = [*samples, *EUROPASS_KINDS]
        if kind not in KINDS or kind not in known:
            raise CommandError(f"Unknown kind {kind!r}; known: {', '.join(sorted(known))}")
        try:
            if kind in EUROPASS_KINDS:
                from ...europass import europass_issue_inputs

                if (language or "en") not in ("lv", "en"):
                    raise CommandError("A Europass document has one language: --language lv or --language en.")
                inputs = europass_issue_inputs(europass_sample_document(kind=kind, language=language or "en",
                                                                        try_out=try_out))
                languages, data = inputs["languages"], inputs["pdf_data"]
                if kind == "europass_certificate" and not try_out:  # as credential_issue adds them
                    data = {**data, "number": "EM-2027-000001", "code": SAMPLE_CODE,
                            "verification_url": f"https://agnitio.example/verify/{SAMPLE_CODE}"}
                no_seal = no_seal or inputs["try_out"]  # a Try Out document is never sealed
            else:
                languages = document_languages_clean(language or "lv+en")
                data = samples[kind]()
            pdf = document_render(kind=kind, data=data, languages=languages)
        except (ApplicationError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if not no_seal:
            try:
                pdf = pdf_seal(organisation=sample_organisation(), pdf_bytes=pdf)
            except DatabaseError as exc:
                raise CommandError(f"The seal needs the database: run `manage.py migrate` first ({exc}).") from exc
        Path(out).write_bytes(pdf)
        sealed = "not sealed" if no_seal else "sealed"
        self.stdout.write(f"Wrote {out} ({len(pdf)} bytes, {kind}, {'+'.join(languages)}, {sealed})")
        # The verification code printed on the sample (under the QR code and in the footer); it is never issued.
        # A learning agreement has none: its Europass number (or mobility ID) is printed instead.
        self.stdout.write(f"number: {data.get('code') or data.get('europass_number') or data.get('mobility_id')}")
