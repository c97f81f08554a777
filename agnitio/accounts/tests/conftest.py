import re

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth's rate limits and used-TOTP-code markers live in the cache.
    cache.clear()
    yield
    cache.clear()


def link_in(text: str, fragment: str) -> str:
    """The first URL in `text` that contains `fragment`."""
    for url in re.findall(r"https?://\S+", text):
        if fragment in url:
            return url
    raise AssertionError(f"no link containing {fragment!r} in:\n{text}")
