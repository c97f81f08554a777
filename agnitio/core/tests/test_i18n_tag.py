"""`{% load i18n %}` loads agnitio_i18n (TEMPLATES OPTIONS "libraries" replaces Django's label): the same output as
Django's own library in every case, the literal case through gettext() directly."""

import pytest
from django.template import Context, Engine, engines
from django.templatetags import i18n as django_i18n
from django.utils import translation

from agnitio.core.templatetags.agnitio_i18n import LiteralTranslateNode

CASES = [
    ("{% translate 'Home' %}", {}),
    ('{% translate "Sign out" %}', {}),
    ("{% trans 'Members' %}", {}),
    ("{% translate 'Home' as home %}[{{ home }}]", {}),
    ("{% translate '100% of <b>it</b>' %}", {}),  # not in the catalogue: percent and markup kept as written
    ("{% translate 'Home'|upper %}", {}),  # a filter: Django's node
    ("{% translate 'Home' noop %}", {}),  # noop: Django's node
    ('{% translate "May" context "month name" %}', {}),  # a context: Django's node
    ("{% translate word %}", {"word": "Home"}),  # a variable: Django's node
    ("{% translate word %}", {"word": "<i>x</i>"}),
    ("{% autoescape off %}{% translate 'Home' %}{% endautoescape %}", {}),
    ("{% blocktranslate %}Home{% endblocktranslate %}{% get_current_language as lang %}{{ lang }}", {}),
    ("{% language 'en' %}{% translate 'Home' %}{% endlanguage %}{% translate 'Home' %}", {}),
]


def _ours(source, context):
    return engines["django"].from_string("{% load i18n %}" + source).render(context)


def _djangos(source, context):
    engine = Engine(libraries={"i18n": "django.templatetags.i18n"})
    return engine.from_string("{% load i18n %}" + source).render(Context(context))


@pytest.mark.parametrize("language", ["en", "lv"])
@pytest.mark.parametrize(("source", "context"), CASES)
def test_same_output_as_djangos_library(language, source, context):
    with translation.override(language):
        assert _ours(source, context) == _djangos(source, context)


def test_load_i18n_gives_the_literal_node_and_djangos_otherwise():
    """Pinned: a custom label in OPTIONS "libraries" replaces the installed library of that name."""
    template = engines["django"].from_string("{% load i18n %}{% translate 'Home' %}{% translate x|upper %}")
    first, second = template.template.nodelist[1:3]
    assert type(first) is LiteralTranslateNode
    assert type(second) is django_i18n.TranslateNode
    with translation.override("lv"):
        assert template.render({"x": "a"}) == "SākumsA"
    with translation.override("en"):
        assert template.render({"x": "a"}) == "HomeA"
