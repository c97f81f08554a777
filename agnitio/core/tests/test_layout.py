"""The page layout (base.html): the language switch lists every language, in its own name, the active one chosen."""

import re

import pytest
from django.test import override_settings
from django.utils.translation import get_language_info


def _options(html: str) -> list[str]:
    return re.findall(r'<option value="[^"]*" lang="[^"]*"(?: selected)?>[^<]*</option>', html)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "lv"])
def test_language_switch_lists_the_languages_with_the_active_one_selected(client, language):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert _options(html) == [
        f'<option value="{code}" lang="{code}"{" selected" if code == language else ""}>'
        f'{get_language_info(code)["name_local"]}</option>' for code in ("en", "lv")]


@pytest.mark.django_db
def test_language_switch_follows_the_languages_setting(client):
    with override_settings(LANGUAGES=[("lv", "Latvian")]):
        assert _options(client.get("/", HTTP_ACCEPT_LANGUAGE="lv").content.decode()) == [
            '<option value="lv" lang="lv" selected>latviešu</option>']
    assert len(_options(client.get("/").content.decode())) == 2
