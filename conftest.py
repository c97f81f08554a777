"""Shared fixtures. Users are named after their roles.

The browser (`browser`, `new_context`, `new_page`, `context`, `page`, `page_errors`) and the real Celery worker
(`real_worker`) come from `tests/fixtures/`."""

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

pytest_plugins = ["tests.fixtures.browser", "tests.fixtures.worker"]

# Property tests check what holds, not how fast examples come: on a loaded machine (two pytest workers beside the
# browser tests, CI) Hypothesis' 200 ms deadline and its "generation is slow" health check failed runs that were
# correct. Every other check of Hypothesis stays on.
hypothesis_settings.register_profile("agnitio", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("agnitio")


@pytest.fixture
def make_user(db):
    from allauth.account.models import EmailAddress

    from agnitio.accounts.models import User

    def _make(email: str, *, password: str = "correct-horse-battery", language: str = "en", **extra):
        user = User.objects.create_user(email=email, password=password, language=language, **extra)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    return _make


@pytest.fixture
def organisation(db):
    from agnitio.organisations.models import Organisation

    return Organisation.objects.create(
        legal_name="Biedrība Jaunatnes Tilts", short_name="JT", country="LV",
        address="Brīvības iela 1, Rīga", email="info@tilts.example", phone="+37167000001",
        identifier="E10000001",
    )


@pytest.fixture
def other_organisation(db):
    from agnitio.organisations.models import Organisation

    return Organisation.objects.create(
        legal_name="Association Autre", country="FR", address="1 rue de Paris", email="a@autre.example",
    )


def _member(make_user, organisation, email, role):
    from agnitio.organisations.models import Membership

    user = make_user(email)
    Membership.objects.create(organisation=organisation, user=user, role=role)
    return user


@pytest.fixture
def owner(make_user, organisation):
    return _member(make_user, organisation, "owner@tilts.example", "owner")


@pytest.fixture
def admin(make_user, organisation):
    return _member(make_user, organisation, "admin@tilts.example", "admin")


@pytest.fixture
def editor(make_user, organisation):
    return _member(make_user, organisation, "editor@tilts.example", "editor")


@pytest.fixture
def outsider(make_user, other_organisation):
    return _member(make_user, other_organisation, "owner@autre.example", "owner")


@pytest.fixture
def project(owner, organisation):
    """A Youthpass project of `organisation`, created by its owner."""
    import datetime

    from agnitio.youthpass import services

    return services.project_create(
        actor=owner, organisation=organisation, grant_number="2022-1-LV01-KA153-YOU-000000001",
        programme="erasmus_youth", project_type="youth_workers_mobility",
        start_date=datetime.date(2026, 5, 1), end_date=datetime.date(2026, 5, 31))


def pytest_collection_modifyitems(config, items):
    """`postgresql_only` tests (sequences, concurrent writers) are deselected, not skipped, on SQLite: `make test`
    runs the suite on both databases, and they run in its PostgreSQL half."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    deselected = [item for item in items if item.get_closest_marker("postgresql_only")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql_only")]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters (allauth, verification), used-TOTP-code markers and cached fragments live in the
    per-process cache: every test starts and ends with it empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A test that activates a language (a Latvian page through LocaleMiddleware, `translation.activate`) leaves it
    active in the thread: every test starts and ends in the default language, so none depends on the order."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


_DB_BLOCKER = pytest.StashKey()


@pytest.fixture(autouse=True)
def _number_sequences_blocker(request, django_db_blocker):
    """Hands `pytest_runtest_teardown` below the database blocker (a hook cannot ask for fixtures)."""
    request.node.stash[_DB_BLOCKER] = django_db_blocker


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """On PostgreSQL credential numbers come from sequences (`credentials.numbering`), made on a connection of their
    own and never rolled back or flushed: drop them after every database test, once its transaction is rolled back
    or its tables flushed, so each test numbers from 1 like a new database (what SQLite's counter rows give). After
    the last test the test database itself is gone."""
    yield
    blocker = item.stash.get(_DB_BLOCKER, None)
    uses_database = item.get_closest_marker("django_db") or "_django_db_helper" in item.fixturenames
    if nextitem is None or blocker is None or not uses_database:
        return
    from django.db import connection

    from agnitio.credentials.numbering import SEQUENCE_PREFIX

    if connection.vendor != "postgresql":
        return
    with blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'S' AND starts_with(relname, %s)",
                       [SEQUENCE_PREFIX])
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP SEQUENCE IF EXISTS {connection.ops.quote_name(name)}")


class _RatelimitClock:
    """The clock django-ratelimit reads to find a request's window; `advance(seconds)` moves it."""

    def __init__(self) -> None:
        import time

        self.now = float(int(time.time()))

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def ratelimit_clock(monkeypatch):
    """django-ratelimit counts in fixed windows, and an address's window turns at a fixed second of each period
    (127.0.0.1's minute at :NN). A test whose requests straddled that second saw its count start again (a 200 where
    it expected 429; more often where requests are slower, e.g. on PostgreSQL). Each test holds that clock at one
    instant; a test that wants the next window calls `ratelimit_clock.advance(seconds)`."""
    import django_ratelimit.core

    clock = _RatelimitClock()
    monkeypatch.setattr(django_ratelimit.core, "time", clock)
    return clock


@pytest.fixture
def staff_login(db):
    """staff_login(client, user): signed in with password + TOTP, as the admin site requires (issue 8, point 2)."""
    from agnitio.accounts.testing import staff_login as _login

    return _login


@pytest.fixture
def esco_english(db):
    """The shipped English ESCO classification, for tests that need it after a transactional test emptied the
    database (migration frameworks/0002 loads it into every new database; `flush` removes it): loaded again only if
    missing (about a second)."""
    from django.db import transaction

    from agnitio.frameworks.esco.importer import SHIPPED_ENGLISH, load
    from agnitio.frameworks.models import EscoDataset
    from agnitio.frameworks.selectors import esco_index_invalidate

    if not EscoDataset.objects.filter(language="en", skills__gt=0).exists():
        with transaction.atomic():
            load(SHIPPED_ENGLISH, language="en")
        esco_index_invalidate()
