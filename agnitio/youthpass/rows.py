"""The rows of the project list, made in one pass (agnitio.core.rows): the URL reversed once per page, every value
escaped (core.rows.html). (The participant list's rows: views.participants._rows.)"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.formats import localize
from django.utils.safestring import SafeString

from agnitio.core.rows import html_join, url_pattern

from .models import Project

_PROJECT_ROW = ('    <tr><td><a href="{url}">{name}</a></td><td>{grant}</td><td>{organisation}</td>'
                "<td>{activities}</td><td>{participants}</td></tr>")


def project_rows(projects: Iterable[Project]) -> SafeString:
    """`<tr>`s of the project list (youthpass/project_list.html): the project (a link), its grant agreement number,
    its organisation, how many activities and individuals it has (selectors.PROJECT_ROW_FIELDS are read)."""
    detail = url_pattern("youthpass:project_detail")
    return html_join("\n", _PROJECT_ROW, ({
        "url": detail(p.public_id), "name": p.display_name, "grant": p.grant_number, "organisation": p.organisation,
        "activities": localize(p.activity_count), "participants": localize(p.participant_count)} for p in projects))
