"""`{% load static %}` loads agnitio_static (TEMPLATES OPTIONS "libraries"): Django's output, URLs remembered per
process and forgotten when a setting they depend on changes."""

import pytest
from django.template import Context, Engine, engines
from django.test import override_settings

from agnitio.core.templatetags.agnitio_static import MemoisedStaticNode, static_url

CASES = [
    ("{% static 'agnitio/agnitio.css' %}", {}),
    ("{% static 'a b/ü&x.js' %}", {}),
    ("{% static name %}", {"name": "accounts/session.js"}),
    ("{% static 'agnitio/agnitio.css' as css %}[{{ css }}]", {}),
    ("{% get_static_prefix %}|{% get_media_prefix %}", {}),
]


def _ours(source, context):
    return engines["django"].from_string("{% load static %}" + source).render(context)


def _djangos(source, context):
    return Engine(libraries={"static": "django.templatetags.static"}).from_string(
        "{% load static %}" + source).render(Context(context))


@pytest.mark.parametrize(("source", "context"), CASES)
def test_same_output_as_djangos_library(source, context):
    assert _ours(source, context) == _djangos(source, context)
    assert _ours(source, context) == _djangos(source, context)  # from the cache


def test_load_static_gives_the_memoised_node():
    """Pinned: a custom label in OPTIONS "libraries" replaces the installed library of that name."""
    nodes = engines["django"].from_string("{% load static %}{% static 'x.css' %}").template.nodelist
    assert type(nodes[1]) is MemoisedStaticNode


def test_a_changed_setting_is_followed():
    assert _ours("{% static 'x.css' %}", {}) == "/static/x.css"
    with override_settings(STATIC_URL="/assets/"):
        assert _ours("{% static 'x.css' %}", {}) == "/assets/x.css"
    assert _ours("{% static 'x.css' %}", {}) == "/static/x.css"


def test_a_storage_of_another_kind_is_asked_every_time():
    storages = {"default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
                "staticfiles": {"BACKEND": "django.core.files.storage.InMemoryStorage",
                                "OPTIONS": {"base_url": "/elsewhere/"}}}
    with override_settings(STORAGES=storages):
        before = static_url.cache_info().currsize
        assert _ours("{% static 'x.css' %}", {}) == "/elsewhere/x.css"
        assert static_url.cache_info().currsize == before


def test_the_cache_is_bounded():
    from agnitio.core.templatetags import agnitio_static

    for number in range(agnitio_static.CACHE_SIZE + 10):
        static_url(f"file{number}.css")
    assert static_url.cache_info().currsize == agnitio_static.CACHE_SIZE
