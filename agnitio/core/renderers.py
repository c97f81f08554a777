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

from functools import lru_cache

from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.forms.widgets import Select
from django.utils.choices import CallableChoiceIterator
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language

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


# --- a long list of options, the same for everyone (the countries) ----------------------------------------------

@lru_cache(maxsize=64)
def _options(language: str | None, choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, ...], dict[str, int]]:
    """Each option of `choices` as select_html writes it unselected, and the position of each value. Keyed by the
    language (the labels' language; also what they are sorted by) and by the choices themselves, so a changed
    list is a new entry: nothing in it depends on the request or the person."""
    written = tuple(f'\n  <option value="{_formatted(value)}">{_text(label)}</option>\n' for value, label in choices)
    positions: dict[str, int] = {}
    for index, (value, _label) in enumerate(choices):
        positions.setdefault(value, index)  # the first option of a value is the one marked (ChoiceWidget.optgroups)
    return written, positions


class OptionsOnceSelect(Select):
    """A `<select>` of many plain options the same for everyone (a country field): its options are written once
    per language and list (`_options`), the chosen one marked per request — character for character what the
    templates (and select_html) write; a test compares them. Choices that are not all pairs of plain strings
    (groups, safe or lazy labels, other value types), a multiple select, other templates or another renderer go
    the usual way."""

    def plain_choices(self) -> tuple[tuple[str, str], ...] | None:
        """The choices as `normalize_choices` gives them (what iterating `self.choices` gives) when every one is a
        pair of plain strings, else None. A callable's list is read without normalising each pair again (for a
        pair of strings that is the pair itself), which for ≈ 250 countries cost more than writing them."""
        choices, language = self.choices, get_language()
        memo = self.__dict__.get("_plain_choices")  # this widget's (so this form's), read once per language
        if memo is not None and memo[0] is choices and memo[1] == language:
            return memo[2]
        raw = choices.func() if type(choices) is CallableChoiceIterator else choices
        plain: tuple[tuple[str, str], ...] | None = None
        if type(raw) in (list, tuple) and all(
                isinstance(choice, tuple) and len(choice) == 2 and type(choice[0]) is str and type(choice[1]) is str
                for choice in raw):
            plain = tuple((value, label) for value, label in raw)
        self.__dict__["_plain_choices"] = (choices, language, plain)
        return plain

    def render(self, name, value, attrs=None, renderer=None):
        if (self.allow_multiple_selected or self.template_name != SELECT_TEMPLATE
                or self.option_template_name != OPTION_TEMPLATE
                or not isinstance(renderer or get_default_renderer(), FormRenderer)):
            return super().render(name, value, attrs, renderer)
        choices = self.plain_choices()
        if choices is None:
            return super().render(name, value, attrs, renderer)
        written, positions = _options(get_language(), choices)
        parts = list(written)
        for wanted in self.format_value(value):
            index = positions.get(wanted)
            if index is not None:  # only the first matching option (ChoiceWidget.optgroups' has_selected)
                parts[index] = parts[index].replace(">", " selected>", 1)
                break
        widget_attrs = self.build_attrs(self.attrs, attrs)
        return mark_safe(  # noqa: S308 (every value escaped, as in select_html)
            f'<select name="{_text(name)}"{_attrs(widget_attrs)}>{"".join(parts)}\n</select>'.strip())
