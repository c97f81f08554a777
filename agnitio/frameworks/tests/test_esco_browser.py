"""In a real browser: a form with the ESCO side panel — search as you type, insert a skill's label into the text and
its URI into the form's field, save; and the search page without JavaScript. No CSP violation, no script error."""

import re

import pytest

from tests.fixtures.browser import csp_violations

from .esco_files import TEAMWORK

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_urls(settings):
    settings.ROOT_URLCONF = "agnitio.frameworks.tests.demo_urls"


def test_insert_a_skill_from_the_panel_and_save_its_uri(esco_english, demo_urls, live_server, new_context,
                                                        page_errors):
    page = new_context(watch_csp=True).new_page()
    page.goto(live_server.url + "/demo/outcome/")
    page.fill("#id_text", "I organised the group's meals.")
    page.fill("#outcome-esco-q", "work in teems")  # a typo
    page.wait_for_selector("#outcome-esco-results li")
    button = page.get_by_role("button", name=re.compile(r"^Insert\s*:\s*work in teams$"))  # each names its skill
    button.click()
    assert page.input_value("#id_text") == "I organised the group's meals.\nwork in teams"
    assert page.input_value("#id_esco_uris") == TEAMWORK
    assert "work in teams" in page.text_content("[data-esco-status]")
    assert page.locator("[data-esco-into]").count() == 0  # one target: no "Insert into" list
    button.click()  # the URI is kept once
    assert page.input_value("#id_esco_uris") == TEAMWORK
    page.click("text=Save")
    assert page.text_content("#saved") == TEAMWORK
    assert "This service uses the ESCO classification of the European Commission." in page.content()
    assert csp_violations(page) == []


def test_the_search_page_works_without_javascript(esco_english, live_server, new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(live_server.url + "/esco/search/")
    page.fill("#id_q", "nurce")
    page.click("button[type=submit] >> text=Search")
    page.wait_for_load_state("load")
    assert "q=nurce" in page.url
    items = page.locator(".esco-list li")
    assert items.count() >= 5 and "nurse" in items.first.text_content()
    assert page.locator("[data-esco-insert]").first.is_hidden()  # nothing to insert into without JavaScript
    assert "http://data.europa.eu/esco/" in page.content()
