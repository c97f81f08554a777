"""The memoised `{% url %}` (agnitio/core/templatetags/agnitio_urls.py): Django's output in every case, and a cache
whose key holds everything reverse() depends on — never a URL built for another prefix, URL configuration, language
or namespace instance — and that stays bounded."""

import uuid

import pytest
from django.template import Context, Engine, RequestContext, TemplateSyntaxError, engines
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, clear_url_caches, set_script_prefix, set_urlconf
from django.utils import translation

from agnitio.core.templatetags import agnitio_urls
from agnitio.core.templatetags.agnitio_urls import MemoisedURLNode, reverse_memoised

TEST_URLS = "agnitio.core.tests.urls_memoised"


@pytest.fixture(autouse=True)
def _fresh():
    agnitio_urls.reverse_memoised.cache_clear()
    yield
    set_script_prefix("/")
    set_urlconf(None)
    agnitio_urls.reverse_memoised.cache_clear()


def _ours(source: str, context: dict | None = None, request=None) -> str:
    template = engines["django"].from_string(source)
    return template.render(context or {}, request)


def _djangos(source: str, context: dict | None = None, request=None) -> str:
    """The same template through an engine with Django's builtins only (its own `url` tag)."""
    engine = Engine(libraries={"i18n": "django.templatetags.i18n"})
    template = engine.from_string(source)
    return template.render(RequestContext(request, context or {}) if request else Context(context or {}))


def test_the_project_engine_uses_the_memoised_tag_even_after_load():
    """Pinned: Django adds OPTIONS "builtins" after its own, and a later builtin's tag replaces an earlier one of the
    same name; `{% load i18n static %}` does not bring Django's `url` back."""
    for source in ("{% url 'core:home' %}", "{% load i18n static %}{% url 'core:home' %}"):
        nodes = engines["django"].from_string(source).template.nodelist
        assert any(isinstance(node, MemoisedURLNode) for node in nodes), source
    assert _ours("{% url 'core:home' %}") == "/"


@pytest.mark.parametrize(("source", "context"), [
    ("{% url 'core:home' %}", {}),
    ("{% url 'organisations:detail' pid %}", {"pid": "ab<c&d"}),
    ("{% url 'organisations:detail' public_id=pid %}", {"pid": "x y"}),
    ("{% url view pid %}", {"view": "organisations:members", "pid": "Q1"}),
    ("{% url 'organisations:detail' pid as there %}[{{ there }}]", {"pid": "Z9"}),
    ("{% url 'no:such' as nowhere %}[{{ nowhere }}]", {}),
    ("{% autoescape off %}{% url 'organisations:detail' pid %}{% endautoescape %}", {"pid": "a&b"}),
    ("{% url 'organisations:detail' pid %}", {"pid": uuid.UUID(int=7)}),
])
def test_same_output_as_djangos_tag(source, context):
    assert _ours(source, context) == _djangos(source, context)
    assert _ours(source, context) == _djangos(source, context)  # and again, from the cache


def test_same_errors_as_djangos_tag():
    with pytest.raises(NoReverseMatch):
        _ours("{% url 'no:such' %}")
    with pytest.raises(NoReverseMatch):
        _ours("{% url 'organisations:detail' %}")  # missing argument: never cached as ""
    with pytest.raises(NoReverseMatch):
        _ours("{% url 'organisations:detail' %}")
    with pytest.raises(TemplateSyntaxError):
        _ours("{% url %}")


def test_a_different_script_prefix_gives_its_own_url():
    assert _ours("{% url 'core:home' %}") == "/"
    set_script_prefix("/agnitio/")
    assert _ours("{% url 'core:home' %}") == "/agnitio/"
    set_script_prefix("/")
    assert _ours("{% url 'core:home' %}") == "/"


def test_a_different_urlconf_gives_its_own_url():
    set_urlconf(TEST_URLS)
    assert reverse_memoised("plain", args=[3]) == "/plain/3/"
    set_urlconf(f"{TEST_URLS}_other")
    assert reverse_memoised("plain", args=[3]) == "/elsewhere/3/"
    set_urlconf(TEST_URLS)
    assert reverse_memoised("plain", args=[3]) == "/plain/3/"


def test_a_new_root_urlconf_after_clear_url_caches_is_used():
    with override_settings(ROOT_URLCONF=TEST_URLS):  # clears Django's URL caches; the resolver is in our key
        assert _ours("{% url 'plain' 5 %}") == "/plain/5/"
        with pytest.raises(NoReverseMatch):
            _ours("{% url 'core:home' %}")
    clear_url_caches()
    assert _ours("{% url 'core:home' %}") == "/"


@override_settings(ROOT_URLCONF=TEST_URLS)
def test_the_active_language_is_part_of_the_key():
    with translation.override("en"):
        english = _ours("{% url 'translated' %}")
    with translation.override("lv"):
        latvian = _ours("{% url 'translated' %}")
    with translation.override("en"):
        assert _ours("{% url 'translated' %}") == english
    assert english == "/en/Home"
    assert latvian.startswith("/lv/") and latvian != "/lv/Home"  # the Latvian path, translated
    with translation.override("lv"):
        assert latvian == _djangos("{% url 'translated' %}")


@override_settings(ROOT_URLCONF=TEST_URLS)
def test_current_app_picks_the_namespace_instance():
    request = RequestFactory().get("/")
    request.current_app = "second"
    assert _ours("{% url 'shared:item' 'a' %}", request=request) == "/second/item/a/"
    request.current_app = "first"
    assert _ours("{% url 'shared:item' 'a' %}", request=request) == "/first/item/a/"
    assert _ours("{% url 'shared:item' 'a' %}", request=request) == _djangos("{% url 'shared:item' 'a' %}",
                                                                             request=request)


def test_types_that_could_render_differently_are_not_cached():
    """An argument whose text may change (a model instance, a lazy string, a bool that equals 1) is never a key."""
    class Changing:
        calls = 0

        def __str__(self):
            Changing.calls += 1
            return f"v{Changing.calls}"

    value = Changing()
    first = reverse_memoised("organisations:detail", args=[value])
    assert reverse_memoised("organisations:detail", args=[value]) != first
    before = reverse_memoised.cache_info().currsize
    reverse_memoised("organisations:detail", args=[True])
    reverse_memoised("organisations:detail", kwargs={"public_id": value})
    assert reverse_memoised.cache_info().currsize == before


def test_int_and_str_arguments_are_distinct_keys():
    set_urlconf(TEST_URLS)
    assert reverse_memoised("plain", args=[1]) == "/plain/1/"
    assert reverse_memoised("plain", args=["1"]) == "/plain/1/"
    assert reverse_memoised("plain", args=[2]) == "/plain/2/"


def test_the_cache_is_bounded():
    info = reverse_memoised.cache_info()
    assert info.maxsize == agnitio_urls.CACHE_SIZE
    for number in range(agnitio_urls.CACHE_SIZE + 50):
        reverse_memoised("organisations:detail", args=[f"org{number}"])
    assert reverse_memoised.cache_info().currsize == agnitio_urls.CACHE_SIZE
    assert reverse_memoised("organisations:detail", args=["org0"]) == "/organisations/org0/"  # evicted, rebuilt


def test_the_same_urlconf_changed_and_cleared_gives_the_new_url(monkeypatch):
    """clear_url_caches() makes a new resolver for the same module name; the old one is in the old keys only."""
    from django.urls import path

    from agnitio.core.tests import urls_memoised

    set_urlconf(TEST_URLS)
    assert reverse_memoised("plain", args=[4]) == "/plain/4/"
    monkeypatch.setattr(urls_memoised, "urlpatterns", [path("moved/<int:number>/", urls_memoised.view, name="plain")])
    clear_url_caches()
    try:
        assert reverse_memoised("plain", args=[4]) == "/moved/4/"
    finally:
        monkeypatch.undo()
        clear_url_caches()
    assert reverse_memoised("plain", args=[4]) == "/plain/4/"
