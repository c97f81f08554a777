"""Django's `i18n` template library (registered under that name in TEMPLATES OPTIONS "libraries", so every
`{% load i18n %}` loads it), with a shorter road for the common `{% translate "literal" %}`.

Django's TranslateNode makes a lazy translation object of the literal on every render and then turns it back into
text through the general value-rendering path (time zone, localisation, escaping); a signed-in page has some thirty
such literals. For a literal with no filter, no context and no `noop`, this node calls gettext() directly: the same
catalogue, the active language at render time, the same text and safety (a template literal is safe, so is its
translation; doubled percent signs are restored as Django does). Everything else is Django's own node.
"""

from __future__ import annotations

from django import template
from django.templatetags import i18n as django_i18n
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)


class LiteralTranslateNode(django_i18n.TranslateNode):
    """`{% translate "literal" [as var] %}`: gettext() of the literal, as Django's node renders it."""

    def __init__(self, node: django_i18n.TranslateNode, literal: str):
        super().__init__(node.filter_expression, node.noop, node.asvar, node.message_context)
        msgid = literal.replace("%", "%%")  # as Django's Variable does before gettext
        # Was safe before (a template literal): stays safe, as in Django's Variable.
        self.msgid = mark_safe(msgid) if isinstance(literal, SafeData) else msgid  # noqa: S308

    def render(self, context):
        value = gettext(self.msgid)
        is_safe = isinstance(value, SafeData)
        value = value.replace("%%", "%")
        value = mark_safe(value) if is_safe else value  # noqa: S308 - was safe before, as in Django's TranslateNode
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = django_i18n.do_translate(parser, token)
    expression = node.filter_expression
    literal = getattr(expression.var, "literal", None)
    if isinstance(literal, str) and not expression.filters and not node.noop and node.message_context is None:
        return LiteralTranslateNode(node, literal)
    return node
