"""The member list's and the history's prepared queries (core.prepared, ADR 0019) answer what the plain ORM answers.

For each: the SQL is the ORM's for the same builder, the rows are the ORM's (every attribute of every instance),
and what the selector returns is what the selector returned before it was prepared (kept here as the reference);
the first page made from a prepared query is the `Page` keyset_page makes, at sizes around the page's."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Case, Exists, OuterRef, Subquery, Value, When
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from agnitio.core.models import AuditEvent
from agnitio.core.pagination import DEFAULT_SIZE, keyset_page
from agnitio.core.tests.test_prepared import _same
from agnitio.organisations import selectors
from agnitio.organisations.models import Membership, Organisation
from agnitio.organisations.paging import first_page_or_keyset


def _plain_object_types(organisation) -> list[str]:
    """audit_object_types before it was prepared."""
    return list(AuditEvent.objects.filter(organisation=organisation).order_by("object_type")
                .values_list("object_type", flat=True).distinct())


def _plain_people(organisation) -> list[tuple[str, str]]:
    """audit_people before it was prepared."""
    User = get_user_model()
    events = AuditEvent.objects.filter(organisation=organisation, actor__isnull=False)
    outside = Case(
        When(Exists(Membership.objects.filter(organisation=organisation, user=OuterRef("pk"))), then=Value(None)),
        default=Subquery(events.filter(actor=OuterRef("pk")).order_by("-id").values("actor_label")[:1]))
    rows = (User.objects.filter(pk__in=events.values("actor_id")).annotate(outside_label=outside)
            .order_by("full_name", "email").values_list("public_id", "full_name", "email", "outside_label"))
    return [(public_id, label if label is not None else full_name and f"{full_name} <{email}>" or email)
            for public_id, full_name, email, label in rows]


def _page_state(page) -> dict:
    return {"next": page.next_cursor, "previous": page.previous_cursor, "size": page.size,
            "invalid": page.cursor_invalid, "query": page.query, "path": page.path, "param": page.cursor_param,
            "next_url": page.next_url, "first_url": page.first_url}


@pytest.fixture
def history(owner, admin, editor, make_user, organisation, other_organisation):
    """Events by members, by someone outside (two labels: the newest counts), by nobody, in two organisations,
    with object types in an order that is not the events' and names with characters that sort differently."""
    outside = make_user("host@elsewhere.example", full_name="Ārējais Viesis")
    editor.full_name = ""
    editor.save()
    admin.full_name = "Ādmine <b>&</b>"
    admin.save()
    kinds = ["zeta.Z", "organisations.Signatory", "Ümlaut.X", "core.Unknown", "organisations.Organisation"]
    for i in range(130):
        AuditEvent.objects.create(
            organisation=organisation if i % 7 else other_organisation,
            actor=[owner, admin, editor, outside, None][i % 5], actor_label=f"label {i} <x@y>", action="update",
            object_type=kinds[i % len(kinds)], object_id=str(i), object_repr=f"obj {i}",
            changes={"a": [i, None]} if i % 2 else {})
    return {"outside": outside}


@pytest.mark.django_db
def test_object_types_and_people_are_the_plain_queries(history, owner, organisation, other_organisation):
    empty = Organisation.objects.create(legal_name="Tukša", country="LV", address="x", email="t@x.example")
    Membership.objects.create(organisation=empty, user=owner, role="owner")
    Membership.objects.create(organisation=other_organisation, user=owner, role="owner")
    for org in (organisation, other_organisation, empty):
        assert selectors.audit_object_types(actor=owner, organisation=org) == _plain_object_types(org)
        assert selectors.audit_people(actor=owner, organisation=org) == _plain_people(org)
        for prepared, build in ((selectors._AUDIT_TYPES, selectors._audit_types_first_events),
                                (selectors._AUDIT_PEOPLE, selectors._audit_people_users),
                                (selectors._AUDIT_FIRST_PAGE, selectors.audit_events_first_page_rows)):
            sql, params = build(org.pk).query.get_compiler(using="default").as_sql()
            assert prepared.sql(organisation_id=org.pk) == (sql, tuple(params))
            _same(prepared.list(organisation_id=org.pk), list(build(org.pk)))
    people = dict(selectors.audit_people(actor=owner, organisation=organisation))
    assert people[history["outside"].public_id].startswith("label ")  # the organisation's label, not the account's
    assert len(selectors.audit_object_types(actor=owner, organisation=organisation)) == 5


@pytest.mark.django_db
def test_history_selectors_answer_nothing_to_non_admins(history, editor, outsider, organisation):
    for actor in (editor, outsider):
        assert selectors.audit_object_types(actor=actor, organisation=organisation) == []
        assert selectors.audit_people(actor=actor, organisation=organisation) == []
        assert selectors.audit_event_first_page(actor=actor, organisation=organisation) == []


def _compare_pages(request, *, first_rows, queryset, ordering, cursor_param="cursor"):
    with CaptureQueriesContext(connection) as plain_queries:
        plain = keyset_page(queryset(), ordering=ordering, request=request, cursor_param=cursor_param)
    with CaptureQueriesContext(connection) as fast_queries:
        fast = first_page_or_keyset(first_rows=first_rows, queryset=queryset, ordering=ordering, request=request,
                                    cursor_param=cursor_param)
    _same(fast.items, plain.items)
    assert _page_state(fast) == _page_state(plain)
    assert [q["sql"] for q in fast_queries] == [q["sql"] for q in plain_queries]
    return fast


@pytest.mark.django_db
@pytest.mark.parametrize("count", [0, 1, DEFAULT_SIZE - 1, DEFAULT_SIZE, DEFAULT_SIZE + 1, DEFAULT_SIZE + 2])
def test_history_first_page_is_keyset_pages(count, owner, organisation, other_organisation):
    for i in range(count):
        AuditEvent.objects.create(organisation=organisation, actor=owner, action="update", object_type="x.Y",
                                  object_id=str(i))
    AuditEvent.objects.create(organisation=other_organisation, action="update", object_type="x.Y", object_id="o")
    factory = RequestFactory()
    for query in ("", "?size=50", "?size=abc", "?size=10", "?cursor=", "?cursor=broken", "?other=1&size=50"):
        request = factory.get(f"/organisations/{organisation.public_id}/history/{query}")
        page = _compare_pages(
            request, first_rows=lambda: selectors.audit_event_first_page(actor=owner, organisation=organisation),
            queryset=lambda: selectors.audit_event_list(actor=owner, organisation=organisation),
            ordering=selectors.AUDIT_ORDER)
        if page.next_cursor:  # and the next page, by keyset_page
            follow = factory.get(f"/organisations/{organisation.public_id}/history/?cursor={page.next_cursor}")
            _compare_pages(
                follow, first_rows=lambda: pytest.fail("not the first page"),
                queryset=lambda: selectors.audit_event_list(actor=owner, organisation=organisation),
                ordering=selectors.AUDIT_ORDER)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [0, DEFAULT_SIZE - 3, DEFAULT_SIZE, DEFAULT_SIZE + 1])
def test_member_first_page_is_keyset_pages(count, owner, editor, make_user, organisation, other_organisation):
    """Members sorted by name, address and id: equal names, empty names, letters beyond ASCII."""
    for i in range(max(count - 2, 0)):
        user = make_user(f"m{i:03d}@x.example", full_name=["", "Ādams", "Zane", "Ādams"][i % 4])
        Membership.objects.create(organisation=organisation, user=user, role="editor")
    Membership.objects.create(organisation=other_organisation, user=make_user("o@x.example"), role="owner")
    factory = RequestFactory()
    for actor in (owner, editor):
        for query in ("", "?size=50", "?size=7", "?invitations=abc"):
            request = factory.get(f"/organisations/{organisation.public_id}/members/{query}")
            _compare_pages(
                request, first_rows=lambda actor=actor: selectors.member_first_page(actor=actor,
                                                                                    organisation=organisation),
                queryset=lambda actor=actor: selectors.membership_list(actor=actor, organisation=organisation).only(
                    *selectors.MEMBER_ROW_FIELDS),
                ordering=selectors.MEMBER_ORDER)
    sql, params = selectors.member_first_page_rows(organisation.pk).query.get_compiler(using="default").as_sql()
    assert selectors._MEMBER_FIRST_PAGE.sql(organisation_id=organisation.pk) == (sql, tuple(params))


@pytest.mark.django_db
def test_member_first_page_is_nothing_for_non_members(owner, outsider, organisation):
    assert selectors.member_first_page(actor=outsider, organisation=organisation) == []
    assert [m.user_id for m in selectors.member_first_page(actor=owner, organisation=organisation)] == [owner.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [0, 1, DEFAULT_SIZE, DEFAULT_SIZE + 1])
def test_pending_invitations_first_page_is_keyset_pages(count, owner, editor, organisation, other_organisation):
    """Pending member invitations of the organisation (not accepted ones, not another organisation's), newest
    first, equal times broken by id — for its admins; nothing for anyone else."""
    import datetime

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from agnitio.invitations.models import Invitation
    from agnitio.invitations.selectors import INVITATION_ORDER, invitations_first_page_for, invitations_for
    from agnitio.organisations.invitation_kinds import MEMBER

    content_type = ContentType.objects.get_for_model(Organisation)
    now = timezone.now()
    for i in range(count + 3):
        target = other_organisation if i == count + 2 else organisation
        Invitation.objects.create(
            kind=MEMBER, organisation=target, target_type=content_type, target_id=target.pk,
            mailed_to=f"p{i}@x.example", full_name=f"Persona {i}", language="lv", token_hash=f"{i:064d}",
            status="accepted" if i == count + 1 else "pending", expires_at=now + datetime.timedelta(days=3),
            sent_at=now, payload={"role": "editor"}, invited_by=owner)
    Invitation.objects.filter(pk__in=Invitation.objects.order_by("id").values("id")[:3]).update(created_at=now)
    factory = RequestFactory()
    for actor in (owner, editor):
        for query in ("", "?invitations=", "?size=2", "?cursor=x"):
            request = factory.get(f"/organisations/{organisation.public_id}/members/{query}")
            _compare_pages(
                request, cursor_param="invitations", ordering=INVITATION_ORDER,
                first_rows=lambda actor=actor: invitations_first_page_for(actor=actor, target=organisation,
                                                                          kind=MEMBER),
                queryset=lambda actor=actor: invitations_for(actor=actor, target=organisation, kind=MEMBER))
    assert invitations_first_page_for(actor=editor, target=organisation, kind=MEMBER) == []
    assert len(invitations_first_page_for(actor=owner, target=organisation, kind=MEMBER)) == min(count + 1, 51)


@pytest.mark.django_db
def test_overview_and_dashboard_counts_are_core_counts(owner, admin, editor, outsider, organisation,
                                                       other_organisation):
    from agnitio.core.selectors import counts
    from agnitio.organisations.models import Signatory, SignatureImage

    empty = Organisation.objects.create(legal_name="Tukša", country="LV", address="x", email="t@x.example")
    Membership.objects.create(organisation=empty, user=owner, role="owner")
    Membership.objects.create(organisation=other_organisation, user=owner, role="admin")
    for i, active in enumerate((True, True, False)):
        Signatory.objects.create(organisation=organisation, full_name=f"S {i}", position="p", is_active=active)
    Signatory.objects.create(organisation=other_organisation, full_name="T", position="p")
    images = [("signature", True, True), ("signature", True, False), ("stamp", False, True), ("stamp", True, False)]
    for kind, active, default in images:
        SignatureImage.objects.create(organisation=organisation, kind=kind, is_active=active, is_default=default,
                                      original="organisations/x.png", label="l")
    SignatureImage.objects.create(organisation=other_organisation, kind="stamp", is_active=True, is_default=True,
                                  original="organisations/y.png", label="l")
    for actor in (owner, admin, editor, outsider):
        for org in (organisation, other_organisation, empty):
            overview = counts(
                member_count=selectors.membership_list(actor=actor, organisation=org),
                signatory_count=selectors.signatory_list(actor=actor, organisation=org),
                signature_count=selectors.signature_list(actor=actor, organisation=org).filter(is_active=True))
            assert selectors.organisation_overview_counts(actor=actor, organisation=org) == overview
            dashboard = dict.fromkeys(selectors.DASHBOARD_COUNTS, 0)
            if selectors.allowed(actor, "organisations.change_organisation", org):
                defaults = SignatureImage.objects.filter(organisation_id=org.pk, is_active=True, is_default=True)
                dashboard = counts(
                    signatory_count=Signatory.objects.filter(organisation_id=org.pk, is_active=True),
                    signatures=defaults.filter(kind=SignatureImage.Kind.SIGNATURE),
                    stamps=defaults.filter(kind=SignatureImage.Kind.STAMP),
                    member_count=Membership.objects.filter(organisation_id=org.pk))
            assert selectors.dashboard_step_counts(actor=actor, organisation=org) == dashboard
    assert selectors.organisation_overview_counts(actor=owner, organisation=organisation) == {
        "member_count": 3, "signatory_count": 3, "signature_count": 3}
    assert selectors.dashboard_step_counts(actor=owner, organisation=organisation) == {
        "signatory_count": 2, "signatures": 1, "stamps": 0, "member_count": 3}
    for prepared, build in ((selectors._OVERVIEW_COUNTS, selectors._overview_counts),
                            (selectors._DASHBOARD_COUNTS, selectors._dashboard_counts)):
        sql, params = build(organisation.pk).query.get_compiler(using="default").as_sql()
        assert prepared.sql(organisation_id=organisation.pk) == (sql, tuple(params))
        _same(prepared.list(organisation_id=organisation.pk), list(build(organisation.pk)))


@pytest.mark.django_db
@pytest.mark.parametrize("count", [0, 1, selectors.DASHBOARD_ORGANISATIONS, selectors.DASHBOARD_ORGANISATIONS + 2])
def test_dashboard_memberships_are_the_plain_list(count, make_user):
    person = make_user("many@x.example")
    for i in range(count):
        org = Organisation.objects.create(legal_name=["Ā", "B", "a", "Z"][i % 4], country="LV", address="x",
                                          email=f"o{i}@x.example")
        Membership.objects.create(organisation=org, user=person, role=["owner", "editor"][i % 2])
    plain = list(selectors.membership_list_for_user(user=person)[:selectors.DASHBOARD_ORGANISATIONS + 1])
    _same(selectors.membership_list_for_dashboard(user=person), plain)
    sql, params = selectors._memberships_of_user_dashboard(person.pk).query.get_compiler(using="default").as_sql()
    plain_sql, plain_params = selectors.membership_list_for_user(user=person)[
        :selectors.DASHBOARD_ORGANISATIONS + 1].query.get_compiler(using="default").as_sql()
    assert (sql, tuple(params)) == (plain_sql, tuple(plain_params))
    assert selectors._DASHBOARD.sql(user_id=person.pk) == (sql, tuple(params))
