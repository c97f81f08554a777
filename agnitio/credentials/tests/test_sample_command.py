"""Point 9: `credential_sample` issues from the demo organisation and prints the number."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from agnitio.credentials.models import IssuedCredential
from agnitio.credentials.verification import credential_verify_json


@pytest.mark.parametrize("kind", ["youthpass", "europass_certificate", "microcredential"])
def test_credential_sample(db, tmp_path, capsys, kind):
    call_command("demo_data")
    out = tmp_path / "c.json"
    call_command("credential_sample", kind=kind, out=str(out))
    number = capsys.readouterr().out.strip().splitlines()[-1].removeprefix("number: ")
    record = IssuedCredential.objects.get(number=number)
    assert record.kind == kind and record.organisation.short_name == "JIC"
    document = json.loads(out.read_text())
    assert document == record.credential and credential_verify_json(document).verified
    assert bool(record.pdf) == (kind == "youthpass")


def test_credential_sample_without_demo_data(db, tmp_path):
    with pytest.raises(CommandError, match="demo_data"):
        call_command("credential_sample", kind="youthpass", out=str(tmp_path / "c.json"))
