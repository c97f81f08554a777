"""Tags of the page layout (base.html): its header, navigation, language switch and footer, written in Python
(agnitio.core.layout) — the same markup as the template text they replace, a fraction of the cost."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from agnitio.core import layout

register = template.Library()


@register.simple_tag
def language_options() -> tuple[tuple[str, str], ...]:
    """(code, name in that language) of every language of the site, for a language switch — what
    `{% get_available_languages %}{% get_language_info_list %}` give, worked out once per process."""
    return layout.language_options()


@register.simple_tag(takes_context=True)
def layout_head(context) -> SafeString:
    """The stylesheet and scripts every page loads, and htmx's configuration with the request's CSP nonce."""
    fr = layout.fragments(context)
    return SafeString(fr.head_start + layout.context_text(context, "CSP_NONCE") + fr.head_end)


@register.simple_tag(takes_context=True)
def layout_header_start(context) -> SafeString:
    """The skip link, the header's opening, the brand and the main navigation's opening (up to its list)."""
    return layout.fragments(context).header_start


@register.simple_tag(takes_context=True)
def layout_nav(context) -> SafeString:
    """The main navigation's items: for the signed-in user (their current organisation, role and whether they
    have another), or for a visitor."""
    user = context.get("user")
    if getattr(user, "is_authenticated", False):
        return layout.nav_user(context, context.get("request"))
    return layout.fragments(context).nav_anonymous


@register.simple_tag(takes_context=True)
def layout_language_form(context) -> SafeString:
    """The language switch (back to this page after switching)."""
    return layout.language_form(context, layout.fragments(context), context.get("request"))


@register.simple_tag(takes_context=True)
def layout_footer(context) -> SafeString:
    return layout.fragments(context).footer
