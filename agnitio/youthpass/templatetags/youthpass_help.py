"""`{% youthpass_help "step" %}`: the "how this step works" panel, the same for everyone who reads the page in a
language, so it is rendered once per process for each step, language and URL configuration (issue 14 point 5: every
Youthpass page shows one). The key holds everything the panel's text depends on: the step, the language (its
texts), the URL configuration, the resolver object (so clear_url_caches() starts afresh), the script prefix, the
current application (what `{% url %}` resolves namespaces with) and autoescaping. `youthpass/tests/test_help.py`
compares it with the template's output rendered afresh."""

from __future__ import annotations

from django import template
from django.urls import get_resolver, get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from agnitio.core.templatetags.agnitio_urls import current_app as url_current_app

from ..help import STEPS

register = template.Library()

HELP_TEMPLATE = "youthpass/_help.html"


def help_context(step: str) -> dict:
    """The panel's context (an unknown step is a programming error: KeyError)."""
    audience, paragraphs = STEPS[step]
    return {"step": step, "audience": audience, "paragraphs": paragraphs}


_PANELS: dict[tuple, str] = {}  # the key (see the module) → the panel's HTML
_PANELS_MAX = 256  # steps × languages × URL configurations, with room; emptied when full



@register.simple_tag(takes_context=True)
def youthpass_help(context, step: str) -> SafeString:
    """The panel of one step of the path: what `@register.inclusion_tag("youthpass/_help.html")` rendered."""
    if step not in STEPS:
        raise KeyError(step)
    current_app = url_current_app(context)
    if not (current_app is None or type(current_app) is str):
        return mark_safe(_render(context, step))  # noqa: S308 (the template escapes)
    urlconf = get_urlconf()
    key = (step, get_language(), urlconf, get_resolver(urlconf), get_script_prefix(), current_app,
           context.autoescape)
    html = _PANELS.get(key)
    if html is None:
        html = _render(context, step)
        if len(_PANELS) >= _PANELS_MAX:
            _PANELS.clear()
        _PANELS[key] = html
    return mark_safe(html)  # noqa: S308 (the template escaped it)


def _render(context, step: str) -> str:
    """As an inclusion tag renders: its template in a new context made from the page's."""
    return context.template.engine.get_template(HELP_TEMPLATE).render(context.new(help_context(step)))
