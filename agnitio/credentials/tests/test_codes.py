"""Issue 9, point 5: look-up codes cannot be enumerated. The code on documents, in QR codes and at /verify/<code>
and /api/v1/verify/<code> is random (75 bits), Crockford base32 in groups of four with a check symbol, read
tolerantly; a register number never opens a public page."""

import json
import math

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agnitio.credentials.numbering import (
    CODE_ALPHABET,
    CODE_RANDOM_SYMBOLS,
    CODE_RE,
    code_check_symbol,
    code_format,
    code_generate,
    code_normalise,
)
from agnitio.credentials.verification import credential_verify_code


def test_codes_are_random_with_at_least_64_bits():
    assert CODE_RANDOM_SYMBOLS * math.log2(len(CODE_ALPHABET)) >= 64
    codes = {code_generate() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(CODE_RE.match(c) and code_normalise(c) == c for c in codes)
    # Every symbol position takes every value: nothing sequential or fixed in them.
    for position in range(CODE_RANDOM_SYMBOLS):
        compact = [c.replace("-", "")[position] for c in codes]
        assert len(set(compact)) == len(CODE_ALPHABET)


def test_check_symbol_catches_every_single_error_and_adjacent_swap():
    for _ in range(50):
        compact = code_generate().replace("-", "")
        for i in range(len(compact)):
            for symbol in CODE_ALPHABET:
                if symbol != compact[i]:
                    assert code_normalise(compact[:i] + symbol + compact[i + 1:]) is None
        for i in range(len(compact) - 1):
            if compact[i] != compact[i + 1]:
                swapped = compact[:i] + compact[i + 1] + compact[i] + compact[i + 2:]
                assert code_normalise(swapped) is None


def test_codes_are_read_tolerantly():
    body = "0123456789ABCDE"
    code = code_format(body + code_check_symbol(body))
    compact = code.replace("-", "")
    typed = [code.lower(), f"  {compact} ", " ".join(code.split("-")), code.replace("-", "–"),
             code.replace("0", "O").replace("1", "I").lower(), code.replace("1", "L")]
    for variant in typed:
        assert code_normalise(variant) == code, variant
    for bad in ["", "1234", compact + "0", "U" * 16, "YP-2026-000123-7", None, "a/b", "x" * 100]:
        assert code_normalise(bad) is None


def test_issued_credentials_get_distinct_random_codes(issue):
    credentials = [issue() for _ in range(5)]
    codes = [c.code for c in credentials]
    assert len(set(codes)) == 5 and all(code_normalise(c) == c for c in codes)
    assert all(c.code != c.number and c.credential["description"].endswith(f"/verify/{c.code}")
               for c in credentials)
    assert credentials[0].get_absolute_url() == f"/verify/{credentials[0].code}"


def _neighbours(code: str):
    """Every well-formed code one symbol away (with its check symbol recomputed): what someone who holds one code
    would try to find others."""
    compact = code.replace("-", "")[:CODE_RANDOM_SYMBOLS]
    for i in range(CODE_RANDOM_SYMBOLS):
        for symbol in CODE_ALPHABET:
            if symbol != compact[i]:
                body = compact[:i] + symbol + compact[i + 1:]
                yield code_format(body + code_check_symbol(body))


def test_neighbours_of_a_code_never_resolve(client, issue, settings):
    settings.AGNITIO_VERIFY_RATE_LIMIT = ""
    credentials = [issue() for _ in range(3)]
    issued = {c.code for c in credentials}
    checked = 0
    for credential in credentials:
        for neighbour in _neighbours(credential.code):
            if neighbour in issued:
                continue
            result = credential_verify_code(neighbour)
            assert result.credential is None and not result.verified
            checked += 1
    assert checked >= 3 * 15 * 31 - 6
    # Through the page and the API as well (a sample: the same function answers both).
    for neighbour in list(_neighbours(credentials[0].code))[:40]:
        page = client.get(f"/verify/{neighbour}")
        assert page.status_code == 404 and "Anna" not in page.content.decode()
        assert client.get(f"/api/v1/verify/{neighbour}").status_code == 404
    assert client.get(f"/verify/{credentials[0].code}").status_code == 200


def test_register_numbers_never_open_a_public_page(client, issue):
    """Old QR codes held the sequential number: the page asks for the code or the file, the same for an issued
    number and for one never issued, and names nobody."""
    from agnitio.credentials.numbering import number_format

    credential = issue()
    unissued = number_format(kind="youthpass", year=2026, sequence=999999)
    pages = []
    for number in (credential.number, unissued, credential.number.lower().replace("-", " ")):
        response = client.get(f"/verify/{number}")
        html = response.content.decode()
        assert response.status_code == 200
        assert "Document numbers no longer open a verification page" in html
        for private in ("Anna Bērziņa", credential.organisation.legal_name, credential.code, "Authentic"):
            assert private not in html
        pages.append(html.split('id="result-heading"')[1].split("</section>")[0])
        api = client.get(f"/api/v1/verify/{number}")
        assert api.status_code == 404 and "document" not in api.json() and "Anna" not in api.content.decode()
    assert pages[0] == pages[1]
    # The form: a number typed there gets the same answer, never a redirect to a look-up.
    response = client.get("/verify/", {"code": credential.number})
    assert response.status_code == 200 and "Document numbers no longer open" in response.content.decode()
    response = client.get("/verify/", {"number": credential.number})  # the field's name on earlier pages
    assert response.status_code == 200 and "Anna" not in response.content.decode()


def test_documents_issued_before_codes_keep_verifying_by_file(client, issue):
    """What an old document's holder still has: its PDF and its credential JSON (the migration gave the record a
    code; the file itself is unchanged)."""
    from agnitio.documents.sample import youthpass_sample

    credential = issue(pdf_data=youthpass_sample(images=False))
    pdf = credential.pdf.open("rb").read()
    html = client.post("/verify/", {"file": SimpleUploadedFile("old.pdf", pdf)}).content.decode()
    assert "Authentic</h2>" in html and credential.number in html
    html = client.post("/verify/", {"credential_json": json.dumps(credential.credential)}).content.decode()
    assert "Authentic</h2>" in html


@pytest.mark.parametrize("value", ["a/b", "../../etc", "%2F", "YP/2026", "\u202e", "x" * 39])
def test_odd_input_in_the_form_is_a_clear_400_never_a_500(client, db, value):
    for field in ("number", "code"):
        response = client.get("/verify/", {field: value})
        assert response.status_code == 400, (field, value)
        assert "not a valid verification code" in response.content.decode()


def test_pdf_shows_the_code_under_the_qr_code_and_in_the_footer(issue):
    from agnitio.documents.sample import youthpass_sample
    from agnitio.documents.tests.conftest import pdf_text

    credential = issue(pdf_data=youthpass_sample(images=False))
    text = pdf_text(credential.pdf.open("rb").read())
    assert credential.code in text and credential.number in text
    assert f"verify/{credential.code}" in text.replace("\n", "")
    assert f"verify/{credential.number}" not in text.replace("\n", "")

