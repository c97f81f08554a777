"""`{% youthpass_fields form %}`: what `{% include "youthpass/_fields.html" with form=form %}` writes, made in
Python (issue 14 point 5). The template resolves some twenty variables per field and runs its tags through the
template engine: ≈ 0.5 ms a field, and a project page shows five. Here the same calls are made on the form and its
bound fields, in the same order, with the same escaping (core.renderers' `{{ }}`), and the same text between them;
`youthpass/tests/test_fields_tag.py` compares the two for every Youthpass form, bound and unbound, with errors, in
lv and en. A form showing an edit conflict, or whose field names would shadow what the template reads, is
rendered by the template itself.

The unbound forms of a project's page (`SAME_FOR_EVERYONE`: the partner form with its ≈ 250 countries, the
organisers' reminder switches) write the same fields for everyone who reads the page in a language with the same
values shown: their HTML is kept per process, keyed by the class, the language, the values (`initial`), the form
renderer and the label suffix, at most 256, emptied when a setting changes (issue 14 point 5: a fifth of the project
page).
`youthpass/tests/test_page_shortcuts.py` compares them with the template's output."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from agnitio.core.renderers import _text

from ..forms import OrganiserRemindersForm, PartnerForm

register = template.Library()

FIELDS_TEMPLATE = "youthpass/_fields.html"
_SHADOWING = frozenset({"conflict", "non_field_errors", "hidden_fields", "visible_fields"})  # form.x is form["x"]


def fields_html(form) -> SafeString | None:
    """The template's output for `form`, or None when the template must write it (see the module)."""
    if _SHADOWING.intersection(form.fields) or getattr(form, "conflict", None):
        return None
    non_field = form.non_field_errors()
    parts = ["\n"]
    if non_field:
        parts.append(f'<div class="errorlist-box" role="alert">{_text(non_field)}</div>')
    parts.append("\n")
    parts.extend(_text(field) for field in form.hidden_fields())
    parts.append("\n")
    required = None
    for field in form.visible_fields():
        parts.append('\n  <div class="field has-error">\n  ' if field.errors else '\n  <div class="field">\n  ')
        fieldset = field.use_fieldset
        parts.append("<fieldset><legend>" if fieldset else f'<label for="{_text(field.id_for_label)}">')
        parts.append(_text(field.label))
        if field.field.required:
            if required is None:
                required = _text(gettext("required"))
            parts.append(' <span class="required-mark" aria-hidden="true">*</span><span class="visually-hidden"> ('
                         f"{required})</span>")
        parts.append("</legend>" if fieldset else "</label>")
        parts.append("\n  ")
        if field.help_text:
            parts.append(f'<div class="help" id="{_text(field.auto_id)}_helptext">{_text(field.help_text)}</div>')
        parts.append(f"\n  {_text(field.errors)}\n  {_text(field)}\n  ")
        if fieldset:
            parts.append("</fieldset>")
        parts.append("\n  </div>\n")
    parts.append("\n")
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped by _text, as `{{ }}` does)


SAME_FOR_EVERYONE = (PartnerForm, OrganiserRemindersForm)
_SHOWN: dict[tuple, SafeString] = {}  # key (see memo_key) → the fields' HTML
_SHOWN_MAX = 256  # two classes × languages × a few values, with room; emptied when full
_PLAIN_VALUES = (bool, int, str, type(None))


def memo_key(form) -> tuple | None:
    """What an unbound form of `SAME_FOR_EVERYONE` writes depends on, or None when its HTML is written afresh."""
    if (type(form) not in SAME_FOR_EVERYONE or form.is_bound or form.prefix is not None or form.auto_id != "id_%s"
            or settings.DEBUG or getattr(form, "conflict", None)):
        return None
    values = tuple(sorted(form.initial.items()))
    if not all(type(value) in _PLAIN_VALUES for _name, value in values):
        return None
    return type(form), get_language(), values, form.renderer, form.label_suffix, form.use_required_attribute


def shown_fields_html(form) -> SafeString | None:
    """`fields_html(form)`, kept per process for the forms that write the same for everyone (see the module)."""
    key = memo_key(form)
    if key is None:
        return fields_html(form)
    html = _SHOWN.get(key)
    if html is None:
        html = fields_html(form)
        if html is None:
            return None
        if len(_SHOWN) >= _SHOWN_MAX:
            _SHOWN.clear()
        _SHOWN[key] = html
    return html


@receiver(setting_changed, dispatch_uid="youthpass-fields-setting-changed")
def _setting_changed(**kwargs) -> None:
    _SHOWN.clear()  # e.g. LANGUAGES, COUNTRIES_*, the form renderer in tests


@register.simple_tag(takes_context=True)
def youthpass_fields(context, form) -> SafeString:
    html = shown_fields_html(form)
    if html is None:  # as {% include %} renders: the same context, with `form` pushed
        with context.push(form=form):
            return mark_safe(context.template.engine.get_template(FIELDS_TEMPLATE).render(context))  # noqa: S308
    return html
