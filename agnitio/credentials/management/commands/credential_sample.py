"""Issue a sample credential of a kind from the demo organisation, write its JSON and print its verification code
(`number: <code>`, the last line; the register number comes on the line before).

    python manage.py credential_sample --kind youthpass --out youthpass.json
    python manage.py credential_sample --kind europass_certificate --out F.json --edc-out F.jsonld [--language lv]
    python manage.py credential_sample --kind microcredential --out mc.json --edc-out mc.jsonld

`--edc-out` also writes the document's European Digital Credential (ELM JSON-LD). A kind whose app registered a
sample maker (`credentials.samples`; micro-credentials do) is issued through that app, as a real award would be.
Run `manage.py demo_data` first. The PDF is rendered and sealed by the documents engine where it has a template
for the kind (otherwise only the signed credential is issued, and the command says so). `--edc-out` writes the
European Digital Credential (ELM) JSON-LD export too. A Europass Mobility certificate is made from a sample of the
documents/europass.py shape through `europass_issue_inputs`, the function the mobility app's documents go through."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

SAMPLES = {
    "youthpass": {
        "name": "Youthpass certificate — Youth Exchange “Bridges over the Daugava”",
        "description": "Took part in an Erasmus+ youth exchange in Rīga with 32 participants from 4 countries.",
        "criteria": "Took part in the whole activity and described their learning outcomes with a mentor.",
        "outcomes": [
            {"name": "Multilingual competence", "framework": "Key competences for lifelong learning (2018)",
             "description": "Led a daily reflection group in English and learnt basic Latvian phrases."},
            {"name": "Citizenship competence", "framework": "Key competences for lifelong learning (2018)",
             "description": "Planned and ran a neighbourhood clean-up with local young people."},
        ],
    },
    "europass_certificate": {
        "name": "Europass Mobility — work placement in Tartu",
        "description": "Four-week work placement in a youth centre in Tartu, Estonia (procedure A).",
        "criteria": "Completed the agreed learning programme; assessed by the host mentor.",
        "outcomes": [{"name": "Plans weekly activities for a youth centre",
                      "description": "Prepared and ran four weekly programmes for 12–15-year-olds."}],
        "eqf_level": 4,
    },
    "microcredential": {
        "name": "Facilitating intercultural learning",
        "description": "A short course for youth workers on planning and facilitating intercultural learning.",
        "criteria": "Final assessment: a facilitation plan reviewed by two trainers (pass/fail).",
        "outcomes": [{"name": "Designs an intercultural learning session",
                      "description": "Writes a session plan with aims, methods and debriefing questions."}],
        "credits_ects": 2, "eqf_level": 5, "workload_hours": 50,
        "assessment": "Facilitation plan reviewed by two trainers", "participation": "Blended",
        "quality_assurance": "Internal quality assurance of the provider",
        "results": [{"name": "Final assessment", "value": "Pass", "result_type": "Status"}],
    },
}


EUROPASS_CERTIFICATE = "europass_certificate"


def europass_certificate_document(*, organisation, language: str) -> dict:
    """The Europass Mobility certificate the command issues, made by the mobility app's real data path (rows in a
    rolled-back transaction, read with `mobility_document_data`); without that app, the plain sample."""
    from agnitio.documents.europass import europass_sample_source
    from agnitio.documents.sample import europass_sample

    source = europass_sample_source()
    if source is None:
        return europass_sample(kind=EUROPASS_CERTIFICATE, language=language, images=False)
    return source(organisation=organisation, kind=EUROPASS_CERTIFICATE, language=language, try_out=False,
                  hostile=False)


class Command(BaseCommand):
    help = ("Issue a sample credential from the demo organisation; writes its JSON and prints `number: <CODE>` (the "
            "verification code, as at /verify/<CODE>).")

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=sorted(SAMPLES))
        parser.add_argument("--out", required=True, help="Where to write the signed credential (JSON).")
        parser.add_argument("--edc-out", default=None, help="Where to write the EDC (ELM) JSON-LD export.")
        parser.add_argument("--holder-email", default="learner@example.org")
        parser.add_argument("--language", default="en", choices=["lv", "en"],
                            help="The document language of a Europass Mobility certificate (one language).")

    def handle(self, *args, kind, out, holder_email, edc_out=None, language="en", **options):
        from agnitio.core.management.commands.demo_data import DEMO_EMAIL
        from agnitio.credentials.samples import sample_maker_get
        from agnitio.credentials.services import credential_issue
        from agnitio.organisations.demo import demo_owner_membership

        membership = demo_owner_membership(email=DEMO_EMAIL)
        if membership is None:
            raise CommandError("No demo organisation: run `python manage.py demo_data` first.")
        maker = sample_maker_get(kind)
        if maker is not None:
            self._write(maker(membership=membership, holder_email=holder_email), out=out, edc_out=edc_out)
            return
        pdf_data = None
        try:
            from agnitio.documents.kinds import KINDS
            from agnitio.documents.sample import youthpass_sample
        except ImportError:
            KINDS = {}  # noqa: N806
        arguments = {"holder_name": "Līga Kalniņa", "achievement": SAMPLES.get(kind), "languages": ["lv", "en"],
                     "place": "Rīga"}
        if kind == EUROPASS_CERTIFICATE:
            from agnitio.documents.europass import europass_issue_inputs

            inputs = europass_issue_inputs(europass_certificate_document(organisation=membership.organisation,
                                                                         language=language))
            pdf_data = inputs["pdf_data"]
            arguments = {key: inputs[key] for key in ("holder_name", "achievement", "languages", "place")}
        elif kind == "youthpass" and kind in KINDS:
            pdf_data = youthpass_sample(images=False)
        else:
            self.stderr.write(f"No PDF template for {kind} yet: issuing the signed credential only.")
        credential = credential_issue(
            actor=membership.user, organisation=membership.organisation, kind=kind, holder_email=holder_email,
            issued_on=timezone.localdate(), pdf_data=pdf_data, **arguments,
        )
        self._write(credential, out=out, edc_out=edc_out)

    def _write(self, credential, *, out: str, edc_out: str) -> None:
        from agnitio.credentials.formats.edc import edc_export

        with open(out, "w", encoding="utf-8") as handle:
            json.dump(credential.credential, handle, ensure_ascii=False, indent=2)
        if edc_out:
            with open(edc_out, "w", encoding="utf-8") as handle:
                json.dump(edc_export(credential), handle, ensure_ascii=False, indent=2)  # the mapping of its kind
            self.stdout.write(f"EDC export: {edc_out}")
        self.stdout.write(f"register number: {credential.number}")
        self.stdout.write(f"number: {credential.code}")  # the verification code: /verify/<code>, printed on the PDF
