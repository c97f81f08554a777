"""The rows of the issued documents list and of the wallet, made in one pass (agnitio.core.rows): labels
translated, URLs reversed and dates formatted once per page; every value escaped (core.rows.html)."""

from __future__ import annotations

from collections.abc import Iterable

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from agnitio.core.rows import Dates, html, html_join, url_pattern

from .models import CredentialKind, IssuedCredential
from .selectors import issuer_identity

_ISSUED_ROW = (
    '<tr><td>{number}<br><a href="{verify}">{code}</a>\n'
    '        (<a href="{json}">{json_label}</a>{pdf})</td><td><bdi>{holder}</bdi></td><td>{kind}</td>'
    "<td>{issued_on}</td>\n      <td>{state}{reason}</td>\n      <td>{revoke}</td></tr>")
_WALLET_ROW = ('<tr><td><a href="{detail}"><bdi>{name}</bdi></a> ({code})</td>\n'
               "          <td><bdi>{issuer}</bdi> ({identity})</td><td>{issued_on}</td><td>{state}</td></tr>")


def issued_rows(credentials: Iterable[IssuedCredential]) -> SafeString:
    """`<tr>`s of the issued list (credentials/issued_list.html) for `credentials` (selectors.issued_credential_search's
    columns): number, verification code and files, holder, kind, date, state, the revoke link."""
    verify, json, pdf = (url_pattern(name) for name in (
        "credentials:verify_code", "credentials:issued_json", "credentials:issued_pdf"))
    revoke = url_pattern("credentials:issued_revoke")
    kinds = {value: str(label) for value, label in CredentialKind.choices}
    states, today, dates = IssuedCredential.state_labels(), timezone.localdate(), Dates()
    json_label, pdf_label, revoke_label = _("JSON"), _("PDF"), _("Revoke %(number)s…")

    def row(c: IssuedCredential) -> dict:
        state = IssuedCredential.state_of(status=c.status, valid_until=c.valid_until, today=today)
        return {
            "number": c.number, "verify": verify(c.code), "code": c.code, "json": json(c.public_id),
            "json_label": json_label,
            "pdf": html(', <a href="{}">{}</a>', pdf(c.public_id), pdf_label) if c.pdf else "",
            "holder": c.holder_name, "kind": kinds.get(c.kind, c.kind), "issued_on": dates(c.issued_on),
            "state": states.get(state, state),
            "reason": html(": <bdi>{}</bdi>", c.revocation_reason) if c.revocation_reason else "",
            "revoke": html('<a href="{}">{}</a>', revoke(c.public_id), revoke_label % {"number": c.number})
            if c.status != IssuedCredential.Status.REVOKED else ""}

    return html_join("\n", _ISSUED_ROW, (row(c) for c in credentials))


def wallet_rows(credentials: Iterable[IssuedCredential]) -> SafeString:
    """`<tr>`s of the wallet's documents (credentials/wallet.html) for `credentials` as selectors.wallet_page gives
    them (`achievement_name`, the organisation's name and identity): document, issuer and whether the platform
    verified its identity, date, state."""
    detail = url_pattern("credentials:wallet_detail")
    states, today, dates = IssuedCredential.state_labels(), timezone.localdate(), Dates()
    identities: dict[int, SafeString] = {}  # {% issuer_identity organisation compact=True %}, once per issuer

    def identity(organisation) -> SafeString:
        if organisation.pk not in identities:
            identities[organisation.pk] = render_to_string("credentials/_issuer_identity.html", {
                "identity": issuer_identity(organisation=organisation), "compact": True})
        return identities[organisation.pk]

    def row(c: IssuedCredential) -> dict:
        state = IssuedCredential.state_of(status=c.status, valid_until=c.valid_until, today=today)
        return {"detail": detail(c.public_id), "name": c.achievement_name or "", "code": c.code,
                "issuer": c.organisation.legal_name, "identity": identity(c.organisation),
                "issued_on": dates(c.issued_on), "state": states.get(state, state)}

    return html_join("\n", _WALLET_ROW, (row(c) for c in credentials))
