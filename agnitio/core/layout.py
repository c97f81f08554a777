"""The page layout's markup (base.html's header, navigation, language switch and footer) written in Python.

Every page renders the layout, and as template markup it was some 30 `{% url %}`, `{% translate %}` and `{% static %}`
nodes, an include and a loop — about 1.3 ms of a signed-in page's CPU. Here the parts that are the same for everyone
are built once per process and key (`fragments`: the active language, the URL configuration, the script prefix and
the current application namespace — everything the translations, reverse() and static() depend on) and what
depends on the request is put in per request with `format_html`: the CSRF token (Django's own `{% csrf_token %}`
node), the CSP nonce, `request.get_full_path()`, the current organisation, the membership's role, whether the person
has another organisation. Nothing of a person is cached.

The output is byte-for-byte the old templates' (agnitio/core/tests/test_layout.py renders the old template text and
the new tags for every kind of visitor, in every language, and compares). Translations from `{% translate %}` are
escaped as the tag escapes them; the one `{% blocktranslate %}` text (session bar) is not, as the tag does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import Variable, VariableDoesNotExist, render_value_in_context
from django.template.defaultfilters import urlencode
from django.template.defaulttags import CsrfTokenNode
from django.templatetags.static import static
from django.urls import get_resolver, get_script_prefix, get_urlconf
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from agnitio.core.templatetags.agnitio_urls import current_app, reverse_memoised

_CSRF = CsrfTokenNode()


def csrf_input(context) -> str:
    """What `{% csrf_token %}` renders in this context (Django's own node)."""
    return _CSRF.render(context)


def context_value(context, name: str):
    """`{{ name }}` as a template resolves it (a callable is called) — not yet escaped; "" when it is missing."""
    try:
        return Variable(name).resolve(context)
    except VariableDoesNotExist:
        return context.template.engine.string_if_invalid if context.template else ""


def context_text(context, name: str) -> str:
    """`{{ name }}` as a template renders it (localised, escaped)."""
    return render_value_in_context(context_value(context, name), context)


def full_path(request) -> str:
    """`request.get_full_path` as the template reads it ("" without a request)."""
    return request.get_full_path() if request is not None else ""



@dataclass(frozen=True)
class Fragments:
    """The layout's parts that are the same for every visitor, for one key (see `fragments`)."""

    url: dict[str, str]  # view name -> URL, for the views without arguments
    text: dict[str, str]  # msgid -> translation (not escaped)
    head_start: SafeString  # from the stylesheet link up to the CSP nonce
    head_end: SafeString  # from after the nonce to the last script
    header_start: SafeString  # skip link, header, brand, the main navigation's opening
    nav_anonymous: SafeString  # the navigation of someone not signed in (the nav block's whole content)
    language_form_start: SafeString  # up to the CSRF token
    language_form_label: SafeString  # from after the `next` value to the first option
    language_options: dict[str, SafeString]  # the options, by the language marked selected
    language_form_end: SafeString  # after the last option
    footer: SafeString


_URL_NAMES = (
    "core:home", "account_login", "account_signup", "account_logout", "credentials:verify", "credentials:wallet",
    "accounts:set_language", "accounts:detail", "accounts:keep_alive", "youthpass:project_list",
    "notifications:outbox", "organisations:list", "organisations:create", "help:youthpass_organisers",
    "help:youthpass_participants",
)
_STATIC = ("agnitio/agnitio.css", "agnitio/vendor/htmx-2.0.11.min.js", "agnitio/charcount.js",
           "accounts/accounts.css", "accounts/session.js")


def _texts() -> dict[str, str]:
    # The msgids are written out here (not through a variable) so makemessages finds them.
    return {
        "characters": _("characters"), "Skip to main content": _("Skip to main content"), "Main": _("Main"),
        "Sign in": _("Sign in"), "Sign up": _("Sign up"), "Verify a document": _("Verify a document"),
        "Language": _("Language"), "Switch": _("Switch"), "Help": _("Help"),
        "Agnitio — recognition of learning in European mobility and non-formal education.":
            _("Agnitio — recognition of learning in European mobility and non-formal education."),
        "Youthpass help for organisers": _("Youthpass help for organisers"),
        "Youthpass help for participants": _("Youthpass help for participants"),
        "Home": _("Home"), "Current organisation": _("Current organisation"), "Members": _("Members"),
        "Signatures": _("Signatures"), "Youthpass projects": _("Youthpass projects"),
        "Issued documents": _("Issued documents"), "History": _("History"), "Outbox": _("Outbox"),
        "My documents": _("My documents"), "Switch organisation": _("Switch organisation"),
        "My organisations": _("My organisations"), "New organisation": _("New organisation"),
        "My account": _("My account"), "Sign out": _("Sign out"),
    }


@lru_cache(maxsize=1)
def language_options() -> tuple[tuple[str, str], ...]:
    """(code, name in that language) of every language of the site — what `{% get_available_languages %}
    {% get_language_info_list %}` give, worked out once per process (they depend on neither request nor language)."""
    return tuple((code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES)


def language_options_html(options, selected) -> SafeString:
    """The <option>s of the language switch, `selected` marked (the old template's loop)."""
    return format_html_join(
        "", '\n            <option value="{}" lang="{}"{}>{}</option>\n          ',
        ((code, code, SafeString(" selected") if code == selected else "", name) for code, name in options))


_CACHES: list = []


def per_layout_key(build):
    """`build(language, urlconf, resolver, prefix, current_app)` kept per process for each key (a small LRU),
    forgotten when a setting it depends on changes (tests). Call it with `*layout_key(context)`."""
    cached = lru_cache(maxsize=64)(build)
    _CACHES.append(cached)
    return cached


def layout_key(context) -> tuple:
    """What the layout's common parts depend on: the active language (translations, i18n URLs), the URL
    configuration and its resolver object (a new one after `clear_url_caches()`), the script prefix and the current
    application namespace (reverse())."""
    # Worked out once per rendering (the layout asks five times): the tags are base.html's own, outside any block,
    # so no `{% language %}` of a page is around one of them.
    render_context = context.render_context
    key = render_context.get(_KEY_SLOT)
    if key is None:
        urlconf = get_urlconf()
        key = render_context[_KEY_SLOT] = (get_language(), urlconf, get_resolver(urlconf), get_script_prefix(),
                                           current_app(context))
    return key


_KEY_SLOT = object()  # layout_key's place in a rendering's render_context


@per_layout_key
def _fragments(language: str | None, urlconf, resolver, prefix: str, current_app: str | None) -> Fragments:
    # language, urlconf, resolver and prefix are not used: gettext, reverse and static read the same ones, now;
    # they are the key.
    url = {name: reverse_memoised(name, current_app=current_app) for name in _URL_NAMES}
    url.update({path: static(path) for path in _STATIC})
    t = _texts()
    options = language_options()
    return Fragments(
        url=url,
        text=t,
        head_start=format_html('<link rel="stylesheet" href="{}">\n  \n  <meta name="htmx-config" content=\'{{'
                               '"inlineStyleNonce": "', url["agnitio/agnitio.css"]),
        head_end=format_html('", "allowEval": false}}\'>\n  <script src="{}" defer></script>\n'
                             '  <script src="{}" data-label="{}" defer></script>',
                             url["agnitio/vendor/htmx-2.0.11.min.js"], url["agnitio/charcount.js"], t["characters"]),
        header_start=format_html(
            '<a class="skip-link" href="#main">{}</a>\n  <header class="site-header">\n'
            '    <div class="wrap header-row">\n      <a class="brand" href="{}">Agnitio</a>\n'
            '      <nav aria-label="{}" class="main-nav">\n        <ul>',
            t["Skip to main content"], url["core:home"], t["Main"]),
        nav_anonymous=format_html(
            '\n          \n            <li><a href="{}">{}</a></li>\n            <li><a href="{}">{}</a></li>\n'
            '            <li><a href="{}">{}</a></li>\n          \n          ',
            url["account_login"], t["Sign in"], url["account_signup"], t["Sign up"],
            url["credentials:verify"], t["Verify a document"]),
        language_form_start=format_html(
            '<form class="lang-switch" action="{}" method="post" data-no-draft>\n        ',
            url["accounts:set_language"]),
        language_form_label=format_html(
            '">\n        <label for="language-select">{}</label>\n        <select id="language-select" name="language">'
            '\n          \n          ', t["Language"]),
        language_options={selected: language_options_html(options, selected)
                          for selected in [code for code, _name in options]},
        language_form_end=format_html('\n        </select>\n        <button type="submit">{}</button>\n      </form>',
                                      t["Switch"]),
        footer=format_html(
            '<footer class="site-footer">\n    <div class="wrap">\n      <p>{}</p>\n'
            '      <nav aria-label="{}"><ul class="footer-links">\n'
            '        <li><a href="{}">{}</a></li>\n        <li><a href="{}">{}</a></li>\n'
            '      </ul></nav>\n    </div>\n  </footer>',
            t["Agnitio — recognition of learning in European mobility and non-formal education."], t["Help"],
            url["help:youthpass_organisers"], t["Youthpass help for organisers"],
            url["help:youthpass_participants"], t["Youthpass help for participants"]),
    )


def fragments(context) -> Fragments:
    """The layout's common parts for the language, URL configuration and application of this rendering."""
    return _fragments(*layout_key(context))


def fragments_for_key(language, urlconf, resolver, prefix, current_app) -> Fragments:
    """`fragments` for a key already worked out (`layout_key`), from inside another `per_layout_key` builder."""
    return _fragments(language, urlconf, resolver, prefix, current_app)


@receiver(setting_changed, dispatch_uid="agnitio-layout-fragments")
def _forget(*, setting, **kwargs) -> None:
    # Tests change what translations, URLs and static files depend on; so could nothing else.
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "STATIC_URL", "STATIC_ROOT", "STORAGES",
                   "STATICFILES_STORAGE", "ROOT_URLCONF", "FORCE_SCRIPT_NAME", "INSTALLED_APPS"}:
        language_options.cache_clear()
        for cached in _CACHES:
            cached.cache_clear()


# ------------------------------------------------------------------------------------------- per request

def slot(name: str) -> SafeString:
    """A place for a value of the request in a format built per key (filled by str.format, the value escaped)."""
    return SafeString("{" + name + "}")


def fixed(value) -> SafeString:
    """A value of the key (a translation, a URL) escaped, in a format filled later by str.format (braces doubled)."""
    return SafeString(conditional_escape(value).replace("{", "{{").replace("}", "}}"))


@dataclass(frozen=True)
class NavUserFormats:
    """The signed-in navigation for one key: str.format strings, everything but the request's values filled in
    (escaped) — what core/_nav_user.html wrote."""

    page: str  # slots: organisation, switch, csrf
    organisation: str  # slots: detail, name, members, signatures, issued, admin
    admin: str  # slot: history
    switch: str  # slot: next


@per_layout_key
def _nav_user_formats(language, urlconf, resolver, prefix, current_app) -> NavUserFormats:
    common = _fragments(language, urlconf, resolver, prefix, current_app)
    t, url = common.text, common.url
    return NavUserFormats(
        page=format_html(
            '\n          \n            \n<li><a href="{}">{}</a></li>\n{}\n<li><a href="{}">{}</a></li>\n'
            '<li><a href="{}">{}</a></li>\n{}\n<li><a href="{}">{}</a></li>\n<li><a href="{}">{}</a></li>\n'
            '<li><a href="{}">{}</a></li>\n<li>\n  <form action="{}" method="post" class="inline-form">\n'
            '    {}<button type="submit" class="link-button">{}</button>\n  </form>\n</li>\n\n          \n          ',
            fixed(url["core:home"]), fixed(t["Home"]), slot("organisation"), fixed(url["credentials:wallet"]),
            fixed(t["My documents"]), fixed(url["credentials:verify"]), fixed(t["Verify a document"]),
            slot("switch"), fixed(url["organisations:list"]), fixed(t["My organisations"]),
            fixed(url["organisations:create"]), fixed(t["New organisation"]), fixed(url["accounts:detail"]),
            fixed(t["My account"]), fixed(url["account_logout"]), slot("csrf"), fixed(t["Sign out"])),
        organisation=format_html(
            '\n<li><a href="{}" title="{}">{}</a></li>\n<li><a href="{}">{}</a></li>\n'
            '<li><a href="{}">{}</a></li>\n<li><a href="{}">{}</a></li>\n'
            '<li><a href="{}">{}</a></li>\n{}\n',
            slot("detail"), fixed(t["Current organisation"]), slot("name"), slot("members"),
            fixed(t["Members"]), slot("signatures"), fixed(t["Signatures"]), fixed(url["youthpass:project_list"]),
            fixed(t["Youthpass projects"]), slot("issued"), fixed(t["Issued documents"]), slot("admin")),
        admin=format_html('<li><a href="{}">{}</a></li>\n<li><a href="{}">{}</a></li>', slot("history"),
                          fixed(t["History"]), fixed(url["notifications:outbox"]), fixed(t["Outbox"])),
        switch=format_html('\n<li><a href="{}?next={}">{}</a></li>\n', fixed(url["organisations:list"]),
                           slot("next"), fixed(t["Switch organisation"])),
    )


def nav_user(context, request) -> SafeString:
    """The signed-in navigation (the nav block's whole content), as core/_nav_user.html was included: the
    current organisation's links (and the admin's), "Switch organisation" when the person has another one."""
    key = layout_key(context)
    formats = _nav_user_formats(*key)
    organisation = getattr(request, "organisation", None)
    organisation_html = ""
    if organisation:
        public_id, current_app = organisation.public_id, key[4]

        def org_url(name):
            return escape(reverse_memoised(name, args=[public_id], current_app=current_app))

        admin = ""
        if getattr(getattr(request, "membership", None), "is_admin", False):
            admin = formats.admin.format(history=org_url("organisations:history"))
        organisation_html = formats.organisation.format(
            detail=org_url("organisations:detail"), name=escape(organisation), members=org_url("organisations:members"),
            signatures=org_url("organisations:signatures"), issued=org_url("credentials:issued_list"), admin=admin)
    switch = ""
    if getattr(request, "other_organisations", False):
        switch = formats.switch.format(next=escape(urlencode(full_path(request))))
    return SafeString(formats.page.format(organisation=organisation_html, switch=switch, csrf=csrf_input(context)))


def language_form(context, fr: Fragments, request) -> SafeString:
    """The language switch form (its `next` is this page; the language marked is the context's LANGUAGE_CODE)."""
    selected = context_value(context, "LANGUAGE_CODE")
    options = fr.language_options.get(selected) if type(selected) is str else None
    if options is None:
        options = language_options_html(language_options(), selected)
    return SafeString(fr.language_form_start + csrf_input(context)
                      + '\n        <input name="next" type="hidden" value="' + escape(full_path(request))
                      + fr.language_form_label + options + fr.language_form_end)
