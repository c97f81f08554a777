"""The data migrations of issue 9: records issued before get a random code (and keep verifying), status lists learn
which positions are taken, credentials superseded before get their status bit (list re-signed), and every
organisation and the platform get a signing key so that reading a DID document never has to create one."""

import datetime

import pytest

from agnitio.credentials.formats.status import MIN_BITS, bit_get, decode_list, status_list_credential
from agnitio.credentials.numbering import code_normalise
from agnitio.credentials.tests.migrating import before_migration

# the first of the issue-9 migrations (0002 to 0005): back to just before it, then forward to the latest state
FIRST = ("credentials", "0002_issued_code_and_status_allocation")


@pytest.mark.django_db(transaction=True)
def test_existing_records_get_codes_bits_and_keys():
    from agnitio.credentials.dids import did_for, site_url
    from agnitio.credentials.signing.keys import encrypt_private_key, new_key, public_key_multibase
    from agnitio.credentials.signing.proofs import proof_add

    with before_migration(FIRST) as old:
        Organisation = old.get_model("organisations", "Organisation")  # noqa: N806
        IssuerKey = old.get_model("credentials", "IssuerKey")  # noqa: N806
        StatusList = old.get_model("credentials", "StatusList")  # noqa: N806
        IssuedCredential = old.get_model("credentials", "IssuedCredential")  # noqa: N806
        IssuerKey.objects.all().delete()

        issuing = Organisation.objects.create(legal_name="Biedrība Vecā", country="LV", address="Rīga", email="a@b.lv")
        keyless = Organisation.objects.create(legal_name="Association Sans Clé", country="FR", address="Paris",
                                              email="c@d.fr")
        private = new_key()
        IssuerKey.objects.create(organisation=issuing, key_id="key-1", is_active=True,
                                 public_key_multibase=public_key_multibase(private.public_key()),
                                 private_key_encrypted=encrypt_private_key(private))
        url = site_url(f"/issuers/{issuing.public_id}/status/revocation")
        unsigned = status_list_credential(url=url, issuer=did_for(issuing), purpose="revocation",
                                          bits=bytes(MIN_BITS // 8), valid_from="2026-01-01T00:00:00Z")
        status_list = StatusList.objects.create(
            organisation=issuing, purpose="revocation", length=MIN_BITS, bits=bytes(MIN_BITS // 8), next_index=2,
            credential=proof_add(document=unsigned, private_key=private,
                                 verification_method=f"{did_for(issuing)}#key-1"))
        common = {"organisation": issuing, "kind": "youthpass", "holder_name": "Anna", "issued_on":
                  datetime.date(2026, 1, 5), "status_list": status_list, "languages": ["lv"]}
        valid = IssuedCredential.objects.create(number="YP-2026-000001-7", credential_uid="urn:uuid:1", status_index=0,
                                                **common)
        replaced = IssuedCredential.objects.create(number="YP-2026-000002-5", credential_uid="urn:uuid:2",
                                                   status_index=70_000, status="superseded", **common)
    # leaving the block migrated forward to the latest state of every app

    from agnitio.credentials.models import IssuedCredential as Current
    from agnitio.credentials.models import IssuerKey as CurrentKey
    from agnitio.credentials.models import StatusList as CurrentList
    from agnitio.credentials.verification import credential_verify_json

    codes = dict(Current.objects.values_list("pk", "code"))
    assert set(codes) == {valid.pk, replaced.pk} and len(set(codes.values())) == 2
    assert all(code_normalise(code) == code for code in codes.values())
    status = CurrentList.objects.get(pk=status_list.pk)
    assert status.next_index == 2
    assert bit_get(bytes(status.allocated), 0) and bit_get(bytes(status.allocated), 70_000)
    assert not bit_get(bytes(status.allocated), 1)
    bits = decode_list(status.credential["credentialSubject"]["encodedList"])
    assert bit_get(bits, 70_000) and not bit_get(bits, 0) and bytes(status.bits) == bits
    assert credential_verify_json(status.credential).verified  # re-signed with the organisation's key
    assert CurrentKey.objects.filter(organisation_id=keyless.pk, is_active=True).count() == 1
    assert CurrentKey.objects.filter(organisation=None).count() == 1
    assert CurrentKey.objects.filter(organisation_id=issuing.pk).count() == 1  # it had one: no second
