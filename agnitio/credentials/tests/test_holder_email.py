"""A holder is found by their confirmed addresses whatever the case (agnitio.core.emails): `Anna@Example.lv` opens
documents issued to `anna@example.lv` and the other way round, with one indexed query; unconfirmed addresses
never count. Holder addresses are stored normalised (migration 0010 for older rows, a check constraint after)."""

import datetime
import itertools

import pytest
from allauth.account.models import EmailAddress
from django.db import IntegrityError, connection, transaction

from agnitio.core.emails import email_normalise, email_q, emails_normalise, verified_emails
from agnitio.core.search import search_key
from agnitio.credentials import selectors
from agnitio.credentials.models import IssuedCredential, StatusList
from agnitio.credentials.numbering import code_generate

pytestmark = pytest.mark.django_db

_serial = itertools.count(1)


@pytest.fixture
def anna(make_user):
    """A holder whose confirmed address is written with capitals (allauth keeps what was created)."""
    user = make_user("Anna@Example.lv")
    assert EmailAddress.objects.get(user=user).email == "Anna@Example.lv"
    return user


def _rows(organisation, n, **fields):
    """n issued documents as rows (the lists only read rows)."""
    status_list, _created = StatusList.objects.get_or_create(organisation=organisation, purpose="revocation",
                                                             defaults={"bits": b""})
    rows = []
    for _i in range(n):
        serial = next(_serial)
        values = {"kind": "youthpass", "holder_name": f"Dalībnieks {serial}", "holder_email": f"p{serial}@example.org",
                  "issued_on": datetime.date(2026, 11, 20), "achievement": {"name": f"Youthpass {serial}"},
                  "languages": ["lv"], **fields}
        rows.append(IssuedCredential(
            organisation=organisation, number=f"YP-2026-{serial:06d}-9", code=code_generate(),
            credential_uid=f"urn:uuid:holder-email-{serial}", status_list=status_list, status_index=serial,
            holder_name_search=search_key(values["holder_name"]), **values))
    return IssuedCredential.objects.bulk_create(rows)


def test_the_rule():
    assert email_normalise("  Anna@Example.LV ") == "anna@example.lv" and email_normalise(None) == ""
    assert emails_normalise(["A@b.lv", "a@B.lv ", "", None]) == {"a@b.lv"}
    assert not IssuedCredential.objects.filter(email_q("holder_email", [])).exists()


def test_a_capitalised_confirmed_address_opens_documents_issued_to_the_lower_case_one(client, anna, issue):
    lower = issue(holder_email="anna@example.lv")
    capitals = issue(holder_email="ANNA@EXAMPLE.LV ")
    assert capitals.holder_email == "anna@example.lv"  # stored normalised
    assert verified_emails(anna) == {"anna@example.lv"}
    client.force_login(anna)
    html = client.get("/wallet/").content.decode()
    assert lower.code in html and capitals.code in html
    assert client.get(f"/wallet/{lower.public_id}/credential.json").status_code == 200


def test_holder_credential_list_compares_normalised(anna, issue, organisation):
    mine = issue(holder_email="anna@example.lv")
    issue(holder_email="someone@example.lv")
    assert list(selectors.holder_credential_list(emails={"Anna@Example.LV"}, ids=[])) == [mine]
    assert list(selectors.holder_credential_list(emails={" ANNA@example.lv"}, ids=[])) == [mine]
    assert list(selectors.holder_credential_list(emails=set(), ids=[mine.pk])) == [mine]
    assert not selectors.holder_credential_list(emails=set(), ids=[]).exists()


def test_only_confirmed_addresses_count_whatever_their_case(client, make_user, issue):
    user = make_user("me@example.lv")
    EmailAddress.objects.create(user=user, email="Other@Example.lv", verified=False)
    theirs = issue(holder_email="other@example.lv")
    client.force_login(user)
    assert theirs.code not in client.get("/wallet/").content.decode()
    assert client.get(f"/wallet/{theirs.public_id}/credential.json").status_code == 404
    assert not selectors.holder_credential_list(emails=verified_emails(user), ids=[]).filter(pk=theirs.pk).exists()


def test_the_data_export_carries_documents_of_a_capitalised_address(client, anna, issue):
    import io
    import json
    import zipfile

    from agnitio.accounts.privacy import personal_data_export

    credential = issue(holder_email="anna@example.lv")
    with zipfile.ZipFile(io.BytesIO(personal_data_export(actor=anna))) as archive:
        data = json.loads(archive.read("personal-data.json"))
    assert [d["number"] for d in data["documents"]] == [credential.number]


def test_an_address_that_is_not_normalised_cannot_be_stored(organisation):
    with pytest.raises(IntegrityError), transaction.atomic():
        _rows(organisation, 1, holder_email="Anna@Example.lv")
    assert not IssuedCredential.objects.exists()


def test_the_wallet_query_uses_the_holder_index(anna, organisation):
    """EXPLAIN of the wallet's first page with 3,000 other documents: an index scan on
    credential_holder_issued_idx (PostgreSQL after ANALYZE; SQLite's planner picks it as well)."""
    from agnitio.credentials.selectors import LIST_ORDER, wallet_credential_search

    _rows(organisation, 3000)
    mine = _rows(organisation, 5, holder_email="anna@example.lv")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE credentials_issuedcredential" if connection.vendor == "postgresql" else "ANALYZE")
    page = wallet_credential_search(actor=anna).order_by(*LIST_ORDER)[:20]
    assert {c.pk for c in page} == {c.pk for c in mine}
    plan = page.explain()
    assert "credential_holder_issued_idx" in plan, plan
    everything = selectors.holder_credential_list(emails=verified_emails(anna), ids=[])
    assert everything.count() == 5
    assert "credential_holder_issued_idx" in everything.explain(), everything.explain()


@pytest.mark.django_db(transaction=True)
def test_older_rows_are_normalised_by_the_migration(make_user, organisation):
    from agnitio.credentials.tests.migrating import before_migration

    with before_migration(("credentials", "0010_holder_email_normalised")) as old:
        StatusListThen = old.get_model("credentials", "StatusList")  # noqa: N806
        IssuedThen = old.get_model("credentials", "IssuedCredential")  # noqa: N806
        status_list = StatusListThen.objects.create(organisation_id=organisation.pk, purpose="revocation",
                                                    bits=b"")
        common = {"organisation_id": organisation.pk, "kind": "youthpass", "holder_name": "Anna",
                  "issued_on": datetime.date(2026, 1, 5), "status_list": status_list, "languages": ["lv"]}
        IssuedThen.objects.create(number="YP-2026-000001-7", credential_uid="urn:uuid:m1", status_index=0,
                                  code="AAAA-BBBB-CCCC-DDD1", holder_email="Anna@Example.LV", **common)
        IssuedThen.objects.create(number="YP-2026-000002-5", credential_uid="urn:uuid:m2", status_index=1,
                                  code="AAAA-BBBB-CCCC-DDD2", holder_email=" anna@example.lv ", **common)
        IssuedThen.objects.create(number="YP-2026-000003-3", credential_uid="urn:uuid:m3", status_index=2,
                                  code="AAAA-BBBB-CCCC-DDD3", holder_email="", **common)
    assert list(IssuedCredential.objects.order_by("number").values_list("holder_email", flat=True)) == [
        "anna@example.lv", "anna@example.lv", ""]
    anna = make_user("ANNA@example.lv")
    assert selectors.holder_credential_list(emails=verified_emails(anna), ids=[]).count() == 2
