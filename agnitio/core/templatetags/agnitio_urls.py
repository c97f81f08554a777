"""`{% url %}` with reverse() results kept per process (a bounded LRU). Registered as a template builtin after
Django's own (TEMPLATES OPTIONS "builtins": later builtins override earlier ones), so every template — ours,
allauth's, the e-mails' — uses it without `{% load %}`. The syntax and output are Django's (the tag is parsed by
Django's own `url` compile function); only the call to reverse() is memoised.

A signed-in page asks for some 30 URLs, each a walk of the URL resolver's tables; the same few dozen names with the
same ids come back on every page. The cache key holds everything reverse()'s result depends on: the view name, the
arguments, current_app, the URL configuration (the name and the resolver object itself, so `clear_url_caches()`,
e.g. `override_settings(ROOT_URLCONF=…)` in tests, starts afresh), the script prefix and the active language (for
`i18n_patterns` and translated paths). Only arguments of plain types (str, int, UUID) are memoised — their text in
the URL cannot change; anything else (a model instance, a lazy string) goes to reverse() every time. Failures are
never cached (reverse() raises, and a miss raises again).
"""

from __future__ import annotations

from functools import lru_cache
from uuid import UUID

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()

CACHE_SIZE = 4096  # entries: every URL of every organisation a busy process shows, each a short string
_PLAIN = frozenset({str, SafeString, int, UUID})  # exact types: str(value) is the value; no subclass tricks


@lru_cache(maxsize=CACHE_SIZE)
def _reverse(view_name: str, args: tuple, kwargs: tuple, current_app: str | None, urlconf, resolver, prefix: str,
             language: str | None) -> str:
    # resolver, prefix and language are not passed on: reverse() reads the same ones itself, now; they are in the key.
    return reverse(view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app)


def reverse_memoised(view_name, *, args=(), kwargs=None, current_app=None) -> str:
    """reverse(), memoised when every part of the key is of a plain type; otherwise reverse() itself."""
    kwargs = kwargs or {}
    if (type(view_name) in _PLAIN and all(type(value) in _PLAIN for value in args)
            and all(type(value) in _PLAIN for value in kwargs.values())
            and (current_app is None or type(current_app) in _PLAIN)):
        urlconf = get_urlconf()
        return _reverse(view_name, tuple(args), tuple(sorted(kwargs.items())), current_app, urlconf,
                        get_resolver(urlconf), get_script_prefix(), get_language())
    return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)


reverse_memoised.cache_info = _reverse.cache_info  # type: ignore[attr-defined]
reverse_memoised.cache_clear = _reverse.cache_clear  # type: ignore[attr-defined]


def current_app(context) -> str | None:
    """What `{% url %}` takes as the current application (Django's URLNode.render): the request's `current_app`,
    else its resolved namespace, else none."""
    try:
        return context.request.current_app
    except AttributeError:
        try:
            return context.request.resolver_match.namespace
        except AttributeError:
            return None


class MemoisedURLNode(defaulttags.URLNode):
    """Django's URLNode.render (django/template/defaulttags.py), with reverse_memoised for reverse."""

    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        url = ""
        try:
            url = reverse_memoised(view_name, args=args, kwargs=kwargs, current_app=current_app(context))
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        if context.autoescape:
            url = conditional_escape(url)
        return url


@register.tag
def url(parser, token):
    """Django's `{% url %}` (same syntax, same errors), rendered by MemoisedURLNode."""
    node = defaulttags.url(parser, token)
    return MemoisedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
