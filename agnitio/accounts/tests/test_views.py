"""My account page, language preference, keep-alive of the idle session, and the form-draft "saved" signal."""

import pytest
from django.conf import settings
from django.urls import reverse

from agnitio.accounts.middleware import SAVED_COOKIE
from agnitio.accounts.models import User
from agnitio.accounts.services import user_update
from agnitio.core.errors import ApplicationError, PermissionDenied
from agnitio.core.models import AuditEvent

# --- services ------------------------------------------------------------------------


@pytest.mark.django_db
def test_user_update_changes_profile_and_audits(make_user):
    user = make_user("person@example.org")
    user_update(actor=user, user=user, data={"full_name": "  Jānis Ozols ", "language": "lv"})
    user.refresh_from_db()
    assert (user.full_name, user.language) == ("Jānis Ozols", "lv")
    event = AuditEvent.objects.get(object_id=user.public_id)
    assert event.actor == user and event.action == "update"
    assert event.changes == {"full_name": ["", "Jānis Ozols"], "language": ["en", "lv"]}


@pytest.mark.django_db
def test_user_update_of_someone_else_is_denied_and_changes_nothing(make_user):
    user = make_user("person@example.org")
    other = make_user("other@example.org")
    with pytest.raises(PermissionDenied):
        user_update(actor=other, user=user, data={"full_name": "Hacked", "language": "lv"})
    user.refresh_from_db()
    assert (user.full_name, user.language) == ("", "en")
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_user_update_rejects_unknown_language(make_user):
    user = make_user("person@example.org")
    with pytest.raises(ApplicationError):
        user_update(actor=user, user=user, data={"language": "xx"})
    user.refresh_from_db()
    assert user.language == "en"
    assert not AuditEvent.objects.exists()


# --- My account ----------------------------------------------------------------------


@pytest.mark.django_db
def test_account_page_requires_sign_in(client):
    response = client.get(reverse("accounts:detail"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_account_page_shows_details_and_links(client, make_user):
    user = make_user("person@example.org", full_name="Anna")
    client.force_login(user)
    html = client.get(reverse("accounts:detail")).content.decode()
    assert 'value="Anna"' in html and 'for="id_full_name"' in html and 'for="id_language"' in html
    for name in ("account_change_password", "account_email", "mfa_index"):
        assert f'href="{reverse(name)}"' in html


@pytest.mark.django_db
def test_account_page_saves_name_and_language(client, make_user):
    user = make_user("person@example.org")
    client.force_login(user)
    response = client.post(reverse("accounts:detail"), {"full_name": "Anna Liepa", "language": "lv"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "lv"
    user.refresh_from_db()
    assert (user.full_name, user.language) == ("Anna Liepa", "lv")


@pytest.mark.django_db
def test_account_page_invalid_language_changes_nothing(client, make_user):
    user = make_user("person@example.org", full_name="Anna")
    client.force_login(user)
    response = client.post(reverse("accounts:detail"), {"full_name": "Other", "language": "xx"})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    user.refresh_from_db()
    assert (user.full_name, user.language) == ("Anna", "en")
    assert not AuditEvent.objects.exists()


# --- language switcher ----------------------------------------------------------------


@pytest.mark.django_db
def test_language_switch_saves_preference_for_signed_in_user(client, make_user):
    user = make_user("person@example.org")
    client.force_login(user)
    response = client.post(reverse("accounts:set_language"), {"language": "lv", "next": "/account/"})
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "lv"
    user.refresh_from_db()
    assert user.language == "lv"
    assert '<html lang="lv">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_language_switch_for_anonymous_visitor_only_sets_cookie(client):
    response = client.post(reverse("accounts:set_language"), {"language": "lv", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "lv"
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_language_switch_to_unknown_language_changes_nothing(client, make_user):
    user = make_user("person@example.org")
    client.force_login(user)
    response = client.post(reverse("accounts:set_language"), {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    user.refresh_from_db()
    assert user.language == "en"
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_language_switch_ignores_foreign_next(client):
    response = client.post(reverse("accounts:set_language"), {"language": "lv", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_switcher_in_base_layout_posts_to_our_view(client, db):
    html = client.get("/").content.decode()
    assert f'action="{reverse("accounts:set_language")}"' in html


# --- idle session -----------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_show_remaining_session_time_without_javascript(client, make_user, settings):
    settings.SESSION_IDLE_SECONDS = 1200
    client.force_login(make_user("person@example.org"))
    html = client.get(reverse("accounts:detail")).content.decode()
    assert 'id="session-status"' in html
    assert '<strong role="timer" data-session-remaining>20:00</strong>' in html
    assert f'action="{reverse("accounts:keep_alive")}"' in html
    assert 'aria-live="assertive"' in html
    assert "accounts/session.js" in html


def test_anonymous_pages_have_no_session_bar(client, db):
    assert 'id="session-status"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_session_cookie_lasts_the_idle_time_and_is_renewed_by_each_request(client, make_user, settings):
    client.force_login(make_user("person@example.org"))
    response = client.get("/")
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_IDLE_SECONDS
    assert client.session.get_expiry_age() == settings.SESSION_IDLE_SECONDS


@pytest.mark.django_db
def test_keep_alive_renews_session_json(client, make_user, settings):
    client.force_login(make_user("person@example.org"))
    response = client.post(reverse("accounts:keep_alive"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {"authenticated": True, "remaining": settings.SESSION_IDLE_SECONDS}
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_IDLE_SECONDS


@pytest.mark.django_db
def test_keep_alive_form_redirects_back(client, make_user):
    client.force_login(make_user("person@example.org"))
    response = client.post(reverse("accounts:keep_alive"), {"next": "/account/?x=1"})
    assert response.status_code == 302 and response["Location"] == "/account/?x=1"


@pytest.mark.django_db
def test_keep_alive_after_session_ended(client):
    response = client.post(reverse("accounts:keep_alive"), HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert response.json()["authenticated"] is False
    response = client.post(reverse("accounts:keep_alive"), {"next": "/account/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/account/"
    assert not User.objects.exists()


@pytest.mark.django_db
def test_keep_alive_requires_csrf_token(make_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("person@example.org"))
    assert client.post(reverse("accounts:keep_alive"), HTTP_ACCEPT="application/json").status_code == 403
    assert client.get(reverse("accounts:keep_alive")).status_code == 405


# --- drafts: the "saved" signal ---------------------------------------------------------------

DRAFT_KEY = "agnitio.draft%7Cabc%7C%2Faccount%2F%7Cprofile-form"


@pytest.mark.django_db
def test_successful_post_tells_the_script_to_drop_the_draft(client, make_user):
    client.force_login(make_user("person@example.org"))
    response = client.post(reverse("accounts:detail"), {"full_name": "A", "language": "en", "_draft_key": DRAFT_KEY})
    assert response.status_code == 302
    assert response.cookies[SAVED_COOKIE].value == DRAFT_KEY


@pytest.mark.django_db
def test_validation_error_keeps_the_draft(client, make_user):
    client.force_login(make_user("person@example.org"))
    response = client.post(reverse("accounts:detail"), {"full_name": "A", "language": "xx", "_draft_key": DRAFT_KEY})
    assert response.status_code == 200
    assert SAVED_COOKIE not in response.cookies


@pytest.mark.django_db
def test_post_bounced_to_sign_in_keeps_the_draft(client):
    # The session had ended: the POST is answered with a redirect to the sign-in page.
    response = client.post(reverse("accounts:detail"), {"full_name": "A", "language": "en", "_draft_key": DRAFT_KEY})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert SAVED_COOKIE not in response.cookies


@pytest.mark.django_db
def test_malformed_draft_key_is_ignored(client, make_user):
    client.force_login(make_user("person@example.org"))
    response = client.post(reverse("accounts:detail"), {"full_name": "A", "language": "en", "_draft_key": "a;b=c"})
    assert response.status_code == 302
    assert SAVED_COOKIE not in response.cookies


@pytest.mark.parametrize(("seconds", "shown"), [(1200, "20:00"), (75, "1:15"), (9, "0:09"), (-3, "0:00"), ("x", "")])
def test_remaining_time_format(seconds, shown):
    from agnitio.accounts.templatetags.accounts_session import minutes_seconds

    assert minutes_seconds(seconds) == shown


@pytest.mark.django_db
def test_server_side_session_expires_after_idle_time(client, make_user, settings):
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(make_user("person@example.org"))
    before = timezone.now()
    client.get("/")
    row = Session.objects.get(session_key=client.session.session_key)
    idle = datetime.timedelta(seconds=settings.SESSION_IDLE_SECONDS)
    assert before + idle - datetime.timedelta(seconds=5) <= row.expire_date <= timezone.now() + idle
    # Idle for longer than that: the server no longer knows the session.
    Session.objects.filter(pk=row.pk).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("accounts:detail"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
