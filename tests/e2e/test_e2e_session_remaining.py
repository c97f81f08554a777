"""The session is written at most once a minute (point 9), so the countdown starts from what the server really has
left, not from the full idle time."""

import re
import time

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_countdown_starts_from_the_servers_remaining_time(new_context, live_server, make_user, client, settings):
    from django.contrib.sessions.models import Session

    from agnitio.accounts.middleware import RENEWED_KEY

    settings.SESSION_IDLE_SECONDS = 1200
    client.force_login(make_user("person@example.org"))
    client.get("/")

    def new_page():  # a browser of its own (tabs of one browser share the expiry time in localStorage)
        context = new_context(session_of=client)
        return context, context.new_page()

    # Written more than a minute ago: this request renews it and the page shows the full time.
    session = client.session
    session[RENEWED_KEY] = time.time() - 100
    session.save()
    context, page = new_page()
    page.goto(live_server.url + "/account/")
    expect(page.locator("[data-session-remaining]")).to_have_text(re.compile(r"^(20:00|19:5\d)$"))
    context.close()

    # Written 40 s ago: this request does not write it, and the page counts down from about 19:20.
    session = client.session
    session[RENEWED_KEY] = time.time() - 40
    session.save()
    row = Session.objects.get(session_key=session.session_key)
    context, page = new_page()
    page.goto(live_server.url + "/account/")
    expect(page.locator("[data-session-remaining]")).to_have_text(re.compile(r"^19:(1\d|20)$"))
    assert Session.objects.get(session_key=session.session_key).expire_date == row.expire_date  # not written
    context.close()
