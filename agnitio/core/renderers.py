"""The form renderer (`FORM_RENDERER`): Django's, except that a `<select>` is written in Python.

Django renders a select through a template that includes another template for every option (and a third for each
option's attributes): a country field (≈ 250 options) cost ≈ 15 ms of CPU per page — more than the rest of the page
(issue 14 point 5). Here `select.html` with the standard option template is produced by `select_html`, character
for character what the templates produce (same escaping, localisation and attribute rules; a test compares the two
for every kind of select the project uses). Any other widget, or a select whose options use another template, goes
through the templates as before.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _text(value) -> str:
    """`{{ value }}` in an autoescaping template: localised, then escaped unless already safe."""
    return conditional_escape(localize(template_localtime(value)))


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: `"%s" % value` (safe stays safe), then escaped unless safe."""
    return conditional_escape(value if isinstance(value, str) else str(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name alone."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in attrs.items() if value is not False)


def select_html(widget: dict) -> str:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            parts.append(f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                         f'{_text(option["label"])}</option>\n')  # the option template's last line ends
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _fast(template_name: str, context) -> bool:
    if template_name != SELECT_TEMPLATE or not isinstance(context, dict):
        return False
    widget = context.get("widget")
    return isinstance(widget, dict) and all(
        option.get("template_name") == OPTION_TEMPLATE for _name, options, _index in widget.get("optgroups", ())
        for option in options)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if _fast(template_name, context):
            return mark_safe(select_html(context["widget"]).strip())  # noqa: S308 (every value escaped above)
        return super().render(template_name, context, request=request)
