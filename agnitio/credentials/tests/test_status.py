"""Revocation (point 5): Bitstring Status List, signed, updated at once; permissions leave nothing changed."""

import json

import pytest

from agnitio.core.errors import ApplicationError, NotFound, PermissionDenied
from agnitio.core.models import AuditEvent
from agnitio.credentials.formats.status import bit_get, decode_list, encode_list
from agnitio.credentials.models import IssuedCredential, StatusList
from agnitio.credentials.services import credential_revoke
from agnitio.credentials.verification import credential_verify_json

from .node_check import node_available, node_verify


def _bits(client, organisation) -> tuple[dict, bytes]:
    response = client.get(f"/issuers/{organisation.public_id}/status/revocation")
    assert response.status_code == 200
    document = response.json()
    return document, decode_list(document["credentialSubject"]["encodedList"])


def test_encoding_round_trip():
    bits = bytes(16384)
    encoded = encode_list(bits)
    assert encoded.startswith("u") and "=" not in encoded
    assert decode_list(encoded) == bits


def test_status_list_is_served_signed_and_long_enough(issue, client, organisation):
    issue()
    document, bits = _bits(client, organisation)
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["credentialSubject"]["type"] == "BitstringStatusList"
    assert document["credentialSubject"]["statusPurpose"] == "revocation"
    assert len(bits) * 8 >= 131072 and not any(bits)
    assert credential_verify_json(document).verified


def test_revoke_flips_the_bit_at_once_and_fails_verification(issue, client, admin, organisation):
    keep, revoke = issue(), issue()
    credential_revoke(actor=admin, credential=revoke, reason="Issued to the wrong person")
    revoke.refresh_from_db()
    assert revoke.status == "revoked" and revoke.revoked_at and revoke.revocation_reason == "Issued to the wrong person"
    document, bits = _bits(client, organisation)
    assert bit_get(bits, revoke.status_index) and not bit_get(bits, keep.status_index)
    assert credential_verify_json(document).verified  # the list was re-signed
    result = credential_verify_json(revoke.credential)
    assert not result.verified and result.status == "revoked"
    assert credential_verify_json(keep.credential).verified
    event = AuditEvent.objects.get(verb="credential_revoke")
    assert event.actor == admin and event.changes["revocation_reason"] == ["", "Issued to the wrong person"]
    if reason := node_available():
        pytest.fail(reason, pytrace=False)
    assert node_verify(keep.credential, organisation=organisation)["verified"]
    node = node_verify(revoke.credential, organisation=organisation)
    assert not node["verified"] and "revocation" in node["error"]


def test_revoke_needs_a_reason_and_only_once(issue, admin):
    credential = issue()
    with pytest.raises(ApplicationError):
        credential_revoke(actor=admin, credential=credential, reason="  ")
    credential.refresh_from_db()
    assert credential.status == "valid"
    credential_revoke(actor=admin, credential=credential, reason="Mistake")
    with pytest.raises(ApplicationError):
        credential_revoke(actor=admin, credential=credential, reason="Again")


@pytest.mark.parametrize(("who", "error"), [("editor", PermissionDenied), ("outsider", NotFound)])
def test_revoke_denied_changes_nothing(request, issue, organisation, who, error):
    credential = issue()
    status_list = StatusList.objects.get(organisation=organisation)
    before = (bytes(status_list.bits), status_list.credential)
    with pytest.raises(error):
        credential_revoke(actor=request.getfixturevalue(who), credential=credential, reason="No")
    credential.refresh_from_db()
    status_list.refresh_from_db()
    assert credential.status == "valid" and credential.revocation_reason == ""
    assert (bytes(status_list.bits), status_list.credential) == before
    assert not AuditEvent.objects.filter(verb="credential_revoke").exists()


def test_revoke_view(issue, client, admin, editor, organisation):
    credential = issue()
    client.force_login(editor)
    client.post(f"/credentials/{credential.public_id}/revoke", {"reason": "no"})
    assert IssuedCredential.objects.get(pk=credential.pk).status == "valid"
    client.force_login(admin)
    page = client.get(f"/credentials/organisation/{organisation.public_id}/")
    assert page.status_code == 200 and credential.number in page.content.decode() and credential.code in \
        page.content.decode()
    response = client.post(f"/credentials/{credential.public_id}/revoke", {"reason": "Duplicate"})
    assert response.status_code == 302
    assert IssuedCredential.objects.get(pk=credential.pk).status == "revoked"


def test_outsider_does_not_see_the_issued_list(issue, client, outsider, organisation):
    issue()
    client.force_login(outsider)
    assert client.get(f"/credentials/organisation/{organisation.public_id}/").status_code == 404


def test_members_download_the_files_others_do_not(issue, client, editor, outsider):
    from agnitio.documents.sample import youthpass_sample

    credential = issue(pdf_data=youthpass_sample(images=False))
    client.force_login(editor)
    assert client.get(credential.json_url).json() == credential.credential
    assert b"".join(client.get(credential.pdf_url).streaming_content).startswith(b"%PDF-")
    client.force_login(outsider)
    assert client.get(credential.json_url).status_code == 404
    assert client.get(credential.pdf_url).status_code == 404


def test_admin_pages_hide_private_keys(issue, client, make_user, staff_login):
    credential = issue()
    superuser = make_user("root@example.org", is_superuser=True, is_staff=True)
    staff_login(client, superuser)
    assert credential.number in client.get("/admin/credentials/issuedcredential/").content.decode()
    key = credential.organisation.issuer_keys.get()
    page = client.get(f"/admin/credentials/issuerkey/{key.pk}/change/").content.decode()
    assert key.public_key_multibase in page and key.private_key_encrypted not in page


# ---- Issue 9, point 6: supersession visible to every verifier; random positions ------------------------------


def test_superseding_sets_the_status_bit_and_every_verifier_sees_it(issue, client, organisation):
    old = issue()
    new = issue(supersedes=old)
    document, bits = _bits(client, organisation)
    assert bit_get(bits, old.status_index) and not bit_get(bits, new.status_index)
    assert credential_verify_json(document).verified  # re-signed at once
    ours = credential_verify_json(old.credential)
    assert not ours.verified and ours.status == "superseded" and ours.credential == old
    html = client.post("/verify/", {"credential_json": json.dumps(old.credential)}).content.decode()
    assert "replaced by a newer document" in html and new.code in html
    # Digital Bazaar's verifier, with the status list as served: revoked. The checker must run (never skipped).
    assert not node_available(), node_available()
    node = node_verify(old.credential, organisation=organisation)
    assert not node["verified"] and "credential status: revocation" in node["error"], node
    assert node_verify(new.credential, organisation=organisation)["verified"]


def test_status_indexes_are_random_and_distinct(issue, organisation):
    credentials = [issue() for _ in range(12)]
    indexes = [c.status_index for c in credentials]
    assert len(set(indexes)) == 12
    assert indexes != list(range(12)) and sorted(indexes) != list(range(12))
    status_list = StatusList.objects.get(organisation=organisation)
    assert status_list.next_index == 12
    allocated = bytes(status_list.allocated)
    assert all(bit_get(allocated, i) for i in indexes)
    assert sum(bin(b).count("1") for b in allocated) == 12
    for credential in credentials:
        entry = credential.credential["credentialStatus"]
        assert entry["statusListIndex"] == str(credential.status_index)


def test_allocation_never_reuses_a_position_and_fills_a_crowded_list(organisation):
    from django.db import transaction

    from agnitio.credentials.formats.status import bit_set
    from agnitio.credentials.services import status_index_allocate, status_list_for_update

    with transaction.atomic():
        status_list = status_list_for_update(organisation=organisation)
        # Leave only three positions free: the random draws mostly miss, the fallback finds exactly those.
        free = {5, 77_777, status_list.length - 1}
        allocated = b"\xff" * (status_list.length // 8)
        for index in free:
            allocated = bit_set(allocated, index, False)
        status_list.allocated = allocated
        status_list.next_index = status_list.length - len(free)
        status_list.save()
        taken = {status_index_allocate(status_list=status_list) for _ in range(3)}
        assert taken == free
        with pytest.raises(ApplicationError):
            status_index_allocate(status_list=status_list)
