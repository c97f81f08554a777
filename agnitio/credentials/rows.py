"""The rows of the issued documents list and of the wallet, made in one pass (agnitio.core.rows): labels
translated and escaped, URLs reversed and dates formatted once per page; every value escaped.

A row is one f-string of escaped values (Python's `html.escape`, what Django's `escape` and so `format_html` call):
the values are the model's text columns, never already-safe strings, so escaping each is what `core.rows.html`
(`conditional_escape`) does — less the call layers that cost more than the escaping on a page of fifty rows.
`tests/test_lists.py` compares the rows with what the templates printed before, in lv and en."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape
from urllib.parse import quote

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from agnitio.core.rows import ROW, Dates
from agnitio.core.templatetags.agnitio_urls import reverse_memoised

from .models import CredentialKind, IssuedCredential
from .selectors import IssuerIdentity

_PLAIN = re.compile(r"[A-Za-z0-9_.~-]*")  # what `quote` (and so `reverse`) leaves as it is
_SAFE = "!$&'()*+,;=~:@"  # core.rows.url_pattern's rule for a path argument


def _segment(value: str) -> str:
    """`quote(value, safe=core.rows._SAFE)`, then escaped for an attribute: the URL part of a row's link."""
    return value if _PLAIN.fullmatch(value) else escape(quote(value, safe=_SAFE))


def _prefix(viewname: str) -> tuple[str, str]:
    """(before, after) the row's value in `reverse(viewname, args=[value])`, escaped (a URL's constant parts)."""
    before, _row, after = reverse_memoised(viewname, args=(ROW,)).partition(ROW)
    return escape(before), escape(after)


def issued_rows(credentials: Iterable[IssuedCredential]) -> SafeString:
    """`<tr>`s of the issued list (credentials/issued_list.html) for `credentials` (selectors.issued_credential_search's
    columns): number, verification code and files, holder, kind, date, state, the revoke link."""
    verify_a, verify_b = _prefix("credentials:verify_code")
    json_a, json_b = _prefix("credentials:issued_json")
    pdf_a, pdf_b = _prefix("credentials:issued_pdf")
    revoke_a, revoke_b = _prefix("credentials:issued_revoke")
    kinds = {value: escape(str(label)) for value, label in CredentialKind.choices}
    states = {state: escape(label) for state, label in IssuedCredential.state_labels().items()}
    today, dates, state_of = timezone.localdate(), Dates(), IssuedCredential.state_of
    json_label, pdf_label = escape(_("JSON")), escape(_("PDF"))
    revoke_label = _("Revoke %(number)s…")
    revoked = IssuedCredential.Status.REVOKED
    rows = []
    for c in credentials:
        number, public_id, state = escape(c.number), _segment(c.public_id), state_of(
            status=c.status, valid_until=c.valid_until, today=today)
        pdf = f', <a href="{pdf_a}{public_id}{pdf_b}">{pdf_label}</a>' if c.pdf else ""
        reason = f": <bdi>{escape(c.revocation_reason)}</bdi>" if c.revocation_reason else ""
        revoke = (f'<a href="{revoke_a}{public_id}{revoke_b}">{escape(revoke_label % {"number": c.number})}</a>'
                  if c.status != revoked else "")
        kind = kinds[c.kind] if c.kind in kinds else escape(c.kind)
        rows.append(
            f'<tr><td>{number}<br><a href="{verify_a}{_segment(c.code)}{verify_b}">{escape(c.code)}</a>\n'
            f'        (<a href="{json_a}{public_id}{json_b}">{json_label}</a>{pdf})</td>'
            f"<td><bdi>{escape(c.holder_name)}</bdi></td><td>{kind}</td>"
            f"<td>{escape(dates(c.issued_on))}</td>\n"
            f"      <td>{states[state] if state in states else escape(state)}{reason}</td>\n"
            f"      <td>{revoke}</td></tr>")
    return mark_safe("\n".join(rows))  # noqa: S308 (every value escaped)


def wallet_rows(credentials: Iterable[IssuedCredential]) -> SafeString:
    """`<tr>`s of the wallet's documents (credentials/wallet.html) for `credentials` as selectors.wallet_page gives
    them (`achievement_name`, the issuer's `issuer_legal_name` and `issuer_verified_at`): document, issuer and
    whether the platform verified its identity, date, state."""
    detail_a, detail_b = _prefix("credentials:wallet_detail")
    states = {state: escape(label) for state, label in IssuedCredential.state_labels().items()}
    today, dates, state_of = timezone.localdate(), Dates(), IssuedCredential.state_of
    # {% issuer_identity organisation compact=True %} of an organisation (always known): the compact text says only
    # whether its identity is verified, so each answer is rendered once per page; each issuer's name escaped once
    identities: dict[bool, str] = {}
    issuers: dict[str, str] = {}

    def identity(verified: bool) -> str:
        if verified not in identities:
            identities[verified] = render_to_string("credentials/_issuer_identity.html",
                                                    {"identity": IssuerIdentity(verified=verified), "compact": True})
        return identities[verified]

    rows = []
    for c in credentials:
        state = state_of(status=c.status, valid_until=c.valid_until, today=today)
        issuer = issuers.get(c.issuer_legal_name)
        if issuer is None:
            issuer = issuers[c.issuer_legal_name] = escape(c.issuer_legal_name)
        rows.append(
            f'<tr><td><a href="{detail_a}{_segment(c.public_id)}{detail_b}"><bdi>{escape(c.achievement_name or "")}'
            f"</bdi></a> ({escape(c.code)})</td>\n"
            f"          <td><bdi>{issuer}</bdi> ({identity(c.issuer_verified_at is not None)})</td>"
            f"<td>{escape(dates(c.issued_on))}</td><td>{states[state] if state in states else escape(state)}</td></tr>")
    return mark_safe("\n".join(rows))  # noqa: S308 (every value escaped)
