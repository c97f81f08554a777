import subprocess

import pytest
from django.core.management import CommandError, call_command

from agnitio.documents.sample import HOSTILE, LATVIAN
from agnitio.documents.seal import pdf_seal_verify

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["lv", "en", "lv+en"])
def test_document_sample_writes_a_sealed_pdf_with_hostile_text_printed_literally(tmp_path, language):
    out = tmp_path / "sample.pdf"
    call_command("document_sample", "--kind", "youthpass", "--out", str(out), "--language", language)
    pdf = out.read_bytes()
    check = pdf_seal_verify(pdf_bytes=pdf)
    assert check.intact, check.errors
    text = pdf_text(pdf)
    for s in ['#import "x"', "*bold*", "$x$", "<script>alert(1)</script>", "back\\slash \\\\ double", "]", "["]:
        assert s in text, s
    for word in ("שלום", "مرحبا", "😀", "🎉"):
        assert word in text
    assert LATVIAN in text
    assert HOSTILE[0] in text
    sig = subprocess.run(["pdfsig", str(out)], capture_output=True, text=True).stdout
    assert "Signature Validation: Signature is Valid." in sig


def test_document_sample_refuses_unknown_kind_or_language(tmp_path):
    with pytest.raises(CommandError):
        call_command("document_sample", "--kind", "nope", "--out", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError):
        call_command("document_sample", "--language", "de", "--out", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_document_sample_prints_the_verification_code_it_printed_on_the_pdf(tmp_path, capsys):
    from agnitio.credentials.numbering import code_normalise

    out = tmp_path / "sample.pdf"
    call_command("document_sample", "--kind", "youthpass", "--out", str(out), "--language", "en")
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("number: ")
    code = last.removeprefix("number: ")
    assert code_normalise(code) == code  # a well-formed random-style code, not a register number
    text = pdf_text(out.read_bytes())
    assert code in text and f"verify/{code}" in text  # under the QR code, and in the footer's URL
    assert "Verification code" in text
