"""The rows of the member list and of the history, made in one pass (agnitio.core.rows): labels translated, URLs
reversed and dates formatted once per page; every value escaped (core.rows.html)."""

from __future__ import annotations

import datetime
import html as _html
from collections.abc import Iterable
from urllib.parse import quote  # the `urlencode` filter's quoting

from django.utils.formats import get_format, localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import is_aware, localtime
from django.utils.translation import gettext as _

from agnitio.core.models import AuditEvent
from agnitio.core.rows import ROW, Dates, html, html_join, url_pattern

from .forms import object_type_label
from .models import Membership

_MEMBER_ROW = ("<tr>\n      <td>{name}{you}</td>\n      <td>{email}</td>\n      <td>{role}</td>\n"
               "      <td>{since}</td>{actions}\n    </tr>")
_ROLE_FORM = ('\n        <form method="post" action="{action}" class="inline-form">{csrf}\n'
              '          <label for="role-{id}" class="visually-hidden">{label}</label>\n'
              '          <select id="role-{id}" name="role">\n            {options}\n          </select>\n'
              '          <button type="submit" class="secondary">{button}</button>\n        </form>\n      ')
_REVOKE = ('\n        <a class="button danger" href="{}">{}<span class="visually-hidden"> {}</span></a>\n      ')


# Format characters that show only a day's parts (DateFormat's for a date): a date-time shown with no others shows
# its local day, so formatting that day (core.rows: once per process, day and language) writes the same text.
_DAY_CHARACTERS = frozenset("bdDEFjlLmMnNoStwWyYz")


def _day_only(format_name: str) -> bool:
    format_ = get_format(format_name)
    return "\\" not in format_ and all(c in _DAY_CHARACTERS or not c.isalpha() for c in format_)


def member_rows(memberships: Iterable[Membership], *, organisation, actor, is_admin: bool, is_owner: bool,
                csrf_input: SafeString) -> SafeString:
    """`<tr>`s of the member list (organisations/member_list.html): name (and "you"), e-mail, the role (a form to
    change it where the actor may), since when, and for admins the link that revokes access. `csrf_input` is the
    form's hidden token field, the same for every row (what `{% csrf_token %}` prints)."""
    role_url = url_pattern("organisations:member_role", organisation.public_id, ROW)
    revoke_url = url_pattern("organisations:member_revoke", organisation.public_id, ROW)
    roles = Membership.Role.choices
    labels = {value: str(label) for value, label in roles}
    you = html(' <span class="badge">{}</span>', _("you"))
    role_of, change, revoke = _("Role of %(name)s"), _("Change role"), _("Revoke access")
    dates = Dates()
    options: dict[str, SafeString] = {}  # the role select's options, once per selected role

    def options_for(selected: str) -> SafeString:
        if selected not in options:
            options[selected] = html_join("", '<option value="{}"{}>{}</option>', (
                (value, mark_safe(" selected") if value == selected else "", label)  # noqa: S308 (a constant)
                for value, label in roles if value != Membership.Role.OWNER or is_owner))
        return options[selected]

    escape = _html.escape
    day_only = _day_only("DATE_FORMAT")  # the date shown is the local day's: formatted once per day and language
    csrf, change_text, revoke_text = str(csrf_input), escape(change), escape(revoke)  # the token field is safe

    def row(m: Membership) -> str:  # every value escaped as core.rows.html escapes it (html.escape, safe as is)
        own = m.user_id == actor.pk
        email = m.user.email
        if is_admin and not own and (is_owner or m.role != Membership.Role.OWNER):
            public_id = escape(m.public_id)
            role = _ROLE_FORM.format(action=escape(role_url(m.public_id)), csrf=csrf, id=public_id,
                                     label=escape(role_of % {"name": email}), options=options_for(m.role),
                                     button=change_text)
        else:
            role = escape(labels.get(m.role, m.role))
        actions = ""
        if is_admin:
            link = (_REVOKE.format(escape(revoke_url(m.public_id)), revoke_text, escape(email))
                    if not own and (m.role != Membership.Role.OWNER or is_owner) else "")
            actions = f"\n      <td>{link}</td>"
        created = m.created_at
        since = dates(localtime(created).date() if day_only and is_aware(created) else created)
        return _MEMBER_ROW.format(name=escape(m.user.full_name or "—"), you=you if own else "", email=escape(email),
                                  role=role, since=escape(since), actions=actions)

    return mark_safe("\n".join(row(m) for m in memberships))  # noqa: S308 (every value escaped above)


_EVENT_ROW = ("<tr>\n      <td>{time}</td>\n      <td>{actor}</td>\n      <td>{action}{verb}</td>\n"
              '      <td>{object}<br><a class="muted" href="?object_type={type_query}&amp;object_id={id_query}" '
              'title="{history_of}">{type} · {id}</a></td>\n      <td>{changes}</td>\n    </tr>')


def event_rows(events: Iterable[AuditEvent]) -> SafeString:
    """`<tr>`s of an organisation's history (organisations/audit_list.html): time, person, action, the object with
    a link to its own history, and the changed fields (old → new).

    A page of fifty events writes some six hundred values: each is escaped here with `html.escape` as it is
    written (what `core.rows.html` does for a value without `__html__`: the event's texts are the database's
    strings, the changed values JSON's), and each label once per page."""
    escape = _html.escape
    actions = {value: escape(str(label)) for value, label in AuditEvent.Action.choices}
    history_of = escape(_("History of this object"))
    times = Dates("DATETIME_FORMAT")
    minutes: dict[datetime.datetime, str] = {}  # the time shown, per minute of the events' (UTC) times
    types: dict[str, tuple[str, str]] = {}  # object type → its label and its query value, escaped

    def time(value: datetime.datetime) -> str:
        """`times(value)`, escaped; the events of one minute (they come in bursts) asked once. Taken to the
        minute before the conversion to local time only when the format shows no seconds (Dates takes it so
        after) and the time zone's offset is whole minutes (then the minute is the same in either)."""
        key = value.replace(second=0, microsecond=0)
        text = minutes.get(key)
        if text is None:
            text = escape(times(value))
            if times._minutes and is_aware(value) and not localtime(value).utcoffset().seconds % 60:
                minutes[key] = text
        return text

    def shown(value) -> str:  # {{ value|default_if_none:"—" }}: localised as the template language does
        return "—" if value is None else escape(str(localize(value)))

    def changes(changed: dict) -> str:
        if not changed:
            return ""
        return '<ul class="changes">' + "".join(
            f"<li><code>{escape(str(field))}</code>: {shown(pair[0])} → {shown(pair[1])}</li>"
            for field, pair in changed.items()) + "</ul>"

    def row(e: AuditEvent) -> str:
        object_type = e.object_type
        known = types.get(object_type)
        if known is None:
            known = types[object_type] = (escape(str(object_type_label(object_type))), escape(quote(object_type)))
        action = actions.get(e.action)
        return _EVENT_ROW.format(
            time=time(e.created_at), actor=escape(str(e.actor_label)),
            action=action if action is not None else escape(str(e.action)),
            verb=f'<br><span class="muted">{escape(str(e.verb))}</span>' if e.verb else "",
            object=escape(str(e.object_repr)), type_query=known[1], id_query=escape(quote(e.object_id)),
            history_of=history_of, type=known[0], id=escape(str(e.object_id)), changes=changes(e.changes))

    return mark_safe("\n".join(row(e) for e in events))  # noqa: S308 (every value escaped above)
