"""Sign-up limits (issue 11 point 9): a group invited to a project signs up at once from one venue's Wi-Fi without
meeting the per-address limit; that exemption needs a browser that opened a personal invitation's link, the invitation
still open and its own address; limits that do apply answer with the styled, translated 429 page."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agnitio.accounts.models import User
from agnitio.invitations import services as invitation_services
from agnitio.invitations.models import Invitation

PASSWORD = "a-long-passphrase-42"
VENUE = "203.0.113.7"  # the venue's Wi-Fi: everyone in the group comes from this one address


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def address_limit(settings):
    settings.AGNITIO_SIGNUP_LIMITS = {"address": "20/h", "invitation": "10/h"}
    return 20


@pytest.fixture
def invite(admin, organisation):
    def _invite(email):
        return invitation_services.invitation_send(
            actor=admin, kind="organisation_member", organisation=organisation, target=organisation, email=email,
            full_name="Dalībnieks", language="lv", payload={"role": "editor"})

    return _invite


def _browser(language="en"):
    client = Client(REMOTE_ADDR=VENUE, HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    return client


def _signup(client, email, *, password2=PASSWORD, **extra):
    return client.post(reverse("account_signup"), {
        "email": email, "password1": PASSWORD, "password2": password2, "full_name": "Anna Bērziņa",
        "language": "lv", **extra,
    }, REMOTE_ADDR=VENUE)


def _through_invitation(invite, email, *, language="en"):
    """A browser that opens the invitation's link, then follows "Sign up to accept"."""
    _invitation, token = invite(email)
    client = _browser(language)
    page = client.get(reverse("invitations:accept", args=[token]), REMOTE_ADDR=VENUE)
    assert page.status_code == 200 and "Sign up" in page.content.decode()
    return client, token


def _use_up_the_address(address_limit):
    for number in range(address_limit):
        response = _signup(_browser(), f"walk-in-{number}@example.org")
        assert response.status_code == 302, response.content.decode()[:500]


def _assert_styled_429(response, language):
    html = response.content.decode()
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 2 * 3600
    assert f'<html lang="{language}"' in html
    for landmark in ("<header", "<nav", '<main id="main"', "<footer", "agnitio.css"):
        assert landmark in html  # the site layout
    if language == "lv":
        assert "Pārāk daudz pieprasījumu" in html and "Mēģiniet vēlreiz pēc" in html
        assert "uzaicinājuma" in html  # what an invited person should do instead
    else:
        assert "Too many requests" in html and "Try again in" in html and "invitation" in html
    return html


@pytest.mark.django_db
def test_fifty_invited_people_sign_up_from_one_address_and_a_walk_in_beyond_the_limit_gets_the_429_page(
    invite, address_limit
):
    for number in range(50):
        email = f"participant-{number}@example.org"
        client, token = _through_invitation(invite, email)
        response = _signup(client, email, next=reverse("invitations:accept", args=[token]))
        assert response.status_code == 302, (number, response.status_code)
        assert User.objects.filter(email=email).exists()
    assert User.objects.filter(email__startswith="participant-").count() == 50

    _use_up_the_address(address_limit)  # the invited group used none of the address's budget
    users = User.objects.count()
    for language in ("en", "lv"):
        refused = _signup(_browser(language), f"one-more-{language}@example.org")
        html = _assert_styled_429(refused, language)
        assert "one-more" not in html
    assert User.objects.count() == users  # nothing was created


@pytest.mark.django_db
def test_another_address_is_not_held_up(address_limit):
    _use_up_the_address(address_limit)
    other = Client(REMOTE_ADDR="198.51.100.4")
    assert other.post(reverse("account_signup"), {
        "email": "elsewhere@example.org", "password1": PASSWORD, "password2": PASSWORD, "language": "en",
    }, REMOTE_ADDR="198.51.100.4").status_code == 302


@pytest.mark.django_db
def test_a_used_token_exempts_no_second_sign_up(invite, address_limit):
    client, _token = _through_invitation(invite, "invited@example.org")
    assert _signup(client, "invited@example.org").status_code == 302
    _use_up_the_address(address_limit)
    users = User.objects.count()
    # the same browser and token again (the account exists now): counted on the address like anyone's
    again = Client(REMOTE_ADDR=VENUE)
    again.cookies = client.cookies
    _assert_styled_429(_signup(again, "invited@example.org"), "lv")  # signed in now: their language
    assert User.objects.count() == users


@pytest.mark.django_db
@pytest.mark.parametrize("spoil", ["expired", "accepted", "revoked"])
def test_an_expired_accepted_or_withdrawn_invitation_gives_no_exemption(invite, address_limit, spoil):
    client, token = _through_invitation(invite, "late@example.org")
    _use_up_the_address(address_limit)
    invitation = Invitation.objects.get(mailed_to="late@example.org")
    if spoil == "expired":
        invitation.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    else:
        invitation.status = spoil
    invitation.save()
    _assert_styled_429(_signup(client, "late@example.org"), "en")
    assert not User.objects.filter(email="late@example.org").exists()


@pytest.mark.django_db
def test_the_invitation_exempts_only_its_own_address_and_only_in_the_browser_that_opened_it(invite, address_limit):
    client, token = _through_invitation(invite, "mine@example.org")
    _use_up_the_address(address_limit)
    # another address in the browser that opened the link
    _assert_styled_429(_signup(client, "someone-else@example.org"), "en")
    # a leaked or guessed token (its link not opened in this browser): a "next" pointing at it changes nothing
    stranger = _browser()
    _assert_styled_429(_signup(stranger, "mine@example.org", next=reverse("invitations:accept", args=[token])), "en")
    session = stranger.session
    session["agnitio.invitation_signup"] = "0" * 64  # a made-up hash in the session
    session.save()
    _assert_styled_429(_signup(stranger, "mine@example.org"), "en")
    assert not User.objects.filter(email__in=["someone-else@example.org", "mine@example.org"]).exists()
    # the invited person, in their own browser, still gets in
    assert _signup(client, "mine@example.org").status_code == 302


@pytest.mark.django_db
def test_a_leaked_link_gets_only_its_own_small_budget_of_attempts(invite, address_limit, settings):
    client, _token = _through_invitation(invite, "leaked@example.org")
    _use_up_the_address(address_limit)
    for _attempt in range(10):  # the invitation's own budget: form errors are answered, not refused
        assert _signup(client, "leaked@example.org", password2="does-not-match-1").status_code == 200
    _assert_styled_429(_signup(client, "leaked@example.org"), "en")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "lv"])
def test_allauths_limits_answer_with_the_same_styled_page(client, language, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "2/h/ip"}
    client = _browser(language)
    url = reverse("account_reset_password")
    for _attempt in range(2):
        assert client.post(url, {"email": "nobody@example.org"}, REMOTE_ADDR=VENUE).status_code == 302
    refused = client.post(url, {"email": "nobody@example.org"}, REMOTE_ADDR=VENUE)
    html = refused.content.decode()
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert f'<html lang="{language}"' in html and '<main id="main"' in html and "agnitio.css" in html
    assert ("Mēģiniet vēlreiz pēc 60 minūtēm" if language == "lv" else "Try again in 60 minutes") in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "lv"])
def test_django_ratelimits_limits_answer_with_the_same_styled_page(language, monkeypatch):
    from agnitio.invitations.views import ACCEPT_RATE

    client = _browser(language)
    page = reverse("invitations:accept", args=["not-a-real-token"])
    for _attempt in range(int(ACCEPT_RATE.split("/")[0])):
        client.get(page, REMOTE_ADDR="203.0.113.99")
    refused = client.get(page, REMOTE_ADDR="203.0.113.99")
    html = refused.content.decode()
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert f'<html lang="{language}"' in html and '<main id="main"' in html and "agnitio.css" in html
    assert ("Mēģiniet vēlreiz pēc 1 minūtes" if language == "lv" else "Try again in 1 minute.") in html


def test_retry_after_counts_down_to_when_one_more_fits(settings):
    from agnitio.accounts.throttle import Rate, _Counter

    counter = _Counter("test-retry", "x", Rate(2, 3600))
    assert counter.reserve() and counter.reserve() and counter.reserve() is None
    assert 0 < counter.retry_after() <= 2 * 3600  # a sliding window: the previous one still weighs, fading
