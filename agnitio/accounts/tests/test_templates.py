"""allauth's pages render inside our layout, every input has a label, and errors are shown."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

PASSWORD = "correct-horse-battery"


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs: list[dict] = []
        self.label_for: set[str] = set()
        self._label_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self._label_depth += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        elif tag in ("input", "select", "textarea"):
            attrs["_wrapped"] = self._label_depth > 0
            attrs["_tag"] = tag
            self.inputs.append(attrs)

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_depth -= 1


def unlabelled_inputs(html: str) -> list[dict]:
    parser = _Inputs()
    parser.feed(html)
    missing = []
    for field in parser.inputs:
        if field.get("type") in ("hidden", "submit", "button", "image", "reset"):
            continue
        if field["_wrapped"] or field.get("aria-label") or field.get("aria-labelledby"):
            continue
        if field.get("id") and field["id"] in parser.label_for:
            continue
        missing.append(field)
    return missing


ANONYMOUS_PAGES = ["account_login", "account_signup", "account_reset_password"]
SIGNED_IN_PAGES = ["account_change_password", "account_email", "mfa_index", "mfa_activate_totp",
                   "account_reauthenticate", "accounts:detail"]


def _check(response):
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in html and 'id="main"' in html, "not rendered inside base.html"
    assert html.count("<html") == 1
    assert unlabelled_inputs(html) == []
    return html


@pytest.mark.django_db
@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_anonymous_account_pages(client, name):
    _check(client.get(reverse(name)))


@pytest.mark.django_db
@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_account_pages(client, make_user, name):
    make_user("person@example.org", password=PASSWORD)
    client.post(reverse("account_login"), {"login": "person@example.org", "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    _check(client.get(reverse(name)))


@pytest.mark.django_db
def test_errors_are_shown_next_to_the_field(client):
    response = client.post(reverse("account_signup"), {"email": "not-an-address", "password1": "x", "password2": "y",
                                                        "language": "en"})
    html = _check(response)
    assert 'aria-invalid="true"' in html
    assert 'class="errorlist' in html


def test_the_checker_finds_an_unlabelled_input():
    assert unlabelled_inputs('<input id="a" name="a"><label for="b">B</label><input id="b">') == [
        {"id": "a", "name": "a", "_wrapped": False, "_tag": "input"}
    ]


@pytest.mark.django_db
def test_sign_in_page_explains_an_ended_session(client):
    url = reverse("account_login") + "?next=/account/&session_ended=1"
    assert "Your session ended" in client.get(url).content.decode()
    assert "Your session ended" not in client.get(reverse("account_login")).content.decode()
