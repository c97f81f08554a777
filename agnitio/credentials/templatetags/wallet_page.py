"""`{% wallet_content %}`: the body of the wallet page (credentials/wallet.html) written in Python.

The wallet is opened by every holder, and as template markup its body was some forty `{% translate %}`, `{% url %}`,
`{% if %}` and variable nodes, a loop per list and an include, rendered again on every visit. Here the parts that are
the same for everyone are made once per process and key (core.layout.per_layout_key: the language, the URL
configuration, the script prefix and the current application), and what is the person's — their offers, their
stored credentials, the page of their documents, the CSRF token — is put in per request, every value escaped as the
template escaped it. The markup is the template's, byte for byte (agnitio/credentials/tests/test_wallet_markup.py
renders the old template and compares in every state of the page, in every language)."""

from __future__ import annotations

from html import escape

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from agnitio.core import layout
from agnitio.core.rows import ROW, Dates
from agnitio.core.templatetags.agnitio_urls import reverse_memoised

from ..forms import WalletSearchForm, list_search_html, unbound_search_html
from ..rows import _segment
from ..selectors import issuer_identity

register = template.Library()


def _around(viewname: str, *args: object, current_app: str | None) -> tuple[str, str]:
    """(before, after) the row's value in the URL `{% url viewname … %}` prints (escaped, as the tag escapes it)."""
    before, _row, after = reverse_memoised(viewname, args=args, current_app=current_app).partition(ROW)
    return escape(before), escape(after)


@layout.per_layout_key
def _parts(language, urlconf, resolver, prefix, current_app) -> dict[str, str]:
    # The key is what gettext and reverse() read themselves (core.layout.layout_key). A `{% translate %}` of a
    # literal prints the translation as it is (the literal is safe); `{% url %}` escapes the URL.
    def url(name: str) -> str:
        return escape(reverse_memoised(name, current_app=current_app))

    accept = _around("credentials:wallet_offer_decide", ROW, "accept", current_app=current_app)
    decline = _around("credentials:wallet_offer_decide", ROW, "decline", current_app=current_app)
    delete = _around("credentials:wallet_item_delete", ROW, current_app=current_app)
    offers_text = _("These organisations sent you a credential, but you have no relation with them on this platform "
                    "(you are not their member or participant). It joins your credentials only if you accept it.")
    help_text = _("It is stored only if its signature verifies. Issuers whose identifiers can't be resolved without "
                  "the internet (did:web of other sites) can't be checked here.")
    return {
        "start": f'\n<h1>{_("My credentials")}</h1>\n',
        "no_email": (f'\n  <p>{_("Confirm your e-mail address to see the documents issued to it.")} '
                     f'<a href="{url("account_email")}">{_("E-mail addresses")}</a></p>\n'),
        "offers_start": (
            '\n<section aria-labelledby="offers-heading">\n'
            f'  <h2 id="offers-heading">{_("Offered to you")}</h2>\n'
            f"  <p>{offers_text}</p>\n  <ul>\n  "),
        "accept_a": accept[0], "accept_b": accept[1], "decline_a": decline[0], "decline_b": decline[1],
        "accept": f'<button type="submit">{_("Accept")}</button></form>\n      <form method="post" action="',
        "decline": (f'<button type="submit" class="secondary">{_("Decline")}</button></form>\n'
                    "    </li>\n  "),
        "offers_end": "\n  </ul>\n</section>\n",
        "issued_start": (
            '\n<section aria-labelledby="issued-heading">\n'
            f'  <h2 id="issued-heading">{_("Issued to you")}</h2>\n  '),
        "wallet_url": reverse_memoised("credentials:wallet", current_app=current_app),
        "table_start": (
            '\n  <table>\n    <caption class="visually-hidden">'
            f'{_("Documents issued to your confirmed e-mail addresses")}</caption>\n'
            f'    <thead><tr><th scope="col">{_("Document")}</th><th scope="col">{_("Issuer")}</th>'
            f'<th scope="col">{_("Issued on")}</th><th scope="col">{_("Status")}</th></tr></thead>\n'
            "    <tbody>\n    "),
        "no_match": (f'\n      <tr><td colspan="4">{_("No document matches the search.")}</td></tr>\n    '),
        "no_more": (f'\n      <tr><td colspan="4">{_("No more documents.")}</td></tr>\n    '),
        "table_end": "\n    </tbody>\n  </table>\n  ",
        "pages_label": _("Pages of your documents"),
        "export": (f'\n  <p><a class="button" href="{url("credentials:wallet_export")}">'
                   f'{_("Download everything (ZIP)")}</a></p>\n  '),
        "nothing_issued": (f'\n  <p>{_("No documents have been issued to your confirmed e-mail addresses yet.")}'
                           "</p>\n  "),
        "received_start": (
            '\n</section>\n<section aria-labelledby="received-heading">\n'
            f'  <h2 id="received-heading">{_("From other issuers")}</h2>\n  '),
        "signed_by": f' — {_("signed by")} <bdi>',
        "issuer_name": f' ({_("the name the document gives its issuer, not checked by this service:")} <bdi>',
        "verified": _("verified %(date)s"), "remove": _("Remove %(name)s"),
        "delete_a": delete[0], "delete_b": delete[1],
        "remove_button": f'">{_("Remove")}</button></form></li>',
        "store_start": (f'\n  <form method="post" action="{url("credentials:wallet_store")}" '
                        'enctype="multipart/form-data">\n    '),
        "store_end": (
            f'\n    <p class="help">{help_text}</p>\n'
            f'    <button type="submit">{_("Verify and store")}</button>\n  </form>\n</section>\n'),
    }


@register.simple_tag(takes_context=True)
def wallet_content(context) -> SafeString:
    """The page's body for the view's context (credentials.views.wallet): offers, the documents' page and rows,
    the search form (None: no search asked, an unbound WalletSearchForm), the stored credentials and the upload
    form."""
    p = _parts(*layout.layout_key(context))
    csrf = layout.csrf_input(context)
    page, search_form, offers, items = context["page"], context["search_form"], context["offers"], context["items"]
    out = [p["start"]]
    if not context["has_confirmed_email"]:
        out.append(p["no_email"])
    out.append("\n")
    if offers:
        dates = Dates()
        out.append(p["offers_start"])
        for c in offers:
            public_id = _segment(c.public_id)
            identity = render_to_string("credentials/_issuer_identity.html", {
                "identity": issuer_identity(organisation=c.organisation), "compact": False})
            out.append(
                f'\n    <li data-offer="{escape(c.public_id)}"><strong><bdi>{escape(c.achievement_name or "")}'
                f"</bdi></strong> ({escape(c.code)}) — <bdi>{escape(c.organisation.legal_name)}</bdi>, "
                f"{escape(dates(c.issued_on))}. {identity}\n"
                f'      <form method="post" action="{p["accept_a"]}{public_id}{p["accept_b"]}" class="inline-form">'
                f'{csrf}{p["accept"]}{p["decline_a"]}{public_id}{p["decline_b"]}" class="inline-form">'
                f'{csrf}{p["decline"]}')
        out.append(p["offers_end"])
    out.append(p["issued_start"])
    active = search_form is not None and search_form.active
    if page or active or not page.is_first:
        out.append("\n  \n  ")  # around `{% url 'credentials:wallet' as reset_url %}`
        out.append(list_search_html(search_form, heading_id="wallet-search-heading", reset_url=p["wallet_url"])
                   if search_form is not None else
                   unbound_search_html(WalletSearchForm, heading_id="wallet-search-heading"))
        out.append(p["table_start"])
        rows = context["rows"]
        if rows:
            out.append(str(rows))
        else:
            out.append(p["no_match"] if active else p["no_more"])
        out.append(p["table_end"])
        out.append(render_to_string("core/_pagination.html", {"page": page, "label": SafeString(p["pages_label"])}))
        out.append(p["export"])
    else:
        out.append(p["nothing_issued"])
    out.append(p["received_start"])
    if items:
        dates = Dates()
        out.append("<ul>")
        for item in items:
            name = escape(item.name)
            issuer_name = f'{p["issuer_name"]}{escape(item.issuer_name)}</bdi>)' if item.issuer_name else ""
            verified = p["verified"] % {"date": escape(dates(item.verified_at))}
            out.append(
                f'<li><bdi>{name or "—"}</bdi>{p["signed_by"]}{escape(item.issuer_id)}</bdi>{issuer_name} '
                f'({verified})\n    <form method="post" action="{p["delete_a"]}{_segment(item.public_id)}'
                f'{p["delete_b"]}">{csrf}<button type="submit" aria-label="{p["remove"] % {"name": name}}'
                f'{p["remove_button"]}')
        out.append("</ul>")
    out.append(p["store_start"])
    out.append(csrf)
    out.append("\n    ")
    out.append(str(context["store_form"]))
    out.append(p["store_end"])
    return SafeString("".join(out))
