"""core.prepared: the SQL and the instances of a prepared query are the plain ORM's, for every value bound.

These tests pin what the facility assumes of Django's internals (ADR 0019): a Django upgrade that changes how
`SQLCompiler` keeps its state or how `ModelIterable` reads it makes them fail, not the pages."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection
from django.db.models import Case, F, Q, Value, When
from django.test.utils import CaptureQueriesContext

from agnitio.core.prepared import PreparationError, PreparedQuery
from agnitio.organisations.models import Membership, Organisation

USER_MARKER = -7_318_046_211
NAME_MARKER = "\u2063prepared-name\u2063"


def _memberships(user_id: int):
    return Membership.objects.filter(user_id=user_id).select_related("organisation").order_by(
        "organisation__legal_name", "organisation__id", "id")[:2]


def _memberships_wanted(user_id: int, wanted: str):
    return Membership.objects.filter(user_id=user_id).select_related("organisation").alias(
        _not_wanted=Case(When(organisation__public_id=wanted, then=Value(0)), default=Value(1))).order_by(
        "_not_wanted", "organisation__legal_name", "organisation__id", "id")[:2]


def _organisations_named(name: str):
    return Organisation.objects.filter(legal_name=name).annotate(
        short=Value("konstante ü"), id_twice=F("id") + F("id")).only(
        "legal_name", "country", "identity_verified_at").order_by("id")


MEMBERSHIPS = PreparedQuery(_memberships, markers={"user_id": USER_MARKER}, name="test.memberships")
WANTED = PreparedQuery(_memberships_wanted, markers={"user_id": USER_MARKER, "wanted": NAME_MARKER},
                       name="test.memberships_wanted")
NAMED = PreparedQuery(_organisations_named, markers={"name": NAME_MARKER}, name="test.named")


def _state(obj, depth: int = 0) -> dict:
    """Everything an instance carries: its class, field values, deferred fields, database, adding flag, the
    annotations, and the same for the objects select_related filled in."""
    values = {key: value for key, value in vars(obj).items() if key != "_state"}
    related = {key: _state(value, depth + 1) if value is not None else None
               for key, value in obj._state.fields_cache.items()}
    return {"class": type(obj), "values": values, "deferred": obj.get_deferred_fields(), "db": obj._state.db,
            "adding": obj._state.adding, "related": related}


def _same(prepared_rows, orm_rows) -> None:
    assert [_state(o) for o in prepared_rows] == [_state(o) for o in orm_rows]


@pytest.fixture
def people(make_user, organisation, other_organisation):
    third = Organisation.objects.create(legal_name="Ūdens biedrība 💧", country="LV", address="Iela 2",
                                        email="u@udens.example")
    alone, two, three = make_user("alone@x.example"), make_user("two@x.example"), make_user("three@x.example")
    Membership.objects.create(organisation=organisation, user=alone, role="owner")
    Membership.objects.create(organisation=other_organisation, user=two, role="admin")
    Membership.objects.create(organisation=organisation, user=two, role="editor")
    for org in (organisation, other_organisation, third):
        Membership.objects.create(organisation=org, user=three, role="editor")
    nobody = make_user("nobody@x.example")
    return {"alone": alone, "two": two, "three": three, "nobody": nobody,
            "orgs": [organisation, other_organisation, third]}


@pytest.mark.django_db
def test_sql_is_the_orms_with_the_values_bound(people):
    for user in people.values():
        if not hasattr(user, "pk"):
            continue
        orm_sql, orm_params = _memberships(user.pk).query.get_compiler(using="default").as_sql()
        assert MEMBERSHIPS.sql(user_id=user.pk) == (orm_sql, tuple(orm_params))
        for wanted in ("", "ünïcødé ' \" %s %%", people["orgs"][2].public_id, "x" * 500):
            expected = _memberships_wanted(user.pk, wanted).query.get_compiler(using="default").as_sql()
            assert WANTED.sql(user_id=user.pk, wanted=wanted) == (expected[0], tuple(expected[1]))


@pytest.mark.django_db
def test_instances_are_the_orms_with_select_related(people):
    orgs = people["orgs"]
    for key in ("alone", "two", "three", "nobody"):
        user_id = people[key].pk
        _same(MEMBERSHIPS.list(user_id=user_id), list(_memberships(user_id)))
        for wanted in ("", "no-such-id", "ünïcødé 💧", orgs[0].public_id, orgs[1].public_id, orgs[2].public_id):
            prepared = WANTED.list(user_id=user_id, wanted=wanted)
            _same(prepared, list(_memberships_wanted(user_id, wanted)))
    # the wanted organisation comes first; a nonexistent user has none
    assert WANTED.list(user_id=people["three"].pk, wanted=orgs[2].public_id)[0].organisation == orgs[2]
    assert MEMBERSHIPS.list(user_id=10**12) == []
    assert all(m.organisation.legal_name for m in MEMBERSHIPS.list(user_id=people["three"].pk))


@pytest.mark.django_db
def test_annotations_deferred_fields_and_unicode(people):
    for name in ("Ūdens biedrība 💧", "Association Autre", "", "nobody's ' name", "%", "a" * 300):
        prepared = NAMED.list(name=name)
        _same(prepared, list(_organisations_named(name)))
    row = NAMED.one(name="Ūdens biedrība 💧")
    assert row.short == "konstante ü" and row.id_twice == 2 * row.id
    assert "address" in row.get_deferred_fields()
    assert NAMED.one(name="") is None


@pytest.mark.django_db
def test_one_query_per_call_and_nothing_compiled_again(people, monkeypatch):
    user_id = people["two"].pk
    MEMBERSHIPS.list(user_id=user_id)
    from django.db.models.sql.compiler import SQLCompiler

    def refuse(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(SQLCompiler, "setup_query", refuse)
    with CaptureQueriesContext(connection) as captured:
        rows = MEMBERSHIPS.list(user_id=user_id)
    assert len(captured) == 1 and len(rows) == 2
    assert str(user_id) in captured[0]["sql"]


@pytest.mark.django_db
def test_a_value_of_another_type_or_none_is_refused(people):
    for bad in (None, str(people["two"].pk), True, 1.0):
        with pytest.raises(TypeError):
            MEMBERSHIPS.list(user_id=bad)
    with pytest.raises(TypeError):
        WANTED.list(user_id=people["two"].pk, wanted=None)
    with pytest.raises(TypeError):
        MEMBERSHIPS.list(user_id=people["two"].pk, extra=1)
    with pytest.raises(TypeError):
        MEMBERSHIPS.list()


@pytest.mark.django_db
def test_queries_that_cannot_be_prepared_are_refused_when_prepared():
    def transformed(name: str):
        return Organisation.objects.filter(legal_name__icontains=name)

    def shape_depends(name: str):
        return Organisation.objects.filter(legal_name=name) if name == NAME_MARKER else Organisation.objects.all()

    def marker_unused(name: str):
        return Organisation.objects.filter(legal_name="fixed")

    def reads_outside(name: str):
        return Organisation.objects.filter(Q(legal_name=NAME_MARKER) | Q(short_name=name))

    for build in (transformed, shape_depends, marker_unused, reads_outside):
        with pytest.raises(PreparationError):
            PreparedQuery(build, markers={"name": NAME_MARKER}).list(name="x")
    with pytest.raises(PreparationError):
        PreparedQuery(lambda name: Organisation.objects.filter(legal_name=name).values("id"),
                      markers={"name": NAME_MARKER}).list(name="x")
    with pytest.raises(PreparationError):
        PreparedQuery(lambda name: Organisation.objects.filter(legal_name=name).prefetch_related("memberships"),
                      markers={"name": NAME_MARKER}).list(name="x")
    with pytest.raises(PreparationError):
        PreparedQuery(lambda a, b: Organisation.objects.all(), markers={"a": 1, "b": 1})
    with pytest.raises(PreparationError):
        PreparedQuery(lambda a: Organisation.objects.all(), markers={"a": None})  # type: ignore[dict-item]


@pytest.mark.django_db
def test_more_than_one_row_for_one():
    Organisation.objects.create(legal_name="Twin", country="LV", address="a", email="t1@x.example")
    Organisation.objects.create(legal_name="Twin", country="LV", address="b", email="t2@x.example")
    from django.core.exceptions import MultipleObjectsReturned

    with pytest.raises(MultipleObjectsReturned):
        NAMED.one(name="Twin")


@pytest.mark.django_db(transaction=True)
def test_each_thread_uses_its_own_connection_and_gets_its_own_rows(people):
    """gthread workers: threads binding different values at once each get their own rows."""
    expected = {key: [m.pk for m in _memberships(people[key].pk)] for key in ("alone", "two", "three", "nobody")}
    failures: list = []
    barrier = threading.Barrier(4)

    def work(key: str) -> None:
        from django.db import connections

        try:
            barrier.wait()
            for _ in range(30):
                got = [m.pk for m in MEMBERSHIPS.list(user_id=people[key].pk)]
                if got != expected[key]:
                    failures.append((key, got))
        except Exception as exc:  # pragma: no cover - reported below
            failures.append((key, repr(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(key,)) for key in expected]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


@pytest.mark.django_db
def test_a_changed_setting_prepares_again(people, settings):
    from django.db import connections

    MEMBERSHIPS.list(user_id=people["two"].pk)
    assert connections["default"] in MEMBERSHIPS._compiled
    settings.TIME_ZONE = "Europe/Paris"
    assert connections["default"] not in MEMBERSHIPS._compiled
    _same(MEMBERSHIPS.list(user_id=people["two"].pk), list(_memberships(people["two"].pk)))


def _memberships_since(user_id: int, since):
    return Membership.objects.filter(user_id=user_id, created_at__gte=since).select_related("organisation").order_by(
        "id")


SINCE = PreparedQuery(_memberships_since, markers={
    "user_id": USER_MARKER, "since": datetime.datetime(1901, 3, 5, 7, 11, 13, 170_019, tzinfo=datetime.UTC)},
    name="test.memberships_since")


@pytest.mark.django_db
def test_a_datetime_marker_is_bound_as_the_backend_adapts_it(people):
    """An aware datetime is bound as the ORM binds it to a date-time column (itself on PostgreSQL, its UTC text on
    SQLite), in any time zone; a naive one, or another type, is refused."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    now = timezone.now()
    moments = [now, now - datetime.timedelta(days=400), now + datetime.timedelta(seconds=1),
               now.astimezone(ZoneInfo("Europe/Riga")), now.astimezone(ZoneInfo("America/New_York")),
               datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)]
    for user in (people["three"], people["nobody"]):
        for since in moments:
            orm_sql, orm_params = _memberships_since(user.pk, since).query.get_compiler(using="default").as_sql()
            assert SINCE.sql(user_id=user.pk, since=since) == (orm_sql, tuple(orm_params))
            _same(SINCE.list(user_id=user.pk, since=since), list(_memberships_since(user.pk, since)))
    assert len(SINCE.list(user_id=people["three"].pk, since=moments[1])) == 3
    assert SINCE.list(user_id=people["three"].pk, since=moments[2]) == []
    for bad in (now.replace(tzinfo=None), now.date(), now.isoformat(), None):
        with pytest.raises(TypeError):
            SINCE.list(user_id=people["three"].pk, since=bad)
    with pytest.raises(PreparationError):
        PreparedQuery(_memberships_since, markers={"user_id": 1, "since": datetime.datetime(1901, 3, 5)})

@pytest.mark.django_db
def test_instances_are_built_without_from_db_only_where_nothing_can_tell(people, monkeypatch):
    """`_Compiled.rows` builds a plain model's instances itself (no `Model.__init__`): the same state as `from_db`'s
    (the other tests compare every attribute), and `from_db` again when a pre_init/post_init receiver listens, for a
    model overriding `from_db`/`__init__`, or a field with a descriptor of its own (django-countries' country)."""
    from django.db import connections
    from django.db.models.signals import post_init

    from agnitio.core.prepared import _plain_instances

    user_id = people["three"].pk
    MEMBERSHIPS.list(user_id=user_id)
    NAMED.list(name="Ūdens biedrība 💧")
    assert MEMBERSHIPS._compiled[connections["default"]].plain
    assert not NAMED._compiled[connections["default"]].plain  # Organisation.country: CountryDescriptor
    calls = []
    original = Membership.from_db.__func__
    monkeypatch.setattr(Membership, "from_db", classmethod(
        lambda cls, *args: calls.append(args) or original(cls, *args)))
    _same(MEMBERSHIPS.list(user_id=user_id), list(_memberships(user_id)))
    assert len(calls) == 2  # the ORM's two rows; the prepared query's were built without it
    assert not _plain_instances(Membership, ["id", "role"])  # a model with its own from_db: from_db
    monkeypatch.undo()
    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(listener, sender=Membership)
    try:
        rows = MEMBERSHIPS.list(user_id=user_id)
        assert seen == rows and len(rows) == 2  # a receiver connected later is called: from_db's way
    finally:
        post_init.disconnect(listener, sender=Membership)
    assert _plain_instances(Membership, ["id", "role"])
    assert not _plain_instances(Membership, ["role", "id"])  # not in the fields' order (from_db assumes it)
    assert not _plain_instances(Membership, ["id", "no_such_field"])
    assert not _plain_instances(Organisation, ["id", "logo"])  # ImageFileDescriptor does more on __set__
    monkeypatch.setattr(Membership, "role", property(lambda self: "x"), raising=False)
    assert not _plain_instances(Membership, ["id", "role"])  # a descriptor that is not Django's plain one
