"""Point 9: `credential_sample` issues from the demo organisation and prints the verification code after
`number:` (the code opens /verify/<code>; the register number does not)."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from agnitio.credentials.models import IssuedCredential
from agnitio.credentials.numbering import code_normalise
from agnitio.credentials.verification import credential_verify_json


@pytest.mark.parametrize("kind", ["youthpass", "europass_certificate", "microcredential"])
def test_credential_sample(db, tmp_path, capsys, kind):
    call_command("demo_data")
    out = tmp_path / "c.json"
    call_command("credential_sample", kind=kind, out=str(out))
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("number: ")
    code = last.removeprefix("number: ")
    record = IssuedCredential.objects.get(code=code)
    assert code_normalise(code) == code and code != record.number
    assert record.kind == kind and record.organisation.short_name == "JIC"
    document = json.loads(out.read_text())
    assert document == record.credential and credential_verify_json(document).verified
    assert record.pdf  # every kind has a PDF template: Youthpass, Europass Mobility certificate, micro-credential


def test_credential_sample_without_demo_data(db, tmp_path):
    with pytest.raises(CommandError, match="demo_data"):
        call_command("credential_sample", kind="youthpass", out=str(tmp_path / "c.json"))


@pytest.mark.parametrize("kind", ["youthpass"])
def test_credential_sample_code_opens_the_page(db, tmp_path, capsys, client, kind):
    call_command("demo_data")
    call_command("credential_sample", kind=kind, out=str(tmp_path / "c.json"))
    code = capsys.readouterr().out.strip().splitlines()[-1].removeprefix("number: ")
    assert client.get(f"/verify/{code}").status_code == 200
    assert client.get(f"/api/v1/verify/{code}").json()["document"]["code"] == code
