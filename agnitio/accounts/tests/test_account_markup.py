""""My account" with its navigation, its form's fields and its API token count written in Python (accounts_pages,
apikeys.selectors.api_token_usable_count, accounts.selectors.mfa_enabled) against the templates and the view they
replaced, kept here as they were (account_before/): in every state of the page (two-factor sign-in off or on, no
token, one, several, expired and revoked ones, an unverified address, hostile text in the name, a form with errors),
in every language, the answer is byte for byte the same; and the navigation on the other pages that show it."""

from __future__ import annotations

import datetime
from functools import cache
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django import template
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.template import Engine
from django.test import override_settings
from django.urls import include, path
from django.utils import timezone

from agnitio import urls as site_urls
from agnitio.accounts import urls as accounts_urls
from agnitio.accounts.forms import ProfileForm
from agnitio.apikeys.models import ApiToken
from agnitio.apikeys.selectors import api_token_list, api_token_usable_count
from agnitio.core import versioning
from agnitio.core.testing import engine_with, masked_answer, new_and_old_answers

BEFORE = Path(__file__).parent / "account_before"

# The template library `apikeys` as it was: the count by the plain queryset.
register = template.Library()


@register.simple_tag
def usable_api_token_count(user) -> int:
    return api_token_list(actor=user, usable_only=True).count()


@cache
def _old_engine() -> Engine:
    return engine_with({
        "accounts/account_detail.html": (BEFORE / "account_detail.html").read_text(),
        "accounts/_account_nav.html": (BEFORE / "nav_only/accounts/_account_nav.html").read_text(),
        "apikeys/_account_section.html": (BEFORE / "_apikeys_account_section.html").read_text()},
        libraries={"apikeys": __name__})


class _OldTemplates:
    """`render`'s `using`: the old engine through the Django backend's interface."""

    @staticmethod
    def render(request, name, context):
        from django.http import HttpResponse
        from django.template import RequestContext

        return HttpResponse(_old_engine().get_template(name).render(RequestContext(request, context)))


@login_required
def account_detail(request):
    """accounts.views.account_detail as it was (a GET, or a POST the form refuses: nothing saved)."""
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        versioning.add_version_field(form, user)
        assert not form.is_valid()
    else:
        form = ProfileForm(initial={name: getattr(user, name) for name in ProfileForm.FIELDS})
        versioning.add_version_field(form, user)
    return _OldTemplates.render(request, "accounts/account_detail.html", {
        "form": form, "has_mfa": is_mfa_enabled(user), "api_tokens_template": "apikeys/_account_section.html"})


# This module is the ROOT_URLCONF of the old answers: the old view under the same name, then the site's addresses.
urlpatterns = [
    path("account/", include(([path("", account_detail, name="detail"),
                               *(p for p in accounts_urls.urlpatterns if p.name != "detail")], "accounts"))),
    *site_urls.urlpatterns,
]


def _assert_same(client, method="get", url="/account/", data=None, *, language):
    new, old = new_and_old_answers(client, url, data, language=language, old_urlconf=__name__, method=method)
    assert new == old
    assert new[0] == 200
    return new[1]


def _token(user, name, **extra):
    return ApiToken.objects.create(user=user, name=name, prefix=f"agn_{name[:10]}", secret_hash="0" * 64, **extra)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["lv", "en"])
def test_every_state_of_the_account_page(client, make_user, language):
    from allauth.account.models import EmailAddress

    user = make_user("person@example.org", full_name='Anna <script>alert("x")</script> & \'Bērziņa\'',
                     language=language)
    other = make_user("other@example.org")
    _token(other, "someone else's")
    client.force_login(user)
    now = timezone.now()

    page = _assert_same(client, language=language)  # no token, no second factor
    assert "alert(&quot;x&quot;)" in page and "<script>alert" not in page
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    _assert_same(client, language=language)
    _token(user, "one")
    _assert_same(client, language=language)
    _token(user, "expired", expires_at=now - datetime.timedelta(minutes=1))
    _token(user, "revoked", revoked_at=now)
    _token(user, "later", expires_at=now + datetime.timedelta(days=3))
    _assert_same(client, language=language)
    for n in range(20):
        _token(user, f"many{n}")
    _assert_same(client, language=language)  # 22: Latvian's other plural form
    EmailAddress.objects.filter(user=user).update(verified=False)
    _assert_same(client, language=language)
    for data in ({"full_name": "x" * 5000, "language": "lv"}, {"full_name": "bad\u0007 <b>", "language": "xx"},
                 {}):
        page = _assert_same(client, "post", data=data, language=language)
        assert "has-error" in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["lv", "en"])
@pytest.mark.parametrize("url", ["/account/api-tokens/", "/accounts/password/change/",
                                 "/accounts/email/", "/accounts/2fa/"])
def test_the_navigation_on_other_pages(client, make_user, language, url):
    user = make_user("person@example.org", language=language)
    client.force_login(user)
    new = masked_answer(client, url, language=language)
    with override_settings(TEMPLATES=[{**settings.TEMPLATES[0], "DIRS": [
            str(BEFORE / "nav_only"), *settings.TEMPLATES[0]["DIRS"]]}]):
        old = masked_answer(client, url, language=language)
    assert new == old
    assert 'class="account-nav"' in new[1] and 'aria-current="page"' in new[1]


@pytest.mark.django_db
def test_the_usable_count_is_the_querysets(make_user):
    user, other = make_user("person@example.org"), make_user("other@example.org")
    now = timezone.now()
    assert api_token_usable_count(actor=user) == 0
    _token(other, "other")
    _token(user, "one")
    _token(user, "expired", expires_at=now - datetime.timedelta(seconds=1))
    _token(user, "revoked", revoked_at=now)
    _token(user, "future", expires_at=now + datetime.timedelta(seconds=30))
    for actor in (user, other):
        assert api_token_usable_count(actor=actor) == api_token_list(actor=actor, usable_only=True).count()
    assert api_token_usable_count(actor=user) == 2
    ApiToken.objects.filter(name="future").update(expires_at=now - datetime.timedelta(seconds=1))
    assert api_token_usable_count(actor=user) == 1  # counted again on the next read


@pytest.mark.django_db
def test_mfa_enabled_is_allauths(make_user):
    from agnitio.accounts.selectors import mfa_enabled

    user = make_user("person@example.org")
    assert mfa_enabled(user=user) is is_mfa_enabled(user) is False
    authenticator = Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES, data={})
    assert mfa_enabled(user=user) is is_mfa_enabled(user) is True
    authenticator.delete()
    assert mfa_enabled(user=user) is is_mfa_enabled(user) is False
