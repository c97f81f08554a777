"""`{% youthpass_fields form %}`: what `{% include "youthpass/_fields.html" with form=form %}` writes, made in
Python (issue 14 point 5). The template resolves some twenty variables per field and runs its tags through the
template engine: ≈ 0.5 ms a field, and a project page shows five. Here the same calls are made on the form and its
bound fields, in the same order, with the same escaping (core.renderers' `{{ }}`), and the same text between them;
`youthpass/tests/test_fields_tag.py` compares the two for every Youthpass form, bound and unbound, with errors, in
lv and en. A form showing an edit conflict, or whose field names would shadow what the template reads, is
rendered by the template itself."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from agnitio.core.renderers import _text

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


@register.simple_tag(takes_context=True)
def youthpass_fields(context, form) -> SafeString:
    html = fields_html(form)
    if html is None:  # as {% include %} renders: the same context, with `form` pushed
        with context.push(form=form):
            return mark_safe(context.template.engine.get_template(FIELDS_TEMPLATE).render(context))  # noqa: S308
    return html
