"""organisations.rows.member_rows against the function it was before it wrote each row with one format and the
"since" date per local day (kept here as the reference): for owners, admins and editors, in lv and en, with hostile
names and addresses, members who joined on several days and around local midnight."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from agnitio.core.rows import ROW, Dates, html, html_join, url_pattern
from agnitio.organisations.models import Membership
from agnitio.organisations.rows import _MEMBER_ROW, _REVOKE, _ROLE_FORM, member_rows


def reference_member_rows(memberships, *, organisation, actor, is_admin: bool, is_owner: bool,
                          csrf_input: SafeString) -> SafeString:
    role_url = url_pattern("organisations:member_role", organisation.public_id, ROW)
    revoke_url = url_pattern("organisations:member_revoke", organisation.public_id, ROW)
    roles = Membership.Role.choices
    labels = {value: str(label) for value, label in roles}
    you = html(' <span class="badge">{}</span>', _("you"))
    role_of, change, revoke = _("Role of %(name)s"), _("Change role"), _("Revoke access")
    dates = Dates()
    options: dict[str, SafeString] = {}

    def options_for(selected: str) -> SafeString:
        if selected not in options:
            options[selected] = html_join("", '<option value="{}"{}>{}</option>', (
                (value, mark_safe(" selected") if value == selected else "", label)  # noqa: S308 (a constant)
                for value, label in roles if value != Membership.Role.OWNER or is_owner))
        return options[selected]

    def row(m: Membership) -> dict:
        own = m.user_id == actor.pk
        email = m.user.email
        if is_admin and not own and (is_owner or m.role != Membership.Role.OWNER):
            role = html(_ROLE_FORM, action=role_url(m.public_id), csrf=csrf_input, id=m.public_id,
                        label=role_of % {"name": email}, options=options_for(m.role), button=change)
        else:
            role = labels.get(m.role, m.role)
        actions = ""
        if is_admin:
            link = (html(_REVOKE, revoke_url(m.public_id), revoke, email)
                    if not own and (m.role != Membership.Role.OWNER or is_owner) else "")
            actions = html("\n      <td>{}</td>", link)
        return {"name": m.user.full_name or "—", "you": you if own else "", "email": email, "role": role,
                "since": dates(m.created_at), "actions": actions}

    return html_join("\n", _MEMBER_ROW, (row(m) for m in memberships))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["lv", "en"])
def test_member_rows_are_the_reference_rows(language, make_user, owner, admin, editor, organisation):
    hostile = make_user('x"<script>@example.org', full_name='<b>Anna</b> & "Bērziņa" \'x\'')
    nameless = make_user("nameless@example.org", full_name="")
    other_owner = make_user("owner2@example.org")
    Membership.objects.create(organisation=organisation, user=hostile, role="editor")
    Membership.objects.create(organisation=organisation, user=nameless, role="admin")
    Membership.objects.create(organisation=organisation, user=other_owner, role="owner")
    local = timezone.get_current_timezone()
    # joined on several days, some a minute either side of local midnight (another day in UTC)
    for index, membership in enumerate(Membership.objects.filter(organisation=organisation).order_by("pk")):
        midnight = datetime.datetime(2025, 3, 1 + index, tzinfo=local)
        membership.created_at = midnight + datetime.timedelta(minutes=(-1) ** index * (1 + index))
        membership.save(update_fields=["created_at"])
    memberships = list(Membership.objects.filter(organisation=organisation).select_related("user").order_by("pk"))
    csrf = mark_safe('<input type="hidden" name="csrfmiddlewaretoken" value="t">')  # noqa: S308 (a constant)
    with translation.override(language):
        for actor, is_admin, is_owner in ((owner, True, True), (admin, True, False), (editor, False, False)):
            arguments = {"organisation": organisation, "actor": actor, "is_admin": is_admin, "is_owner": is_owner,
                         "csrf_input": csrf}
            written = member_rows(memberships, **arguments)
            assert written == reference_member_rows(memberships, **arguments)
            assert "<b>Anna" not in written and "&lt;b&gt;Anna" in written
        with timezone.override("America/New_York"):
            assert member_rows(memberships, **arguments) == reference_member_rows(memberships, **arguments)
