"""The ESCO search page (works without JavaScript), the side panel's htmx fragment, the panel include with its
attribution in Latvian and English, and the form field that keeps chosen URIs."""

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from agnitio.frameworks.forms import esco_uris_field
from agnitio.frameworks.services import esco_import

from .esco_files import COMMUNICATE, NURSE, TEAMWORK, esco_zip

pytestmark = pytest.mark.django_db
URL = "/esco/search/"
ATTRIBUTION = {"en": "This service uses the ESCO classification of the European Commission.",
               "lv": "Šajā pakalpojumā izmantota Eiropas Komisijas ESCO klasifikācija."}


def test_the_page_searches_without_javascript(client):
    response = client.get(URL, {"q": "comunication skils", "kind": "skill"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html and '<label for="id_q">' in html
    assert '<ul class="esco-list"' in html and "communicat" in html
    assert "http://data.europa.eu/esco/skill/" in html  # the URI to copy
    assert ATTRIBUTION["en"] in html
    assert "<script>" not in html and "onclick" not in html


def test_an_empty_page_shows_the_form_and_the_attribution(client):
    html = client.get(URL).content.decode()
    assert "Search ESCO" in html and ATTRIBUTION["en"] in html and "esco-list" not in html


@pytest.mark.parametrize("language", ["lv", "en"])
def test_the_attribution_is_translated(client, language):
    with translation.override(language):
        html = client.get(URL, {"q": "cook"}, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert ATTRIBUTION[language] in html


def test_a_too_long_query_is_refused_with_a_message(client):
    response = client.get(URL, {"q": "x" * 101})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode() and "esco-list" not in response.content.decode()


def test_htmx_gets_only_the_results_with_insert_buttons(client):
    response = client.get(URL, {"q": "work in teams", "kind": "skill"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'data-esco-insert data-esco-text="work in teams"' in html
    assert f'data-esco-uri="{TEAMWORK}"' in html
    assert '<span class="visually-hidden">: work in teams</span>' in html  # each button names its skill


def test_an_occupation_offers_its_description_and_its_skills(client, tmp_path):
    html = client.get(URL, {"q": "nurse responsible for general care", "kind": "occupation"},
                      HTTP_HX_REQUEST="true").content.decode()
    assert 'Insert description' in html and "occupation=http%3A//data.europa.eu/esco/occupation/" in html
    esco_import(path=esco_zip(tmp_path / "lv.zip", relations=[(NURSE, "essential", COMMUNICATE),
                                                                 (NURSE, "optional", TEAMWORK)]))
    html = client.get(URL, {"occupation": NURSE, "language": "lv"}).content.decode()
    assert "vispārējās aprūpes māsa" in html
    assert f'value="{COMMUNICATE}" data-esco-text="sazināties ar klientiem" checked' in html
    assert f'value="{TEAMWORK}" data-esco-text="strādāt komandā">' in html
    assert "data-esco-insert-chosen" in html and "<legend>" in html


def test_search_page_throttles_anonymous_clients(client, settings):
    settings.AGNITIO_ESCO_SEARCH_RATE_LIMIT = "2/m"
    statuses = [client.get(URL, {"q": "cook"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@pytest.mark.parametrize("language", ["lv", "en"])
def test_the_panel_include_renders_accessibly_with_the_attribution(language):
    request = RequestFactory().get("/")
    with translation.override(language):
        html = render_to_string("frameworks/_esco_panel.html", {
            "esco_target": "id_text", "esco_uris": "id_esco_uris", "esco_id": "lo1"}, request=request)
    assert ATTRIBUTION[language] in html
    assert 'data-esco-target="id_text"' in html and 'data-esco-uris="id_esco_uris"' in html
    assert '<label for="lo1-q">' in html and '<label for="lo1-kind">' in html
    assert 'role="search"' in html and 'aria-labelledby="lo1-title"' in html
    assert f'name="language" value="{language}"' in html
    assert 'action="/esco/search/"' in html and 'hx-get="/esco/search/"' in html  # plain GET without JavaScript
    assert "frameworks/esco_panel.js" in html and "<script>" not in html


class OutcomeForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea)
    esco_uris = esco_uris_field(kind="skill")


def test_the_uris_field_keeps_existing_uris_once():
    form = OutcomeForm(data={"text": "x", "esco_uris": f"{TEAMWORK}\n\n{COMMUNICATE}\r\n{TEAMWORK}\n"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["esco_uris"] == [TEAMWORK, COMMUNICATE]
    assert OutcomeForm(data={"text": "x"}).is_valid()


@pytest.mark.parametrize("value", [NURSE, "http://data.europa.eu/esco/skill/not-there", "javascript:alert(1)"])
def test_the_uris_field_refuses_unknown_or_other_kinds(value):
    form = OutcomeForm(data={"text": "x", "esco_uris": value})
    assert not form.is_valid() and "Not an ESCO skill" in str(form.errors["esco_uris"])


def test_the_uris_field_is_bounded():
    class Few(forms.Form):
        esco_uris = esco_uris_field(max_uris=1)

    form = Few(data={"esco_uris": f"{TEAMWORK}\n{COMMUNICATE}"})
    assert not form.is_valid() and "at most 1" in str(form.errors)
    assert Few(initial={"esco_uris": [TEAMWORK, COMMUNICATE]})["esco_uris"].value() == f"{TEAMWORK}\n{COMMUNICATE}"


def test_the_search_page_and_its_refusal_are_latvian(client):
    from django.conf import settings

    from agnitio.core.testing import english_left

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "lv"
    for query in ({"q": "comunication skils", "kind": "skill"}, {"q": "x" * 101}, {}):
        page = client.get(URL, query).content.decode()
        # ESCO's own labels are English (the shipped file); only the interface is checked
        assert english_left(page.split('<ul class="esco-list"')[0]) == [], query
