"""The session bar of signed-in pages (how long the session lasts without activity, "Stay signed in") and its
remaining-time display."""

from __future__ import annotations

from django import template
from django.template.base import render_value_in_context
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from agnitio.core import layout

register = template.Library()


@register.filter
def minutes_seconds(seconds) -> str:
    """1200 -> "20:00" (the remaining-time display of the idle session)."""
    try:
        seconds = max(0, int(seconds))
    except (TypeError, ValueError):
        return ""
    return f"{seconds // 60}:{seconds % 60:02d}"


# The bar's markup. Per request: the user's public id, the idle and remaining seconds, the CSRF token and this
# page's path; the rest (URLs, texts, static files) is the same for everyone, filled in once per key.
_BAR = """
<div class="session-status" id="session-status"
     data-user="{user}"
     data-idle-seconds="{idle}"
     data-remaining-seconds="{remaining}"
     data-login-url="{login}"
     data-logout-url="{logout}"
     data-keepalive-url="{keepalive}"
     data-msg-warning="{warning}"
     data-msg-extended="{extended}"
     data-msg-restored="{restored}"
     data-msg-discard="{discard}"
     data-msg-discarded="{discarded}">
  <div class="wrap session-row">
    <p class="session-remaining">
      {time_left}
      <strong role="timer" data-session-remaining>{remaining_display}</strong>
      <span class="session-hint">{hint}</span>
    </p>
    <form method="post" action="{keepalive}" class="inline-form" data-keep-alive data-no-draft>
      {csrf}<input type="hidden" name="next" value="{path}">
      <button type="submit" class="secondary">{stay}</button>
    </form>
    <p id="session-warning" class="session-warning" aria-live="assertive"></p>
  </div>
</div>
<link rel="stylesheet" href="{css}">
<script src="{js}" defer></script>

"""


@layout.per_layout_key
def _bar_format(language, urlconf, resolver, prefix, current_app) -> str:
    """The bar for one key (core.layout.layout_key: what gettext, reverse() and static() read themselves) as a
    str.format string: the URLs, texts and static files filled in, escaped; the request's values left as slots."""
    url = layout.fragments_for_key(language, urlconf, resolver, prefix, current_app).url
    texts = {
        "login": url["account_login"], "logout": url["account_logout"], "keepalive": url["accounts:keep_alive"],
        "css": url["accounts/accounts.css"], "js": url["accounts/session.js"],
        "warning": _("Your session ends in less than a minute because nothing was sent to the server. Select “Stay "
                     "signed in” to continue; what you have typed is kept as a draft in this browser."),
        "extended": _("You are still signed in."),
        # {% translate %} asks for its text with "%" doubled and gives the translation with "%%" made "%" again.
        "restored": _("A draft of this form from %%(time)s was restored. Check it and save the form, or discard the "
                      "draft.").replace("%%", "%"),
        "discard": _("Discard draft"), "discarded": _("The draft was discarded."),
        "time_left": _("Time left in this session:"), "stay": _("Stay signed in"),
    }
    fixed = {key: layout.fixed(value) for key, value in texts.items()}  # escaped as {% translate %} does
    # {% blocktranslate %} (no variables) gives its translation %-formatted and not escaped: the catalogue's text.
    fixed["hint"] = layout.fixed(mark_safe(  # noqa: S308 - as the template tag renders it
        _("(it ends after this time without activity; any page you open or save renews it)") % {}))
    slots = {name: layout.slot(name) for name in ("user", "idle", "remaining", "remaining_display", "csrf", "path")}
    return format_html(_BAR, **fixed, **slots)


@register.simple_tag(takes_context=True)
def session_status(context) -> SafeString:
    """The session bar for a signed-in user (nothing but a line break for a visitor), as
    accounts/_session_status.html rendered it."""
    user = context.get("user")
    if not getattr(user, "is_authenticated", False):
        return SafeString("\n")
    remaining = layout.context_value(context, "SESSION_REMAINING_SECONDS")
    return SafeString(_bar_format(*layout.layout_key(context)).format(
        user=render_value_in_context(user.public_id, context),
        idle=layout.context_text(context, "SESSION_IDLE_SECONDS"),
        remaining=render_value_in_context(remaining, context), remaining_display=escape(minutes_seconds(remaining)),
        csrf=layout.csrf_input(context), path=escape(layout.full_path(context.get("request")))))
