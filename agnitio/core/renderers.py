"""The form renderer (`FORM_RENDERER`): Django's, except that a `<select>` is written in Python.

Django renders a select through a template that includes another template for every option (and a third for each
option's attributes): a country field (≈ 250 options) cost ≈ 15 ms of CPU per page — more than the rest of the page
(issue 14 point 5). Here `select.html` with the standard option template is produced by `select_html`, character
for character what the templates produce (same escaping, localisation and attribute rules; a test compares the two
for every kind of select the project uses). Any other widget, or a select whose options use another template, goes
through the templates as before.

The same for the other pieces every form on every page is made of (a form's fields rendered one by one cost
≈ 0.5 ms each through four templates): the field group (`field.html`), its label (`label.html`), an empty error
list (`errors/list/default.html`, rendered for every field even with no error) and the `<input>` widgets (`text.html`,
`email.html`, … which only include `input.html`). The renderer's engine reads `django/forms/templates` before any
app's templates, so these are always Django's own; a test compares every fast output with the templates'.
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


INPUT_TEMPLATES = frozenset(f"django/forms/widgets/{name}.html" for name in (
    "input", "text", "email", "url", "number", "password", "hidden", "search", "tel", "date", "datetime", "time"))
FIELD_TEMPLATE = "django/forms/field.html"
LABEL_TEMPLATE = "django/forms/label.html"
ERRORS_TEMPLATES = frozenset({"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"})


def input_html(widget: dict) -> str:
    """django/forms/widgets/input.html (with widgets/attrs.html)."""
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value != None else ""  # noqa: E711 - the template's `!= None`
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


def label_html(context: dict) -> str:
    """django/forms/label.html (with attrs.html)."""
    if not context["use_tag"]:
        return _text(context["label"])
    tag = _text(context["tag"])
    return f"<{tag}{_attrs(context['attrs'] or {})}>{_text(context['label'])}</{tag}>"


def field_html(field) -> str:
    """django/forms/field.html: the same calls on the bound field, in the same order, the same text between."""
    if field.use_fieldset:
        described = field.aria_describedby
        head = "\n  <fieldset" + (f' aria-describedby="{_text(described)}"' if described else "") + ">\n  " + (
            _text(field.legend_tag()) if field.label else "") + "\n"
    else:
        head = "\n  " + (_text(field.label_tag()) if field.label else "") + "\n"
    help_text = ""
    if field.help_text:
        auto_id = field.auto_id
        help_text = ('<div class="helptext"' + (f' id="{_text(auto_id)}_helptext"' if auto_id else "") + ">"
                     + _text(mark_safe(str(field.help_text))) + "</div>")  # noqa: S308 - `|safe`, as the template
    tail = "</fieldset>" if field.use_fieldset else ""
    return f"{head}\n{help_text}\n{_text(field.errors)}\n{_text(field)}{tail}\n"


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
        if isinstance(context, dict):  # every value below is escaped unless already safe, as in the templates
            if template_name in INPUT_TEMPLATES and isinstance(context.get("widget"), dict):
                return mark_safe(input_html(context["widget"]).strip())  # noqa: S308
            if template_name == FIELD_TEMPLATE and set(context) == {"field"}:
                return mark_safe(field_html(context["field"]).strip())  # noqa: S308
            if template_name == LABEL_TEMPLATE:
                return mark_safe(label_html(context).strip())  # noqa: S308
            if template_name in ERRORS_TEMPLATES and not context.get("errors"):
                return ""  # `{% if errors %}…{% endif %}`: nothing
        return super().render(template_name, context, request=request)
