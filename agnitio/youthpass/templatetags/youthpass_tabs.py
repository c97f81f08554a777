"""`{% youthpass_tabs %}`: what `{% include "youthpass/_tabs.html" %}` printed on every page of a project (the path
back to the list and the project's five tabs), character for character, written in Python (issue 14 point 5):
without the include's eleven `{% url %}` and `{% translate %}` tags and five `{% if %}`s on each page.
`youthpass/tests/test_page_shortcuts.py` compares it with the template for every tab, in lv and en."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agnitio.core.templatetags.agnitio_urls import reverse_memoised

register = template.Library()

TABS_TEMPLATE = "youthpass/_tabs.html"

# The project's tabs, in order: (tab, URL name, label).
_TABS = (("overview", "youthpass:project_detail", gettext_noop("Project and activities")),
         ("participants", "youthpass:participant_list", gettext_noop("Individuals")),
         ("editors", "youthpass:editor_list", gettext_noop("Editors")),
         ("reminders", "youthpass:reminder_list", gettext_noop("Reminders")),
         ("finalise", "youthpass:project_finalise", gettext_noop("Finalise")))


def tabs_html(context) -> SafeString | None:
    """The include's output for the context's `project` and `tab`, or None when the template must write it (a
    context without a project: the template's own errors and empty values)."""
    project = context.get("project")
    if project is None or not hasattr(project, "public_id"):
        return None
    tab = context.get("tab")
    public_id = project.public_id
    current = ' aria-current="page"'
    items = "".join(
        f'    <li><a href="{escape(reverse_memoised(name, args=[public_id]))}"'
        f'{current if key == tab else ""}>{escape(_(label))}</a></li>\n' for key, name, label in _TABS)
    return mark_safe(  # noqa: S308 (every value escaped)
        f'\n<p class="muted"><a href="{escape(reverse_memoised("youthpass:project_list"))}">'
        f'{escape(_("Youthpass projects"))}</a> › {conditional_escape(project.display_name)}</p>\n'
        f'<nav aria-label="{escape(_("Project"))}" class="yp-tabs">\n  <ul>\n{items}  </ul>\n</nav>\n')


@register.simple_tag(takes_context=True)
def youthpass_tabs(context) -> SafeString:
    html = tabs_html(context)
    if html is None:  # as {% include %} renders: the same context
        return mark_safe(context.template.engine.get_template(TABS_TEMPLATE).render(context))  # noqa: S308
    return html
