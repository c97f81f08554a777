"""The wallet page (`/wallet/`) against the view and template it had before its second performance pass, kept here
as they were (wallet_before/wallet.html; the view below reads everything through the plain querysets): in every
state of the page — no confirmed address, an empty wallet, one address or several, a full page with its next and
previous pages, a search (matching or not, a wrong field), offers awaiting the holder's decision, revoked and
expired documents, stored credentials of other issuers, hostile names and text — in Latvian and English, the
answer is byte for byte the same (masking only what is new in every answer)."""

from __future__ import annotations

import datetime
import re
from functools import cache
from html import escape
from pathlib import Path

import pytest
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.db.models.fields.json import KT
from django.http import HttpResponse
from django.template import Engine, RequestContext
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import path
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from agnitio import urls as site_urls
from agnitio.core.emails import verified_emails
from agnitio.core.pagination import DEFAULT_SIZE, keyset_page
from agnitio.core.rows import Dates
from agnitio.core.testing import engine_with, new_and_old_answers
from agnitio.credentials import selectors
from agnitio.credentials.forms import StoreForm, WalletSearchForm
from agnitio.credentials.models import IssuedCredential, WalletItem
from agnitio.credentials.rows import _prefix, _segment
from agnitio.credentials.tests.test_lists import DAY, make_documents  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

BEFORE = Path(__file__).parent / "wallet_before"


@cache
def _old_engine() -> Engine:
    return engine_with({"credentials/wallet.html": (BEFORE / "wallet.html").read_text()})


# The documents' columns and rows as they were (selectors._WALLET_LIST_FIELDS, _searched; rows.wallet_rows).
_OLD_FIELDS = ("id", "public_id", "organisation_id", "kind", "code", "issued_on", "valid_until", "status",
               "organisation__id", "organisation__public_id", "organisation__legal_name",
               "organisation__identity_verified_at")


def _old_search(user, filters):
    credentials = selectors.wallet_credential_list(actor=user).only(*_OLD_FIELDS).annotate(
        achievement_name=KT("achievement__name"))
    return selectors._filtered(credentials, filters, name_q=lambda key, text: (
        Q(achievement__name__icontains=text) | Q(organisation__legal_name__icontains=text)))


def _old_rows(credentials):
    detail_a, detail_b = _prefix("credentials:wallet_detail")
    states = {state: escape(label) for state, label in IssuedCredential.state_labels().items()}
    today, dates, state_of = timezone.localdate(), Dates(), IssuedCredential.state_of
    identities: dict[tuple[bool, bool], str] = {}

    def identity(organisation) -> str:
        answer = selectors.issuer_identity(organisation=organisation)
        key = (answer.verified, answer.known)
        if key not in identities:
            identities[key] = render_to_string("credentials/_issuer_identity.html",
                                               {"identity": answer, "compact": True})
        return identities[key]

    rows = []
    for c in credentials:
        state = state_of(status=c.status, valid_until=c.valid_until, today=today)
        rows.append(
            f'<tr><td><a href="{detail_a}{_segment(c.public_id)}{detail_b}"><bdi>{escape(c.achievement_name or "")}'
            f"</bdi></a> ({escape(c.code)})</td>\n"
            f"          <td><bdi>{escape(c.organisation.legal_name)}</bdi> ({identity(c.organisation)})</td>"
            f"<td>{escape(dates(c.issued_on))}</td><td>{states[state] if state in states else escape(state)}</td></tr>")
    return mark_safe("\n".join(rows))  # noqa: S308 (every value escaped)


@login_required
@require_safe
def wallet(request):
    """The view as it was, every list read by the plain querysets (no prepared query)."""
    form = WalletSearchForm(request.GET or None)
    user = request.user
    credentials = _old_search(user, form.filters())
    page = keyset_page(credentials, ordering=selectors.LIST_ORDER, request=request)
    context = {
        "page": page, "rows": _old_rows(page), "search_form": form,
        "offers": selectors.wallet_offer_summaries(actor=user), "items": selectors.wallet_item_summaries(actor=user),
        "store_form": StoreForm(), "has_confirmed_email": bool(verified_emails(user)),
    }
    html = _old_engine().get_template("credentials/wallet.html").render(RequestContext(request, context))
    return HttpResponse(html)


# This module is the ROOT_URLCONF of the old answers: the old view first, then the site's addresses.
urlpatterns = [path("wallet/", wallet), *site_urls.urlpatterns]

HOSTILE = '<script>alert("x")</script> & \'q\' {{ x }} %s'


def _assert_same(client, url, *, language) -> str:
    new, old = new_and_old_answers(client, url, language=language, old_urlconf=__name__)
    assert new[0] == old[0] == 200, url
    assert new[1].splitlines() == old[1].splitlines(), url
    return new[1]


def _signed_in(client, user, language):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    client.get("/wallet/")  # the first request after signing in writes the session
    return client


def _next_url(html: str) -> str | None:
    found = re.search(r'<a href="([^"]+)" rel="next">', html)
    return found and found.group(1).replace("&amp;", "&")


def _prev_url(html: str) -> str | None:
    found = re.search(r'<a href="([^"]+)" rel="prev">', html)
    return found and found.group(1).replace("&amp;", "&")


@pytest.fixture
def hostile_world(owner, organisation, other_organisation, make_documents):  # noqa: F811 (the fixture)
    """The owner's documents: more than a page (some revoked, some expired, one without a name, hostile names),
    an organisation whose identity the platform verified, offers of an organisation the owner has no relation
    with (one declined, one accepted), stored credentials of other issuers (with and without the issuer's name)."""
    organisation.identity_verified_at = datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC)
    organisation.save(update_fields=["identity_verified_at"])
    other_organisation.legal_name = HOSTILE
    other_organisation.save(update_fields=["legal_name"])
    made = [
        *make_documents(organisation, DEFAULT_SIZE + 3, holder_email=owner.email),
        *make_documents(organisation, 3, holder_email=owner.email, achievement={"name": HOSTILE},
                        issued_on=DAY + datetime.timedelta(days=2)),
        *make_documents(organisation, 2, holder_email=owner.email, achievement={},
                        issued_on=DAY - datetime.timedelta(days=40)),
        *make_documents(organisation, 4, holder_email=owner.email, valid_until=DAY - datetime.timedelta(days=1),
                        issued_on=DAY - datetime.timedelta(days=400)),
    ]
    IssuedCredential.objects.filter(pk__in=[c.pk for c in made[::9]]).update(status="revoked", revocation_reason="x")
    IssuedCredential.objects.filter(pk=made[5].pk).update(status="superseded")
    offers = make_documents(other_organisation, 4, holder_email=owner.email, offered_via_api=True,
                            achievement={"name": HOSTILE})
    IssuedCredential.objects.filter(pk=offers[0].pk).update(holder_decision="declined")
    IssuedCredential.objects.filter(pk=offers[1].pk).update(holder_decision="accepted")
    IssuedCredential.objects.filter(pk=offers[2].pk).update(achievement={})
    WalletItem.objects.create(user=owner, issuer_id="did:web:example.org", name=HOSTILE, issuer_name=HOSTILE,
                              credential={"a": 1}, verified_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC))
    WalletItem.objects.create(user=owner, issuer_id="did:key:z6Mk<&>", name="", credential={"b": 2},
                              verified_at=datetime.datetime(2026, 11, 2, 23, 30, tzinfo=datetime.UTC))
    return made


@pytest.mark.parametrize("language", ["lv", "en"])
def test_a_full_wallet_in_every_state(client, owner, hostile_world, language):
    _signed_in(client, owner, language)
    first = _assert_same(client, "/wallet/", language=language)
    assert "&lt;script&gt;" in first and "<script>alert" not in first
    assert 'rel="next"' in first and 'data-offer="' in first and "did:key:z6Mk&lt;&amp;&gt;" in first
    second = _assert_same(client, _next_url(first), language=language)
    assert 'rel="prev"' in second
    _assert_same(client, _prev_url(second), language=language)
    for url in ("/wallet/?q=Youthpass", "/wallet/?q=%3Cscript%3E", "/wallet/?q=nothing-matches-this",
                "/wallet/?kind=youthpass&state=revoked", "/wallet/?state=expired", "/wallet/?state=valid&q=",
                "/wallet/?state=no-such-state", "/wallet/?kind=%3Cb%3E", "/wallet/?q=" + "x" * 150,
                "/wallet/?size=5", "/wallet/?size=bad", "/wallet/?cursor=not-a-cursor", "/wallet/?q=&kind=&state="):
        html = _assert_same(client, url, language=language)
        if next_url := _next_url(html):
            _assert_same(client, next_url, language=language)


@pytest.mark.parametrize("language", ["lv", "en"])
def test_an_empty_wallet_and_addresses(client, make_user, organisation, other_organisation, make_documents,  # noqa: F811
                                       language):
    from allauth.account.models import EmailAddress

    holder = make_user("holder@example.org")
    _signed_in(client, holder, language)
    html = _assert_same(client, "/wallet/", language=language)  # one confirmed address, nothing issued to it
    assert 'rel="next"' not in html
    _assert_same(client, "/wallet/?q=x", language=language)  # a search on an empty wallet
    make_documents(organisation, 2, holder_email="holder@example.org")
    make_documents(other_organisation, 1, holder_email="second@example.org")
    make_documents(other_organisation, 1, holder_email="second@example.org", offered_via_api=True)
    _assert_same(client, "/wallet/", language=language)  # a few documents, one address
    EmailAddress.objects.create(user=holder, email="Second@Example.org", verified=True)
    html = _assert_same(client, "/wallet/", language=language)  # several confirmed addresses
    assert "data-offer=" in html
    other_organisation.identity_verified_at = datetime.datetime(2026, 9, 30, 23, 30, tzinfo=datetime.UTC)
    other_organisation.save(update_fields=["identity_verified_at"])
    html = _assert_same(client, "/wallet/", language=language)  # an offer of an issuer the platform verified
    assert 'data-issuer-identity="verified"' in html
    EmailAddress.objects.filter(user=holder).update(verified=False)
    html = _assert_same(client, "/wallet/", language=language)  # only unconfirmed addresses
    assert 'href="/accounts/email/"' in html or "account_email" not in html
    EmailAddress.objects.filter(user=holder, email="holder@example.org").update(verified=True)
    _assert_same(client, "/wallet/", language=language)  # one confirmed and one unconfirmed
    WalletItem.objects.create(user=holder, issuer_id="did:web:a.example", name="Cits", credential={},
                              verified_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC))
    _assert_same(client, "/wallet/", language=language)  # a stored credential


def test_signed_out_is_sent_to_sign_in(client):
    response = client.get("/wallet/")
    with override_settings(ROOT_URLCONF=__name__):
        old = client.get("/wallet/")
    assert response.status_code == old.status_code == 302
    assert response["Location"] == old["Location"]
