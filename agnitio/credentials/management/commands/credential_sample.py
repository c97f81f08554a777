"""Issue a sample credential of a kind from the demo organisation, write its JSON and print its verification code
(`number: <code>`, the last line; the register number comes on the line before).

    python manage.py credential_sample --kind youthpass --out youthpass.json
    python manage.py credential_sample --kind microcredential --out mc.json --edc-out mc.jsonld

`--edc-out` also writes the document's European Digital Credential (ELM JSON-LD). A kind whose app registered a
sample maker (`credentials.samples`; micro-credentials do) is issued through that app, as a real award would be.
Run `manage.py demo_data` first. The PDF is rendered and sealed by the documents engine where it has a template
for the kind (otherwise only the signed credential is issued, and the command says so)."""

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


class Command(BaseCommand):
    help = ("Issue a sample credential from the demo organisation; writes its JSON and prints `number: <CODE>` (the "
            "verification code, as at /verify/<CODE>).")

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=sorted(SAMPLES))
        parser.add_argument("--out", required=True, help="Where to write the signed credential (JSON).")
        parser.add_argument("--edc-out", default="", help="Where to write its EDC / ELM JSON-LD (optional).")
        parser.add_argument("--holder-email", default="learner@example.org")

    def handle(self, *args, kind, out, holder_email, edc_out="", **options):
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
        if kind == "youthpass" and kind in KINDS:
            pdf_data = youthpass_sample(images=False)
        else:
            self.stderr.write(f"No PDF template for {kind} yet: issuing the signed credential only.")
        credential = credential_issue(
            actor=membership.user, organisation=membership.organisation, kind=kind, holder_name="Līga Kalniņa",
            holder_email=holder_email, achievement=SAMPLES[kind], languages=["lv", "en"],
            issued_on=timezone.localdate(), place="Rīga", pdf_data=pdf_data,
        )
        self._write(credential, out=out, edc_out=edc_out)

    def _write(self, credential, *, out: str, edc_out: str) -> None:
        from agnitio.credentials.formats.edc import edc_export

        with open(out, "w", encoding="utf-8") as handle:
            json.dump(credential.credential, handle, ensure_ascii=False, indent=2)
        if edc_out:
            with open(edc_out, "w", encoding="utf-8") as handle:
                json.dump(edc_export(credential), handle, ensure_ascii=False, indent=2)
        self.stdout.write(f"register number: {credential.number}")
        self.stdout.write(f"number: {credential.code}")  # the verification code: /verify/<code>, printed on the PDF
