"""Learner wallet (point 7): confirmed e-mail, downloads, share links with expiry, export, received credentials."""

import datetime
import io
import json
import re
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.models import AuditEvent
from agnitio.core.tokens import token_hash
from agnitio.credentials import selectors, services
from agnitio.credentials.models import ShareLink, WalletItem
from agnitio.credentials.signing.keys import new_key, public_key_multibase
from agnitio.credentials.signing.loader import OB_V3, VC_V2
from agnitio.credentials.signing.proofs import proof_add


def _external_credential(*, did: str | None = None, name: str = "Volunteering badge") -> dict:
    private = new_key()
    multikey = public_key_multibase(private.public_key())
    did = did or f"did:key:{multikey}"
    document = {
        "@context": [VC_V2, OB_V3], "id": "urn:uuid:5f0e9d43-7d0b-4f0e-9f4c-1e0b8d3b1a11",
        "type": ["VerifiableCredential", "AchievementCredential"], "name": name,
        "issuer": {"id": did, "type": ["Profile"], "name": "Other Issuer"},
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
            "id": "urn:uuid:0c3a1b5e-2a7f-4d1e-8f55-3b1d2c4e5f60", "type": ["Achievement"], "name": name,
            "description": "d", "criteria": {"narrative": "n"}}},
    }
    return proof_add(document=document, private_key=private, verification_method=f"{did}#{multikey}")


def test_wallet_lists_credentials_of_confirmed_addresses_across_organisations(
        client, holder, issue, outsider, other_organisation):
    mine = issue()
    theirs = issue(actor=outsider, org=other_organisation, holder_email="HOLDER@example.org")
    not_mine = issue(holder_email="someone@example.org")
    client.force_login(holder)
    html = client.get("/wallet/").content.decode()
    assert mine.code in html and theirs.code in html and not_mine.code not in html


def test_unconfirmed_address_opens_nothing(client, make_user, issue):
    user = make_user("holder@example.org")
    EmailAddress.objects.filter(user=user).update(verified=False)
    credential = issue()
    client.force_login(user)
    html = client.get("/wallet/").content.decode()
    assert credential.code not in html and "Confirm your e-mail address" in html
    assert client.get(f"/wallet/{credential.public_id}/credential.json").status_code == 404


def test_downloads_json_and_pdf(client, holder, issue):
    from agnitio.documents.sample import youthpass_sample

    credential = issue(pdf_data=youthpass_sample(images=False))
    client.force_login(holder)
    response = client.get(f"/wallet/{credential.public_id}/credential.json")
    assert response.status_code == 200 and json.loads(response.content) == credential.credential
    pdf = client.get(f"/wallet/{credential.public_id}/document.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF-")
    edc = client.get(f"/credentials/{credential.public_id}/edc.jsonld")
    assert edc.status_code == 200 and json.loads(edc.content)["identifier"]["notation"] == credential.number


def test_another_person_cannot_reach_the_credential(client, make_user, issue):
    credential = issue()
    stranger = make_user("stranger@example.org")
    client.force_login(stranger)
    assert client.get(f"/wallet/{credential.public_id}/").status_code == 404
    assert client.get(f"/wallet/{credential.public_id}/credential.json").status_code == 404
    assert client.get(f"/credentials/{credential.public_id}/credential.json").status_code == 404
    response = client.post(f"/wallet/{credential.public_id}/share", {"expires_on": "2099-01-01"})
    assert response.status_code == 404
    with pytest.raises(NotFound):
        services.share_link_create(actor=stranger, credential=credential,
                                   expires_on=timezone.localdate() + datetime.timedelta(days=3))
    assert ShareLink.objects.count() == 0


def test_share_link_expiry_and_revocation(client, holder, issue):
    credential = issue()
    link, token = services.share_link_create(actor=holder, credential=credential,
                                             expires_on=timezone.localdate() + datetime.timedelta(days=7))
    assert AuditEvent.objects.filter(verb="share_link_create", object_id=link.public_id).exists()
    anonymous = client.get(f"/shared/{token}")
    assert anonymous.status_code == 200 and "Anna Bērziņa" in anonymous.content.decode()
    assert json.loads(client.get(f"/shared/{token}/credential.json").content) == credential.credential
    # Expired: the link stops working.
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(f"/shared/{token}").status_code == 404
    # Revoked: the same.
    link2, token2 = services.share_link_create(actor=holder, credential=credential,
                                               expires_on=timezone.localdate())
    assert client.get(f"/shared/{token2}").status_code == 200
    client.force_login(holder)
    assert client.post(f"/wallet/share/{link2.public_id}/revoke").status_code == 302
    client.logout()
    assert client.get(f"/shared/{token2}").status_code == 404
    assert AuditEvent.objects.filter(verb="share_link_revoke", object_id=link2.public_id).exists()


def test_share_link_rules(client, holder, make_user, issue):
    credential = issue()
    with pytest.raises(ApplicationError):
        services.share_link_create(actor=holder, credential=credential,
                                   expires_on=timezone.localdate() - datetime.timedelta(days=1))
    link, _token = services.share_link_create(actor=holder, credential=credential,
                                              expires_on=timezone.localdate() + datetime.timedelta(days=1))
    stranger = make_user("stranger@example.org")
    with pytest.raises(NotFound):
        services.share_link_revoke(actor=stranger, link=link)
    client.force_login(stranger)
    assert client.post(f"/wallet/share/{link.public_id}/revoke").status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_share_from_the_page(client, holder, issue):
    credential = issue()
    client.force_login(holder)
    expires = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    response = client.post(f"/wallet/{credential.public_id}/share", {"expires_on": expires}, follow=True)
    assert response.status_code == 200
    link = ShareLink.objects.get(credential=credential)
    assert link.expires_at.date().isoformat() == expires
    html = response.content.decode()
    token = re.search(r"/shared/([A-Za-z0-9_-]+)", html)[1]  # shown once, in the message
    assert link.token_hash == token_hash(token) and client.get(f"/shared/{token}").status_code == 200
    again = client.get(f"/wallet/{credential.public_id}/").content.decode()
    assert token not in again and "/shared/" not in again  # never shown again: only the hash is kept


def test_share_link_secret_is_stored_only_as_its_hash(holder, issue):
    credential = issue()
    link, token = services.share_link_create(actor=holder, credential=credential,
                                             expires_on=timezone.localdate() + datetime.timedelta(days=7))
    assert {f.name for f in ShareLink._meta.fields}.isdisjoint({"token", "secret"})
    stored = ShareLink.objects.filter(pk=link.pk).values().get()
    assert token not in str(stored) and stored["token_hash"] == token_hash(token)
    with pytest.raises(NotFound):  # the hash itself is not a link
        selectors.share_link_open(token=stored["token_hash"])
    assert selectors.share_link_open(token=token) == link


def test_export_everything(client, holder, issue):
    from agnitio.documents.sample import youthpass_sample

    first = issue(pdf_data=youthpass_sample(images=False))
    second = issue(kind="microcredential")
    services.wallet_item_store(actor=holder, document=_external_credential())
    client.force_login(holder)
    response = client.get("/wallet/export.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {f"{first.number}.json", f"{first.number}.pdf", f"{second.number}.json", "index.json"} <= names
    assert json.loads(archive.read(f"{second.number}.json")) == second.credential
    assert any(n.startswith("received/") for n in names)
    assert len(json.loads(archive.read("index.json"))) == 3


def test_store_credential_from_another_issuer_after_it_verifies(client, holder):
    client.force_login(holder)
    good = _external_credential()
    response = client.post("/wallet/store", {"file": SimpleUploadedFile("c.json", json.dumps(good).encode())},
                           follow=True)
    assert "verified and is stored" in response.content.decode()
    item = WalletItem.objects.get(user=holder)
    assert item.issuer_name == "Other Issuer"
    # The wallet names the DID that signed it; the name the document gives itself is shown as unchecked.
    page = client.get("/wallet/").content.decode()
    assert f"signed by <bdi>{item.issuer_id}</bdi>" in page
    assert "not checked by this service: <bdi>Other Issuer</bdi>" in page

    tampered = _external_credential(name="Badge")
    tampered["name"] = "Better badge"
    response = client.post("/wallet/store", {"file": SimpleUploadedFile("c.json", json.dumps(tampered).encode())},
                           follow=True)
    assert "Not stored" in response.content.decode()

    remote = _external_credential(did="did:web:issuer.example")
    response = client.post("/wallet/store", {"file": SimpleUploadedFile("c.json", json.dumps(remote).encode())},
                           follow=True)
    assert "cannot be resolved offline" in response.content.decode()
    assert WalletItem.objects.filter(user=holder).count() == 1


def test_remove_a_stored_credential_only_from_ones_own_wallet(client, holder, make_user):
    item = services.wallet_item_store(actor=holder, document=_external_credential())
    stranger = make_user("stranger@example.org")
    client.force_login(stranger)
    assert client.post(f"/wallet/received/{item.public_id}/delete").status_code == 404
    assert WalletItem.objects.filter(pk=item.pk).exists()
    client.force_login(holder)
    assert client.post(f"/wallet/received/{item.public_id}/delete").status_code == 302
    assert not WalletItem.objects.filter(pk=item.pk).exists()
    assert AuditEvent.objects.filter(verb="wallet_item_delete").exists()


def test_a_signed_credential_with_a_nul_is_refused_not_a_server_error(client, holder):
    """PostgreSQL's jsonb refuses U+0000: a validly signed credential holding one is refused with a message."""
    client.force_login(holder)
    signed = _external_credential(name="Badge\u0000with a NUL")
    response = client.post("/wallet/store", {"file": SimpleUploadedFile("c.json", json.dumps(signed).encode())},
                           follow=True)
    assert response.status_code == 200 and "NUL" in response.content.decode()
    assert not WalletItem.objects.filter(user=holder).exists()


def test_wallet_page_reads_the_holders_addresses_and_relations_once(client, holder, issue):
    """Issue 14 point 5: the page's three lists share one read of the holder's addresses and relations (each list
    alone read them again: 12 queries where 8 do), and list what the separate selectors list."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    mine = issue()
    client.force_login(holder)
    client.get("/wallet/")  # the first request after signing in writes the session
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/wallet/").content.decode()
    tables = [q["sql"].split(" FROM ")[1].split()[0] for q in captured.captured_queries if " FROM " in q["sql"]]
    assert tables.count('"account_emailaddress"') == 1
    # the relations (memberships, participations) are subqueries of the lists' queries, not queries of their own
    assert tables.count('"youthpass_participant"') == 0 and tables.count('"organisations_membership"') <= 1
    assert all('"youthpass_participant"' in q["sql"] for q in captured.captured_queries
               if q["sql"].split(" FROM ")[1].startswith('"credentials_issuedcredential"'))
    assert mine.code in html
    page = selectors.wallet_page(actor=holder)
    assert list(page.credentials) == list(selectors.wallet_credential_search(actor=holder))
    assert list(page.offers) == list(selectors.wallet_offer_summaries(actor=holder)) == []
    assert page.has_confirmed_email is True


def test_the_61st_credential_file_stored_in_an_hour_is_refused(client, holder):
    # storing a file in one's wallet is an upload like any other (AGNITIO_UPLOAD_RATE_LIMIT, 60/h by default)
    from agnitio.core.testing import spend_upload_budget

    client.force_login(holder)
    spend_upload_budget(holder, group="credentials.wallet_store", uses=59)
    good = json.dumps(_external_credential()).encode()
    response = client.post("/wallet/store", {"file": SimpleUploadedFile("c.json", good)})
    assert response.status_code == 302 and WalletItem.objects.filter(user=holder).count() == 1  # the 60th
    other = json.dumps(_external_credential(name="Another badge")).encode()
    response = client.post("/wallet/store", {"file": SimpleUploadedFile("c.json", other)})
    assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 3600
    assert "uploaded too many files" in response.content.decode()
    assert WalletItem.objects.filter(user=holder).count() == 1
