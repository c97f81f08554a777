"""Issue 12 point 12: `document_sample` and `credential_sample` make their Europass documents through this app's
real data path — rows written and rolled back, read with `mobility_document_data` — so the sending institution is
the command's organisation (not the plain sample's school), and no row is left behind."""

import json

import pytest
from django.core.management import call_command

from agnitio.documents.seal import pdf_seal_verify
from agnitio.documents.tests.conftest import pdf_text
from agnitio.europass.models import Application, Institution, MobilityDocument

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["europass_agreement", "europass_certificate"])
def test_document_sample_goes_through_the_rows(tmp_path, kind):
    out = tmp_path / "sample.pdf"
    call_command("document_sample", "--kind", kind, "--out", str(out), "--language", "en")
    pdf = out.read_bytes()
    text = " ".join(pdf_text(pdf).split())
    assert "Agnitio sample organisation" in text  # the sending institution is the command's organisation's row
    assert "Valmieras tehnikums" not in text and pdf_seal_verify(pdf_bytes=pdf).intact
    assert not (Institution.objects.exists() or Application.objects.exists() or MobilityDocument.objects.exists())


def test_credential_sample_goes_through_the_rows(tmp_path, capsys):
    from agnitio.credentials.models import IssuedCredential
    from agnitio.credentials.tests.test_elm_mobility import _validate

    call_command("demo_data")
    institutions, documents = Institution.objects.count(), MobilityDocument.objects.count()
    out, edc = tmp_path / "c.json", tmp_path / "c.jsonld"
    call_command("credential_sample", "--kind", "europass_certificate", "--out", str(out), "--edc-out", str(edc),
                 "--language", "lv")
    code = capsys.readouterr().out.strip().splitlines()[-1].removeprefix("number: ")
    record = IssuedCredential.objects.get(code=code)
    europass = record.achievement["europass"]
    assert europass["europass_number"] == "LV/2027/0001234" and europass["language"] == "lv"
    assert europass["sending_country"] == record.organisation.country.code
    conforms, report = _validate(json.loads(edc.read_text()))
    assert conforms, report
    assert (Institution.objects.count(), MobilityDocument.objects.count()) == (institutions, documents)
