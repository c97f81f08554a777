"""The rows written in Python are those of the code they replaced (kept here as the reference), in lv and en."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from urllib.parse import quote

import pytest
from django.utils import timezone, translation
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from agnitio.core.models import AuditEvent
from agnitio.core.rows import Dates, html, html_join
from agnitio.organisations.forms import object_type_label
from agnitio.organisations.rows import _EVENT_ROW, event_rows


def reference_event_rows(events: Iterable[AuditEvent]) -> SafeString:
    """organisations.rows.event_rows before it wrote its rows with one format each (every value through
    core.rows.html)."""
    actions = {value: str(label) for value, label in AuditEvent.Action.choices}
    history_of = _("History of this object")
    times = Dates("DATETIME_FORMAT")
    types: dict[str, str] = {}

    def type_label(object_type: str) -> str:
        if object_type not in types:
            types[object_type] = object_type_label(object_type)
        return types[object_type]

    def shown(value) -> object:
        return "—" if value is None else localize(value)

    def changes(event: AuditEvent) -> SafeString | str:
        if not event.changes:
            return ""
        return html('<ul class="changes">{}</ul>', html_join(
            "", "<li><code>{}</code>: {} → {}</li>",
            ((field, shown(pair[0]), shown(pair[1])) for field, pair in event.changes.items())))

    def row(e: AuditEvent) -> dict:
        return {"time": times(e.created_at), "actor": e.actor_label, "action": actions.get(e.action, e.action),
                "verb": html('<br><span class="muted">{}</span>', e.verb) if e.verb else "",
                "object": e.object_repr, "type_query": quote(e.object_type),
                "id_query": quote(e.object_id), "history_of": history_of, "type": type_label(e.object_type),
                "id": e.object_id, "changes": changes(e)}

    return html_join("\n", _EVENT_ROW, (row(e) for e in events))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["lv", "en"])
def test_event_rows_are_the_reference_rows(language, owner, organisation):
    changes = [{}, {"share": [1.5, None], "name": ["<x>", "y & z"]}, {"n": [1234567, 2]}, {"<b>": [True, [1, "<a>"]]},
               {"when": ["2026-01-02", {"k": "'\""}]}]
    now = timezone.now()
    for i in range(40):
        event = AuditEvent.objects.create(
            organisation=organisation, actor=owner if i % 3 else None, actor_label=["", "<i>A</i> & 'B'", "x"][i % 3],
            action=["update", "create", "grant", "nonsense<>", "other"][i % 5],
            verb="<b>verb</b>" if i % 4 == 0 else "",
            object_type=["organisations.Signatory", "gone.Model", "bad label &", "organisations.Organisation"][i % 4],
            object_id=["a&b c", "ü/ä?x=1#", "<s>", "42"][i % 4], object_repr=f"<s>Repr</s> {i} \"q\"",
            changes=changes[i % len(changes)])
        AuditEvent.objects.filter(pk=event.pk).update(created_at=now - datetime.timedelta(seconds=37 * i))
    events = list(AuditEvent.objects.filter(organisation=organisation).order_by("-created_at", "-id"))
    with translation.override(language):
        assert str(event_rows(events)) == str(reference_event_rows(events))
        assert event_rows([]) == reference_event_rows([]) == mark_safe("")  # noqa: S308
