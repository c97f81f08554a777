"""`manage.py demo_data` sets up a provider with two published micro-credentials (idempotent), and
`credential_sample --kind microcredential --out F.json --edc-out F.jsonld` issues through this app and writes the
signed credential and its EDC JSON-LD, which conforms to the EDC shapes."""

import json

from django.core.management import call_command

from agnitio.credentials.models import IssuedCredential
from agnitio.credentials.verification import credential_verify_json
from agnitio.microcredentials.models import Award, ProviderProfile, Specification
from agnitio.microcredentials.selectors import catalogue_list


def test_demo_data_publishes_two_micro_credentials_once(db):
    call_command("demo_data")
    call_command("demo_data")
    assert Specification.objects.filter(status="published").count() == 2
    assert catalogue_list().count() == 2
    profile = ProviderProfile.objects.get()
    assert profile.quality_assurance and profile.recognition_policy and profile.listed


def test_credential_sample_writes_the_credential_and_its_edc(db, tmp_path, capsys):
    import pyshacl  # a dev dependency: missing, the test fails
    from django.conf import settings
    from rdflib import Graph

    from agnitio.credentials.signing.loader import canonize

    call_command("demo_data")
    out, edc = tmp_path / "mc.json", tmp_path / "mc.jsonld"
    call_command("credential_sample", kind="microcredential", out=str(out), edc_out=str(edc))
    code = capsys.readouterr().out.strip().splitlines()[-1].removeprefix("number: ")
    record = IssuedCredential.objects.get(code=code)
    award = Award.objects.get(credential=record)  # issued through the app's own path
    assert award.status == "issued" and record.pdf and award.evidence.count() == 1
    document = json.loads(out.read_text())
    assert document == record.credential and credential_verify_json(document).verified
    edc_document = json.loads(edc.read_text())
    assert edc_document["credentialSubject"]["hasClaim"]["specifiedBy"]["title"]
    graph = Graph().parse(data=canonize(edc_document), format="nt")
    shapes = Graph().parse(settings.BASE_DIR / "agnitio" / "credentials" / "shapes" / "EDC-generic-no-cv.ttl",
                           format="turtle")
    conforms, _graph, report = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    assert conforms, report


def test_document_sample_takes_the_microcredential_kind(db, tmp_path):
    out = tmp_path / "mc.pdf"
    call_command("document_sample", kind="microcredential", out=str(out), no_seal=True)
    assert out.read_bytes().startswith(b"%PDF")
