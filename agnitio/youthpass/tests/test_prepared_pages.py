"""The prepared queries of the Youthpass hot paths (ADR 0019) give the plain ORM's SQL and rows: a project read by
project_get, the first page of the project list, the learner's own records. Each for owners, admins, editors of a
project (active, pending, revoked), members without access, outsiders and people with no membership; a scoped
(API token) request takes the ORM's way and sees only its organisation."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agnitio.core.errors import NotFound
from agnitio.core.pagination import keyset_page
from agnitio.core.tests.test_prepared import _same
from agnitio.organisations.access import organisation_scope_set
from agnitio.organisations.models import Membership
from agnitio.youthpass import selectors, services
from agnitio.youthpass.models import Participant, ProjectEditor

pytestmark = pytest.mark.django_db


def _editor(make_user, organisation, project, email, status=ProjectEditor.Status.ACTIVE):
    user = make_user(email)
    Membership.objects.create(organisation=organisation, user=user, role=Membership.Role.EDITOR)
    ProjectEditor.objects.create(organisation=organisation, project=project, email=email, full_name="Ēriks “Ē” <b>",
                                 user=user, status=status, accepted_at=timezone.now())
    return user


@pytest.fixture
def world(owner, admin, editor, outsider, organisation, other_organisation, project, make_user):
    """Projects in two organisations (one titled with quotes and unicode, one with activities and participants),
    editors in every status, and a learner with a record."""
    second = services.project_create(
        actor=owner, organisation=organisation, grant_number="2022-1-LV01-KA152-YOU-000000002",
        programme="erasmus_youth", project_type="youth_exchange", title="Apmaiņa “Tilti” <script>",
        start_date=datetime.date(2026, 6, 1), end_date=datetime.date(2026, 6, 9))
    services.activity_create(actor=owner, project=second, activity_type="youth_exchange", title="Ā",
                             start_date=datetime.date(2026, 6, 1), end_date=datetime.date(2026, 6, 9),
                             venue_city="Cēsis", venue_country="LV")
    for i in range(3):
        services.participant_create(actor=owner, project=second, first_name=f"Anna{i}", last_name="Bērziņa",
                                    email=f"anna{i}@example.org", country="LV", language="lv")
    elsewhere = services.project_create(
        actor=outsider, organisation=other_organisation, grant_number="2022-1-FR02-KA152-YOU-000000003",
        programme="erasmus_youth", project_type="youth_exchange")
    people = {"owner": owner, "admin": admin, "member": editor, "outsider": outsider,
              "active": _editor(make_user, organisation, second, "active@tilts.example"),
              "pending": _editor(make_user, organisation, second, "pending@tilts.example",
                                 ProjectEditor.Status.PENDING),
              "revoked": _editor(make_user, organisation, second, "revoked@tilts.example",
                                 ProjectEditor.Status.REVOKED),
              "nobody": make_user("nobody@example.org")}
    learner = make_user("learner@example.org")
    Participant.objects.filter(project=second, email="anna0@example.org").update(user=learner)
    people["learner"] = learner
    # an outsider who edits a project of another organisation (no membership there)
    ProjectEditor.objects.create(organisation=organisation, project=second, email=outsider.email, full_name="O",
                                 user=outsider, status=ProjectEditor.Status.ACTIVE, accepted_at=timezone.now())
    return {"people": people, "projects": [project, second, elsewhere]}


def _orm_project(user, public_id):
    return selectors.project_list(actor=user).filter(public_id=public_id).first()


def test_project_get_is_the_orms_query_and_row(world):
    for user in world["people"].values():
        for project in world["projects"]:
            orm_sql, orm_params = (selectors.project_list(actor=user).filter(public_id=project.public_id)[:1]
                                   .query.get_compiler(using="default").as_sql())
            assert selectors._PROJECT_OF_USER.sql(user_id=user.pk, public_id=project.public_id) == (
                orm_sql, tuple(orm_params))
            expected = _orm_project(user, project.public_id)
            if expected is None:
                with pytest.raises(NotFound):
                    selectors.project_get(actor=user, public_id=project.public_id)
            else:
                got = selectors.project_get(actor=user, public_id=project.public_id)
                got_state = dict(vars(got))
                del got_state["_visible_to"]  # set by project_get on what it read for the actor
                got.__dict__ = got_state
                _same([got], [expected])


def test_project_get_who_sees_what(world):
    people, (first, second, elsewhere) = world["people"], world["projects"]
    visible = {name: {p.public_id for p in world["projects"] if _orm_project(user, p.public_id) is not None}
               for name, user in people.items()}
    assert visible == {"owner": {first.public_id, second.public_id}, "admin": {first.public_id, second.public_id},
                       "member": set(), "outsider": {second.public_id, elsewhere.public_id},
                       "active": {second.public_id}, "pending": set(), "revoked": set(), "nobody": set(),
                       "learner": set()}
    for name, user in people.items():
        for project in world["projects"]:
            if project.public_id in visible[name]:
                assert selectors.project_get(actor=user, public_id=project.public_id).pk == project.pk
            else:
                with pytest.raises(NotFound):
                    selectors.project_get(actor=user, public_id=project.public_id)
    for odd in ("", "x" * 300, "'; drop table x; --", "Ā\u2063", first.public_id.lower()):
        with pytest.raises(NotFound):
            selectors.project_get(actor=people["owner"], public_id=odd)


def test_project_get_revoked_at_once(world):
    active, second = world["people"]["active"], world["projects"][1]
    assert selectors.project_get(actor=active, public_id=second.public_id)
    ProjectEditor.objects.filter(user=active).update(status=ProjectEditor.Status.REVOKED)
    with pytest.raises(NotFound):
        selectors.project_get(actor=active, public_id=second.public_id)
    owner = world["people"]["owner"]
    Membership.objects.filter(user=owner).update(role=Membership.Role.EDITOR)
    with pytest.raises(NotFound):
        selectors.project_get(actor=owner, public_id=second.public_id)


def test_a_scoped_request_takes_the_orms_way(world):
    outsider, (_first, second, elsewhere) = world["people"]["outsider"], world["projects"]
    organisation_scope_set(elsewhere.organisation_id)
    try:
        assert selectors.project_get(actor=outsider, public_id=elsewhere.public_id).pk == elsewhere.pk
        with pytest.raises(NotFound):  # an editor of a project of another organisation than the scope's
            selectors.project_get(actor=outsider, public_id=second.public_id)
        assert selectors.project_list_first_rows(actor=outsider, rows=selectors.PROJECT_PAGE_SIZE + 1) is None
        page = _list_page(outsider)
        assert [p.pk for p in page] == [elsewhere.pk]
    finally:
        organisation_scope_set(None)
    assert {p.pk for p in _list_page(outsider)} == {second.pk, elsewhere.pk}


def _list_page(user, **kwargs):
    return keyset_page(lambda: selectors.project_list_rows(actor=user), ordering=selectors.PROJECT_ORDER,
                       default_size=selectors.PROJECT_PAGE_SIZE,
                       first_rows=lambda n: selectors.project_list_first_rows(actor=user, rows=n), **kwargs)


def test_project_list_first_page_is_the_orms(world):
    for user in world["people"].values():
        orm = selectors.project_list_rows(actor=user).order_by(*selectors.PROJECT_ORDER)[
            :selectors.PROJECT_PAGE_SIZE + 1]
        orm_sql, orm_params = orm.query.get_compiler(using="default").as_sql()
        assert selectors._PROJECT_LIST_FIRST.sql(user_id=user.pk) == (orm_sql, tuple(orm_params))
        prepared = selectors.project_list_first_rows(actor=user, rows=selectors.PROJECT_PAGE_SIZE + 1)
        _same(prepared, list(orm))
        assert [(p.activity_count, p.participant_count) for p in prepared] == [
            (p.activity_count, p.participant_count) for p in orm]
        plain = keyset_page(selectors.project_list_rows(actor=user), ordering=selectors.PROJECT_ORDER)
        page = _list_page(user)
        _same(page.items, plain.items)
        assert (page.next_cursor, page.previous_cursor) == (plain.next_cursor, plain.previous_cursor)
    assert selectors.project_list_first_rows(actor=world["people"]["owner"], rows=11) is None  # another size


def test_project_list_pages_beyond_the_first_and_other_sizes(world, owner, organisation):
    for i in range(3, 8):
        services.project_create(actor=owner, organisation=organisation, programme="erasmus_youth",
                                grant_number=f"2022-1-LV01-KA152-YOU-00000001{i}", project_type="youth_exchange")
    plain = keyset_page(selectors.project_list_rows(actor=owner), ordering=selectors.PROJECT_ORDER, size=3)
    page = _list_page(owner, size=3)
    _same(page.items, plain.items)
    following = _list_page(owner, size=3, cursor=page.next_cursor)
    _same(following.items, keyset_page(selectors.project_list_rows(actor=owner), ordering=selectors.PROJECT_ORDER,
                                       size=3, cursor=page.next_cursor).items)
    assert following.has_previous
    bad = _list_page(owner, cursor="not-a-cursor")
    assert bad.cursor_invalid and [p.pk for p in bad] == [p.pk for p in _list_page(owner)]


def test_learner_records_are_the_orms(world):
    for user in world["people"].values():
        _same(selectors.learner_records(actor=user), list(selectors.participant_list_for_learner(actor=user)))
    assert len(selectors.learner_records(actor=world["people"]["learner"])) == 1


def test_one_query_each(world):
    owner, second = world["people"]["owner"], world["projects"][1]
    selectors.project_get(actor=owner, public_id=second.public_id)
    with CaptureQueriesContext(connection) as queries:
        selectors.project_get(actor=owner, public_id=second.public_id)
        _list_page(owner)
        selectors.learner_records(actor=owner)
    assert len(queries) == 3


def _as_related_manager_gives(rows, project):
    for row in rows:
        row.project = project
    return rows


def test_a_projects_activities_partners_and_first_page_of_individuals_are_the_orms(world, make_user):
    owner, (first, second, _elsewhere) = world["people"]["owner"], world["projects"]
    services.project_partner_add(actor=owner, project=second, name="Ūdens “<b>”", country="EE")
    services.project_partner_add(actor=owner, project=second, name="Aa", country="LV")
    for project in (first, second):
        project = selectors.project_get(actor=owner, public_id=project.public_id)
        checks = [
            (selectors._ACTIVITIES_OF.sql(project_id=project.pk), project.activities.all(),
             selectors.project_activities(actor=owner, project=project)),
            (selectors._PARTNERS_OF.sql(project_id=project.pk), project.partners.all(),
             selectors.project_partners(actor=owner, project=project)),
        ]
        people = selectors.participant_list(actor=owner, project=project).only(
            *selectors.PARTICIPANT_ROW_FIELDS).prefetch_related(None)
        orm_first = people.order_by(*selectors.PARTICIPANT_ORDER)[:selectors.PARTICIPANT_PAGE_SIZE + 1]
        checks.append((selectors._PARTICIPANTS_FIRST.sql(project_id=project.pk), orm_first,
                       selectors.participant_first_rows(actor=owner, project=project,
                                                        rows=selectors.PARTICIPANT_PAGE_SIZE + 1)))
        for prepared_sql, orm, prepared in checks:
            orm_sql, orm_params = orm.query.get_compiler(using="default").as_sql()
            assert prepared_sql == (orm_sql, tuple(orm_params))
            _same(prepared, list(orm))  # with the project known to each row, as the related manager gives it
        assert selectors.participant_first_rows(actor=owner, project=project, rows=11) is None
    # a project not read by project_get for the person (or read for another) is checked first, as before
    with pytest.raises(NotFound):
        selectors.project_activities(actor=world["people"]["nobody"], project=second)
    with pytest.raises(NotFound):
        selectors.participant_first_rows(actor=world["people"]["nobody"], project=second,
                                         rows=selectors.PARTICIPANT_PAGE_SIZE + 1)
    organisation_scope_set(second.organisation_id)
    try:
        read = selectors.project_get(actor=owner, public_id=second.public_id)
        assert selectors.participant_first_rows(actor=owner, project=read,
                                                rows=selectors.PARTICIPANT_PAGE_SIZE + 1) is None
        assert [a.pk for a in selectors.project_activities(actor=owner, project=read)] == [
            a.pk for a in second.activities.all()]
    finally:
        organisation_scope_set(None)


def test_the_list_of_individuals_is_the_orms_at_two_sizes(world, client):
    owner, second = world["people"]["owner"], world["projects"][1]
    client.force_login(owner)
    path = f"/youthpass/p/{second.public_id}/participants/"
    client.get(path)  # the session's first request writes more
    sizes = {}
    for extra in (0, 7):
        for i in range(extra):
            services.participant_create(actor=owner, project=second, first_name=f"Ēriks{i}", last_name="Zāle",
                                        email="", country="LV", language="lv")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        sizes[extra] = len(queries)
    assert sizes[0] == sizes[7]


def test_status_numbers_are_the_grouped_querys(world):
    owner, (first, second, _elsewhere) = world["people"]["owner"], world["projects"]
    for i in range(4):
        services.participant_create(actor=owner, project=second, first_name=f"Ēriks{i}", last_name="Zāle",
                                    email="" if i % 2 else f"eriks{i}@example.org", country="LV", language="lv")
    Participant.objects.filter(project=second, first_name="Ēriks0").update(status=Participant.Status.INVITED)
    Participant.objects.filter(project=second, first_name="Ēriks1").update(status=Participant.Status.INVITED)
    Participant.objects.filter(project=second, first_name="Ēriks2").update(
        status=Participant.Status.CERTIFICATE_ISSUED)

    def grouped(project):
        return {status: (n, with_email) for status, n, with_email in project.participants.values_list(
            "status").annotate(n=Count("id"), with_email=Count("id", filter=~Q(email=""))).order_by()}

    for project in (first, second):
        read = selectors.project_get(actor=owner, public_id=project.public_id)
        assert selectors.participant_status_numbers(project=read) == grouped(project)
    assert grouped(second) == {"not_invited": (4, 3), "invited": (2, 1), "certificate_issued": (1, 1)}
    Participant.objects.filter(project=second, first_name="Ēriks3").update(status="legacy")  # not a known status
    read = selectors.project_get(actor=owner, public_id=second.public_id)
    assert selectors.participant_status_numbers(project=read) == grouped(second)
    assert grouped(second)["legacy"] == (1, 0)
