"""In a real browser: the character counter under every <textarea maxlength> (CSP-friendly static file, announced
politely), and the styled error pages working under the Content-Security-Policy."""

import pytest

from tests.fixtures.browser import csp_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

@pytest.fixture
def owner_page(new_context, make_user, client):
    from agnitio.organisations.models import Membership, Organisation

    user = make_user("counter@tilts.example", full_name="Ilze Ozola")
    organisation = Organisation.objects.create(legal_name="Biedrība Skaitītājs", country="LV", address="Rīga",
                                               email="counter@tilts.example")
    Membership.objects.create(organisation=organisation, user=user, role="owner")
    client.force_login(user)
    page = new_context(session_of=client, watch_csp=True).new_page()
    page.user, page.organisation = user, organisation
    return page


def test_textarea_counter_shows_n_of_max_and_is_announced_politely(owner_page, live_server):
    import datetime

    from agnitio.youthpass import services

    page = owner_page
    project = services.project_create(
        actor=page.user, organisation=page.organisation, grant_number="2022-1-LV01-KA153-YOU-000000007",
        programme="erasmus_youth", project_type="youth_workers_mobility",
        start_date=datetime.date(2026, 5, 1), end_date=datetime.date(2026, 5, 31))
    page.goto(f"{live_server.url}/youthpass/p/{project.public_id}/edit/")
    area = page.locator("textarea[name=description]")
    assert area.get_attribute("maxlength") == "10000"
    counter_id = area.get_attribute("aria-describedby").split()[-1]
    counter = page.locator(f"#{counter_id}")
    assert counter.get_attribute("aria-live") == "polite"
    assert counter.inner_text().startswith("0 / 10000")
    area.fill("Sveiki, pasaule")
    assert counter.inner_text().startswith("15 / 10000")
    assert csp_violations(page) == []


@pytest.mark.parametrize("path, status", [("/no/such/page/", 404), ("/youthpass/p/x%00/", 400)])
def test_error_pages_are_styled_under_the_policy(owner_page, live_server, path, status):
    page = owner_page
    response = page.goto(live_server.url + path)
    assert response.status == status
    assert page.locator("main h1").count() == 1 and page.locator("header nav").count() == 1
    # the stylesheet applied: the skip link is moved out of view by agnitio.css
    assert page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position") in ("absolute", "fixed")
    assert csp_violations(page) == []
