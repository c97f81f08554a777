"""The lists' first pages through prepared queries (core.prepared; ADR 0019): the issued list without a search for
an actor who sees every document, and the wallet of a holder with one confirmed address (its first page, offers and
stored credentials). The SQL is the plain ORM's with the values bound, the instances are the ORM's, and the pages
are byte for byte what the plain querysets give."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from agnitio.core.pagination import DEFAULT_SIZE
from agnitio.core.testing import per_answer_masked
from agnitio.core.tests.test_prepared import _same
from agnitio.credentials import selectors
from agnitio.credentials.models import IssuedCredential, WalletItem
from agnitio.credentials.tests.test_lists import DAY, make_documents  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

def _sql(queryset) -> tuple[str, tuple]:
    sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    return sql, tuple(params)


def _first_orm(queryset):
    return queryset.order_by(*selectors.LIST_ORDER)[:DEFAULT_SIZE + 1]


@pytest.fixture
def documents(owner, organisation, other_organisation, make_documents):  # noqa: F811 (the fixture)
    """60 documents of the organisation (more than a page; a holder's own among them, some revoked or expired),
    and an offer of another organisation to the owner."""
    made = [*make_documents(organisation, 30, holder_name="Anna \"Ā\" <b>"),
            *make_documents(organisation, 20, holder_email=owner.email, issued_on=DAY - datetime.timedelta(days=3)),
            *make_documents(organisation, 10, issued_on=DAY + datetime.timedelta(days=1))]
    IssuedCredential.objects.filter(pk__in=[c.pk for c in made[::7]]).update(status="revoked", revocation_reason="x")
    make_documents(other_organisation, 2, holder_email=owner.email, offered_via_api=True)
    WalletItem.objects.create(user=owner, issuer_id="did:web:example.org", name="Cits", credential={"a": 1},
                              verified_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC))
    return made


def test_the_issued_first_page_is_the_orms(owner, admin, editor, organisation, documents):
    for actor in (owner, admin):
        plain = _first_orm(selectors.issued_credential_search(actor=actor, organisation=organisation))
        assert selectors._ISSUED_FIRST.sql(organisation_id=organisation.pk) == _sql(plain)
        rows = selectors.issued_credential_first_rows(actor=actor, organisation=organisation, size=DEFAULT_SIZE)
        assert len(rows) == DEFAULT_SIZE + 1
        _same(rows, list(plain))
    # another size, or an editor (who sees only some documents): the queryset, not the prepared query
    assert selectors.issued_credential_first_rows(actor=owner, organisation=organisation, size=10) is None
    assert selectors.issued_credential_first_rows(actor=editor, organisation=organisation, size=DEFAULT_SIZE) is None


def test_the_issued_first_page_checks_the_actor(outsider, organisation, documents):
    from agnitio.core.errors import NotFound, PermissionDenied

    with pytest.raises((NotFound, PermissionDenied)):
        selectors.issued_credential_first_rows(actor=outsider, organisation=organisation, size=DEFAULT_SIZE)


def test_the_wallets_prepared_lists_are_the_orms(owner, documents):
    page = selectors.wallet_page(actor=owner)
    email, user_id = owner.email, owner.pk
    assert page._prepared
    first_plain = _first_orm(selectors.wallet_credential_search(actor=owner))
    assert selectors._WALLET_FIRST.sql(email=email, user_id=user_id) == _sql(first_plain)
    offers_plain = selectors.wallet_offer_summaries(actor=owner)
    assert selectors._WALLET_OFFERS.sql(email=email, user_id=user_id) == _sql(offers_plain)
    items_plain = selectors.wallet_item_summaries(actor=owner)
    assert selectors._WALLET_ITEMS.sql(user_id=user_id) == _sql(items_plain)
    first = page.first(DEFAULT_SIZE)
    assert len(first) == 20  # the owner's documents, not the offers
    _same(first, list(first_plain))
    assert len(page.offers) == 2
    _same(page.offers, list(offers_plain))
    _same(page.items, list(items_plain))
    assert page.first(10) is None
    assert selectors.wallet_page(actor=owner, filters=selectors.CredentialFilters(kind="youthpass")).first(
        DEFAULT_SIZE) is None


def test_a_holder_with_two_addresses_or_none_is_read_by_the_querysets(owner, make_user, documents):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=owner, email="second@example.org", verified=True)
    page = selectors.wallet_page(actor=owner)
    assert not page._prepared and page.first(DEFAULT_SIZE) is None
    assert list(page.offers) == list(selectors.wallet_offer_summaries(actor=owner))
    nobody = make_user("nobody@example.org")
    EmailAddress.objects.filter(user=nobody).update(verified=False)
    page = selectors.wallet_page(actor=nobody)
    assert not page._prepared and not page.has_confirmed_email and page.first(DEFAULT_SIZE) is None
    assert list(page.credentials) == list(page.offers) == list(page.items) == []


@pytest.mark.parametrize("language", ["lv", "en"])
def test_the_pages_are_the_querysets_pages(client, owner, organisation, documents, monkeypatch, language):
    # the whole page, through the prepared queries and through the plain querysets: the same bytes
    IssuedCredential.objects.filter(offered_via_api=True).update(holder_decision="accepted")
    issued_url = reverse("credentials:issued_list", args=[organisation.public_id])
    client.force_login(owner)
    client.get("/wallet/")  # the first request after signing in writes the session

    def pages():
        return [per_answer_masked(client.get(url, headers={"Accept-Language": language}).content)
                for url in (issued_url, "/wallet/")]

    prepared = pages()
    monkeypatch.setattr(selectors, "issued_credential_first_rows", lambda **kwargs: None)
    init = selectors.WalletPage.__init__

    def plain_init(self, **kwargs):
        init(self, **kwargs)
        self._prepared = False

    monkeypatch.setattr(selectors.WalletPage, "__init__", plain_init)
    plain = pages()
    for mine, theirs in zip(prepared, plain, strict=True):
        assert mine.splitlines() == theirs.splitlines()
    assert "Anna &quot;Ā&quot; &lt;b&gt;" in prepared[0] and "Cits" in prepared[1]
    assert 'rel="next"' in prepared[0]


def test_the_keys_listed_are_the_orms(owner, organisation, other_organisation):
    from agnitio.credentials.services import issuer_key_rotate

    def plain(org):
        return selectors.issuer_key_list(organisation=org).only("key_id", "is_active", "retired_at")

    assert selectors._KEYS_LISTED.sql(organisation_id=organisation.pk) == _sql(plain(organisation))
    for _round in range(2):  # an active key and a retired one
        issuer_key_rotate(actor=owner, organisation=organisation)
    listed = selectors.issuer_key_summaries(organisation=organisation)
    assert len(listed) == 2 and {key.is_active for key in listed} == {True, False}
    _same(listed, list(plain(organisation)))
    _same(selectors.issuer_key_summaries(organisation=other_organisation), list(plain(other_organisation)))


def test_the_wallets_confirmed_addresses_are_verified_emails(owner, make_user):
    from allauth.account.models import EmailAddress

    from agnitio.core.emails import verified_emails

    plain = EmailAddress.objects.filter(user=owner, verified=True).only("email")
    assert selectors._CONFIRMED_ADDRESSES.sql(user_id=owner.pk) == _sql(plain)
    _same(selectors._CONFIRMED_ADDRESSES.list(user_id=owner.pk), list(plain))
    nobody = make_user("nobody@example.org")
    EmailAddress.objects.filter(user=nobody).update(verified=False)
    states = [  # one address; several (one typed in capitals); only unconfirmed ones; none at all
        lambda: None,
        lambda: EmailAddress.objects.create(user=owner, email=" Second@Example.ORG", verified=True),
        lambda: EmailAddress.objects.create(user=owner, email="third@example.org", verified=False),
        lambda: EmailAddress.objects.filter(user=owner).update(verified=False),
        lambda: EmailAddress.objects.filter(user=owner).delete(),
    ]
    for change in states:
        change()
        for person in (owner, nobody):
            assert selectors._wallet_emails(person) == verified_emails(person)
            assert selectors.wallet_page(actor=person).has_confirmed_email == bool(verified_emails(person))
    assert selectors._wallet_emails(owner) == set()
