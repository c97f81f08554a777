"""The page layout written in Python (agnitio.core.layout, the tags in base.html) against the template markup it
replaced, kept here as it was: for every kind of visitor (anonymous; signed in without an organisation, in one as a
member or an admin, with or without another organisation), in every language, on real requests (the whole
middleware: session, CSRF, CSP nonce, current organisation), the page is byte for byte the same."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from django.contrib import messages
from django.http import HttpResponse
from django.template import Engine, RequestContext, engines
from django.test import override_settings
from django.urls import path

from agnitio import urls as site_urls
from agnitio.core.testing import engine_with
from agnitio.organisations.middleware import SESSION_KEY
from agnitio.organisations.models import Membership, Organisation

# The layout's templates as they were (base.html, core/_nav_user.html, accounts/_session_status.html).
BEFORE = Path(__file__).parent / "layout_before"

# Pages extending the layout: an empty one, one filling every block but the navigation, one without the session
# bar (the error page's way).
PAGES = {
    "empty": '{% extends "base.html" %}{% block content %}<p>x</p>{% endblock %}',
    "blocks": (
        '{% extends "base.html" %}{% load i18n %}{% block title %}{% translate "Home" %}{% endblock %}'
        '{% block head %}<link rel="stylesheet" href="/x.css">{% endblock %}'
        '{% block before_content %}<p>before</p>{% endblock %}{% block content %}<h1>{{ user }}</h1>{% endblock %}'
        '{% block scripts %}<script src="/x.js"></script>{% endblock %}'),
    "no_session_bar": ('{% extends "base.html" %}{% block session_status %}{% endblock %}'
                       '{% block content %}x{% endblock %}'),
}


@cache
def _old_engine() -> Engine:
    return engine_with({
        "base.html": (BEFORE / "base.html").read_text(),
        "core/_nav_user.html": (BEFORE / "_nav_user.html").read_text(),
        "accounts/_session_status.html": (BEFORE / "_session_status.html").read_text(), **PAGES}, site_templates=False)


def compare(request, page):
    if request.GET.get("message"):
        messages.info(request, "A message <b>for</b> you")
    new = engines["django"].from_string(PAGES[page]).render({}, request)
    old = _old_engine().from_string(PAGES[page]).render(RequestContext(request, {}))
    return HttpResponse(json.dumps({"old": old, "new": new}), content_type="application/json")


# This module is the ROOT_URLCONF of its tests: the comparison view, then the site's addresses (the layout links them).
urlpatterns = [path("layout-compare/<str:page>/", compare), *site_urls.urlpatterns]


_TOKEN = re.compile(r'(?<="X-CSRFToken": ")[A-Za-z0-9]{64}(?=")'
                    r'|(?<=name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(?=")')


def _one_token(html: str) -> str:
    """The page with its CSRF token replaced by a mark — every rendering masks the token afresh (the two renderings
    of a request differ in it), but within one page it is the same everywhere."""
    tokens = set(_TOKEN.findall(html))
    assert len(tokens) == 1, tokens
    return _TOKEN.sub("CSRF-TOKEN", html)


def _pages(client, language, **query):
    for page in PAGES:
        got = client.get(f"/layout-compare/{page}/", query, HTTP_ACCEPT_LANGUAGE=language)
        assert got.status_code == 200
        rendered = got.json()
        yield page, {"old": _one_token(rendered["old"]), "new": _one_token(rendered["new"])}


def _assert_same(client, language, **query):
    for page, rendered in _pages(client, language, **query):
        assert rendered["new"] == rendered["old"], page
        assert f'<html lang="{language}">' in rendered["new"]


@pytest.fixture
def _urls():
    with override_settings(ROOT_URLCONF=__name__):
        yield


@pytest.mark.django_db
@pytest.mark.usefixtures("_urls")
@pytest.mark.parametrize("language", ["lv", "en"])
def test_anonymous(client, language):
    _assert_same(client, language)
    _assert_same(client, language, message="1", next="/a b?c=<d>&e=\"f\"")


@pytest.mark.django_db
@pytest.mark.usefixtures("_urls")
@pytest.mark.parametrize("language", ["lv", "en"])
def test_signed_in_without_an_organisation(client, make_user, language):
    client.force_login(make_user("alone@example.org", language=language))
    _assert_same(client, language)


@pytest.mark.django_db
@pytest.mark.usefixtures("_urls")
@pytest.mark.parametrize("language", ["lv", "en"])
@pytest.mark.parametrize("role", ["owner", "admin", "editor", "viewer"])
@pytest.mark.parametrize("others", [False, True])
def test_signed_in_in_an_organisation(client, make_user, language, role, others):
    user = make_user("member@example.org", language=language)
    organisation = Organisation.objects.create(legal_name='Biedrība "<Tilts>" & Co', country="LV",
                                               address="Rīga", email="tilts@example.org")
    Membership.objects.create(organisation=organisation, user=user, role=role)
    if others:
        other = Organisation.objects.create(legal_name="Aaa first by name", country="FR", address="Paris",
                                            email="autre@example.org")
        Membership.objects.create(organisation=other, user=user, role="viewer")
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = organisation.public_id
    session.save()
    for page, rendered in _pages(client, language, q="x y&z=<1>"):
        assert rendered["new"] == rendered["old"], page
        assert "&lt;Tilts&gt;" in rendered["new"]
        assert ("?next=" in rendered["new"]) is others
        assert ('id="session-status"' in rendered["new"]) is (page != "no_session_bar")
    _assert_same(client, language, message="1")


@pytest.mark.django_db
@pytest.mark.usefixtures("_urls")
def test_language_of_the_page_not_of_the_user(client, make_user):
    """A Latvian user asking for English (and the other way): the page's language is the request's."""
    client.force_login(make_user("lv@example.org", language="lv"))
    for language in ("en", "lv"):
        _assert_same(client, language)
