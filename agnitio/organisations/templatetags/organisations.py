"""Dashboard blocks for the home page (the user's organisations and next steps), an organisation's tabs and the
fields of its forms."""

import html as _html
from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from agnitio.core.permissions import allowed
from agnitio.core.templatetags.agnitio_urls import current_app, reverse_memoised

from ..selectors import DASHBOARD_ORGANISATIONS, dashboard_step_counts, membership_list_for_dashboard

register = template.Library()


@register.inclusion_tag("organisations/_dashboard.html", takes_context=True)
def organisation_dashboard(context):
    request = context["request"]
    organisation = getattr(request, "organisation", None)
    steps = {}
    if organisation is not None:
        admin = allowed(request.user, "organisations.change_organisation", organisation)
        steps = {"admin": admin, "missing_logo": not organisation.logo}
        if admin:  # only an admin is shown the steps that need these numbers (one prepared query)
            numbers = dashboard_step_counts(actor=request.user, organisation=organisation)
            steps.update(signatory_count=numbers["signatory_count"], has_signature=numbers["signatures"] > 0,
                         has_stamp=numbers["stamps"] > 0, member_count=numbers["member_count"])
    memberships = []
    if request.user.is_authenticated and organisation is not None:
        if getattr(request, "other_organisations", True):
            memberships = membership_list_for_dashboard(user=request.user)
        else:  # the middleware has read the only one
            memberships = [request.membership]
    return {
        "request": request,
        "memberships": memberships[:DASHBOARD_ORGANISATIONS],
        "more_organisations": len(memberships) > DASHBOARD_ORGANISATIONS,
        "organisation": organisation,
        "steps": steps,
        "is_admin": steps.get("admin", False),
    }


@register.filter
def object_type_label(label: str) -> str:
    from ..forms import object_type_label as _label

    return _label(label)


# The organisation's tabs, in order: (tab, URL name, label); the history only for admins.
_TABS = (("overview", "organisations:detail", gettext_noop("Overview")),
         ("members", "organisations:members", gettext_noop("Members")),
         ("signatories", "organisations:signatories", gettext_noop("Signatories")),
         ("signatures", "organisations:signatures", gettext_noop("Signatures and stamps")))
_ADMIN_TABS = (("history", "organisations:history", gettext_noop("History")),)


@register.simple_tag(takes_context=True)
def organisation_tabs(context, tab: str) -> SafeString:
    """The organisation's tabs (`organisation` and `is_admin` from the context), `tab` marked as the current page:
    what the include of the former organisations/_tabs.html printed, character for character (a test compares
    them), without a template's variable look-ups, URL tags and translation tags for every tab on every page."""
    escape = _html.escape
    public_id = context["organisation"].public_id
    tabs = _TABS + _ADMIN_TABS if context.get("is_admin") else _TABS
    current = ' aria-current="page"'
    items = "".join(
        f'    <li><a href="{escape(reverse_memoised(name, args=[public_id]))}"'
        f'{current if key == tab else ""}>{escape(_(label))}</a></li>\n'
        for key, name, label in tabs)
    if len(tabs) == len(_TABS):
        items += "    \n"  # where the template's `{% if is_admin %}` line printed nothing
    return mark_safe(  # noqa: S308 (every value escaped)
        f'\n<nav aria-label="{escape(_("Organisation"))}" class="org-tabs">\n  <ul>\n{items}  </ul>\n</nav>\n')


@register.simple_tag(takes_context=True)
def form_fields(context, form) -> SafeString:
    """What `{% include "organisations/_fields.html" %}` prints for `form`, character for character (a test
    compares them): its hidden fields, then each visible field's group (core.renderers) in its `<div>` — written
    here without the include's template, loops and look-ups. A form showing an edit conflict or errors of its own
    goes through the template."""
    if getattr(form, "conflict", None) or form.non_field_errors():
        with context.push(form=form):
            return mark_safe(context.template.engine.get_template(  # noqa: S308 (the template's own output)
                "organisations/_fields.html").render(context))
    hidden = "".join(conditional_escape(str(field)) for field in form.hidden_fields())
    visible = "".join(
        f'\n  <div class="field {conditional_escape(field.css_classes())}">'
        f"{conditional_escape(str(field.as_field_group()))}</div>\n" for field in form.visible_fields())
    return mark_safe(f"\n\n{hidden}\n{visible}\n")  # noqa: S308 (every value escaped)


_MEMBER_COLUMNS = (gettext_noop("Name"), gettext_noop("E-mail"), gettext_noop("Role"), gettext_noop("Since"))


@register.simple_tag(takes_context=True)
def member_table_start(context) -> SafeString:
    """The member list's "Invite a person" link (for admins), the table's start, caption and head, as the page's
    template wrote them, character for character (organisations/tests/test_member_page_markup.py compares the
    pages), without a translation node for every heading."""
    escape = _html.escape
    is_admin = context.get("is_admin")
    invite = ""
    if is_admin:
        url = reverse_memoised("organisations:invite", args=[context["organisation"].public_id],
                               current_app=current_app(context))
        invite = f'<p><a class="button" href="{escape(url)}">{escape(_("Invite a person"))}</a></p>'
    columns = list(_MEMBER_COLUMNS) + ([gettext_noop("Actions")] if is_admin else [])
    head = "".join(f'<th scope="col">{escape(_(label))}</th>' for label in columns)
    return mark_safe(  # noqa: S308 (every value escaped)
        f"{invite}\n<table>\n  <caption>{escape(_('People with access'))}</caption>\n"
        f"  <thead><tr>{head}</tr></thead>")

# --- the history's filter form, unbound -------------------------------------------------------------------------

_SENTINEL = "\u2063audit-filter-option\u2063"  # a choice no history holds (no dot: object_type_label keeps it as is)


@lru_cache(maxsize=16)
def _audit_filter_skeleton(language: str | None) -> tuple[str, str, str] | None:
    """What `{% form_fields %}` prints for an unbound AuditFilterForm, cut where the object types' and the people's
    options go: rendered once per process and language with one placeholder option in each select (nothing in it
    is a person's or an organisation's: the labels, ids and attributes of the form). None when the placeholder
    options are not written as `select_html` writes an unselected option (another renderer or template)."""
    from ..forms import AuditFilterForm

    form = AuditFilterForm(None, object_types=[_SENTINEL], people=[(_SENTINEL, _SENTINEL)])
    text = str(form_fields(Context(), form))
    option = _option(_SENTINEL, _SENTINEL)
    parts = text.split(option)
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 else None


def _option(value: str, label: str) -> str:
    """An unselected `<option>` of a select, as core.renderers.select_html writes it for a text value and label."""
    escape = _html.escape
    return f'\n  <option value="{escape(value)}">{escape(label)}</option>\n'


@receiver(setting_changed, dispatch_uid="organisations-audit-filter-setting-changed")
def _setting_changed(**kwargs) -> None:
    _audit_filter_skeleton.cache_clear()  # e.g. the form renderer, LANGUAGES, TEMPLATES in tests


@register.simple_tag(takes_context=True)
def history_filter_fields(context, form, object_types: list[str], people: list[tuple[str, str]]) -> SafeString:
    """The history's filter fields: `{% form_fields form %}`, and for no form (a history opened without a query)
    what `{% form_fields %}` prints for `AuditFilterForm(None, object_types=object_types, people=people)`,
    character for character (a test compares them), without making the form and rendering its fields: the form's
    part is the same for everyone in a language (`_audit_filter_skeleton`), the options are this organisation's,
    written here for this request."""
    from ..forms import AuditFilterForm, object_type_label

    skeleton = _audit_filter_skeleton(get_language()) if form is None else None
    if skeleton is None:
        return form_fields(context, form if form is not None else AuditFilterForm(
            None, object_types=object_types, people=people))
    types = "".join(_option(value, object_type_label(value)) for value in object_types)
    persons = "".join(_option(value, label) for value, label in people)
    return mark_safe(f"{skeleton[0]}{types}{skeleton[1]}{persons}{skeleton[2]}")  # noqa: S308 (every value escaped)
