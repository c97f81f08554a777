"""The account settings' navigation (every page of "My account", allauth's manage pages and the API tokens') written
in Python: what the include of the former accounts/_account_nav.html printed, character for character (a test
compares them: accounts/tests/test_account_markup.py), without a template's URL tags, translation tags and
`request.resolver_match` look-ups on every page."""

from __future__ import annotations

import html as _html

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agnitio.core.templatetags.agnitio_urls import current_app, reverse_memoised

register = template.Library()

# (URL name, label, the attribute of the request's resolver_match equal to the URL name on that very page)
_ITEMS = (("accounts:detail", gettext_noop("My account"), "view_name"),
          ("account_change_password", gettext_noop("Password"), "url_name"),
          ("account_email", gettext_noop("E-mail addresses"), "url_name"),
          ("mfa_index", gettext_noop("Two-factor authentication"), "url_name"))
_API_TOKENS = ("apikeys:list", gettext_noop("API tokens"), "view_name")


@register.simple_tag(takes_context=True)
def account_nav(context) -> SafeString:
    escape = _html.escape
    app = current_app(context)
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    try:  # `{% url 'apikeys:list' as api_tokens_url %}`: empty when there is no such URL
        tokens_url = reverse_memoised("apikeys:list", current_app=app)
    except NoReverseMatch:
        tokens_url = ""

    def item(name: str, label: str, by: str, url: str | None = None) -> str:
        current = ' aria-current="page"' if match is not None and getattr(match, by) == name else ""
        url = reverse_memoised(name, current_app=app) if url is None else url
        return f'<li><a href="{escape(url)}"{current}>{escape(_(label))}</a></li>'

    items = "".join(f"    {item(*entry)}\n" for entry in _ITEMS)
    tokens = item(*_API_TOKENS, url=tokens_url) if tokens_url else ""
    return mark_safe(  # noqa: S308 (every value escaped)
        f'\n<nav class="account-nav" aria-label="{escape(_("Account settings"))}">\n  <ul>\n{items}'
        f"    {tokens}\n  </ul>\n</nav>\n")


@register.simple_tag
def profile_fields(form) -> SafeString:
    """What the account page's loops printed for `form`, character for character (the test compares them):

        {% for field in form.hidden_fields %}{{ field }}{% endfor %}
        {% for field in form.visible_fields %}
          <div class="field{% if field.errors %} has-error{% endif %}">{{ field.as_field_group }}</div>
        {% endfor %}

    (the first line's indentation is the template's, before the tag) without the loops and look-ups."""
    hidden = "".join(conditional_escape(field) for field in form.hidden_fields())
    visible = "".join(
        f'\n      <div class="field{" has-error" if field.errors else ""}">'
        f"{conditional_escape(field.as_field_group())}</div>\n    " for field in form.visible_fields())
    return mark_safe(f"{hidden}\n    {visible}")  # noqa: S308 (every value escaped)


# The account page's sections on sign-in and on the person's data: (URL name, label) of each link.
_SECURITY = (("account_change_password", gettext_noop("Change password")),
             ("account_email", gettext_noop("E-mail addresses")))
_DATA_TEXT = gettext_noop(
    "Download everything this platform holds about you: your account, participations, self-assessments, documents "
    "(PDF and signed credentials), e-mails sent to you and the audit entries about you.")


@register.simple_tag(takes_context=True)
def account_sections(context, has_mfa: bool) -> SafeString:
    """The account page's "Sign-in and security" and "Your data" sections as its template wrote them, character
    for character (accounts/tests/test_account_markup.py compares them), without a URL and a translation node for
    every link and heading; the form's CSRF field is `{% csrf_token %}`'s own."""
    escape = _html.escape
    app = current_app(context)

    def url(name: str) -> str:
        return escape(reverse_memoised(name, current_app=app))

    links = "".join(f'    <li><a href="{url(name)}">{escape(_(label))}</a></li>\n' for name, label in _SECURITY)
    badge = escape(_("on") if has_mfa else _("off"))
    return mark_safe(  # noqa: S308 (every value escaped; the CSRF field is the tag's own output)
        f'<section aria-labelledby="security-heading">\n'
        f'  <h2 id="security-heading">{escape(_("Sign-in and security"))}</h2>\n'
        f"  <ul>\n{links}"
        f'    <li><a href="{url("mfa_index")}">{escape(_("Two-factor authentication"))}</a>\n'
        f'      <span class="badge">{badge}</span></li>\n'
        f"  </ul>\n</section>\n\n"
        f'<section aria-labelledby="data-heading">\n'
        f'  <h2 id="data-heading">{escape(_("Your data"))}</h2>\n'
        f"  <p>{escape(_(_DATA_TEXT))}</p>\n"
        f'  <form method="post" action="{url("accounts:data_export")}" data-no-draft>\n'
        f"    {CsrfTokenNode().render(context)}"
        f'<button type="submit" class="secondary">{escape(_("Download my data (ZIP)"))}</button>\n'
        f"  </form>\n"
        f'  <p><a href="{url("accounts:erase")}">{escape(_("Erase my account and personal data"))}</a></p>\n'
        f"</section>")
