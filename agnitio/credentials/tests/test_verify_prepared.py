"""The look-up by code reads fewer columns through a prepared query (core.prepared; verification._BY_CODE): the
API's JSON and the page's HTML (and their headers) are byte for byte what the plain ORM look-up gave, for valid,
revoked, expired, superseded, erased, unknown and malformed codes, and for every shape of the document's issuer."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agnitio.core.testing import per_answer_masked
from agnitio.credentials import verification
from agnitio.credentials.models import IssuedCredential
from agnitio.credentials.numbering import code_check_symbol, code_format
from agnitio.credentials.services import credential_revoke


class _PlainOrm:
    """What credential_verify_code asked before: the whole row and its organisation."""

    def one(self, *, code):
        try:
            return IssuedCredential.objects.select_related("organisation").get(code=code)
        except IssuedCredential.DoesNotExist:
            return None


def _answer(client, path: str) -> tuple:
    cache.clear()  # neither the page's fragment cache nor the throttle carries over from the other run
    response = client.get(path, REMOTE_ADDR="192.0.2.77")
    headers = sorted((name, per_answer_masked(value)) for name, value in response.headers.items()
                     if name.lower() != "set-cookie")
    return response.status_code, headers, per_answer_masked(response.content)


@pytest.fixture
def documents(issue, admin, organisation):
    valid = issue()
    revoked = issue(holder_name="Jānis Ozoliņš 💧")
    credential_revoke(actor=admin, credential=revoked, reason="Izsniegts kļūdas pēc — \"citāts\" <b>")
    expired = issue(issued_on=datetime.date(2020, 1, 1), valid_until=datetime.date(2021, 1, 1))
    old = issue()
    issue(supersedes=old)
    erased = issue()
    IssuedCredential.objects.filter(pk=erased.pk).update(holder_erased_at=datetime.datetime(
        2026, 1, 2, tzinfo=datetime.UTC), holder_name="", holder_email="")
    shapes = {}
    for name, issuer in [("string", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"),
                         ("missing", None), ("odd_string", "true"), ("number", 7), ("list", ["did:x"])]:
        credential = issue()
        body = dict(credential.credential)
        body.pop("issuer")
        if issuer is not None:
            body["issuer"] = issuer
        IssuedCredential.objects.filter(pk=credential.pk).update(credential=body)
        shapes[name] = credential
    organisation.identity_verified_at = datetime.datetime(2026, 3, 4, 5, 6, tzinfo=datetime.UTC)
    organisation.save()
    return {"valid": valid, "revoked": revoked, "expired": expired, "superseded": old, "erased": erased, **shapes}


def _paths(documents) -> list[str]:
    never = code_format("ZZZZZZZZZZZZZZZ" + code_check_symbol("ZZZZZZZZZZZZZZZ"))
    codes = [d.code for d in documents.values()] + [
        never, documents["valid"].code.lower().replace("-", ""), "not-a-code", "ABCD", "ĀĒĪŪ-1234", "2026-LV-000001"]
    return [f"{prefix}{code}" for code in codes for prefix in ("/api/v1/verify/", "/verify/")]


@pytest.mark.parametrize("language", ["en", "lv"])
def test_api_and_page_are_byte_identical_to_the_plain_orm(client, documents, monkeypatch, language):
    client.cookies["django_language"] = language
    paths = _paths(documents)
    after = {path: _answer(client, path) for path in paths}
    with monkeypatch.context() as patched:
        patched.setattr(verification, "_BY_CODE", _PlainOrm())
        before = {path: _answer(client, path) for path in paths}
    for path in paths:
        assert after[path][:2] == before[path][:2], path
        assert after[path][2] == before[path][2], path
    statuses = {path: after[path][0] for path in paths}
    assert statuses[f"/api/v1/verify/{documents['valid'].code}"] == 200
    assert '"status": "revoked"' in after[f"/api/v1/verify/{documents['revoked'].code}"][2]
    assert '"identity_verified": true' in after[f"/api/v1/verify/{documents['valid'].code}"][2]
    assert "did:key:z6Mk" in after[f"/api/v1/verify/{documents['string'].code}"][2]


def test_the_look_up_reads_no_signed_body_and_queries_as_before(client, documents):
    """One query for the document and its issuer (plus the superseding document's code when superseded); the
    signed JSON body is not read, only its issuer."""
    credential = verification.credential_verify_code(documents["valid"].code).credential
    assert "credential" in credential.get_deferred_fields() and not credential.organisation.get_deferred_fields()
    for name, extra in [("valid", 0), ("revoked", 0), ("expired", 0), ("superseded", 1)]:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/api/v1/verify/{documents[name].code}", REMOTE_ADDR="192.0.2.78")
        assert response.status_code == 200
        looked_up = [q["sql"] for q in captured if "credentials_issuedcredential" in q["sql"]]
        assert len(looked_up) == 1 + extra, looked_up


def test_a_revocation_shows_on_the_next_look_up(client, documents, admin):
    credential = documents["valid"]
    assert client.get(f"/api/v1/verify/{credential.code}").json()["status"] == "valid"
    credential_revoke(actor=admin, credential=credential, reason="x")
    assert client.get(f"/api/v1/verify/{credential.code}").json()["status"] == "revoked"
