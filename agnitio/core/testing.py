"""Helpers for tests."""

from __future__ import annotations

import functools
import html
import os
import re
from pathlib import Path

from django.conf import settings


def shared_dir() -> Path:
    """The project's shared reference data: `../shared` beside the project directory (`BASE_DIR`).
    `AGNITIO_SHARED_DIR` points elsewhere, e.g. from a git worktree that does not sit beside it."""
    return Path(os.environ.get("AGNITIO_SHARED_DIR") or Path(settings.BASE_DIR).parent / "shared")


# Latvian pages hold no English interface text (issue 11 point 11): the English phrases looked for are the
# catalogue's own msgids whose Latvian translation differs, so a string that is forgotten (not marked, translated at
# import time, stored in English, or missing a Latvian msgstr) shows up as soon as a page that prints it is rendered.
# Words that read the same in both languages, or that are names (Youthpass, Erasmus+, ETS) -- never flagged.
SAME_IN_BOTH = re.compile(r"^[\W\d_]*$")


@functools.cache
def _english_phrases() -> tuple[str, ...]:
    """Literal pieces (placeholders removed) of msgids whose Latvian differs: at least two words or 12 letters,
    so that single words that also occur in names or user data do not trip the check."""
    from babel.messages.pofile import read_po

    with open(Path(settings.BASE_DIR) / "locale" / "lv" / "LC_MESSAGES" / "django.po", "rb") as handle:
        catalog = read_po(handle)
    phrases = set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if msgid in strings:
                continue
            for piece in re.split(r"%\([a-z_]+\)[sd]|%[sd]|\{[^}]*\}|<[^>]*>|\n", msgid):
                piece = piece.strip(" .,:;!?()“”\"'")
                if SAME_IN_BOTH.match(piece) or any(piece in s for s in strings):
                    continue
                if len(piece.split()) >= 2 or len(piece) >= 12:
                    phrases.add(piece)
    return tuple(sorted(phrases, key=len, reverse=True))


def visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", page)
    attributes = " ".join(re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', page))
    text = re.sub(r"(?s)<[^>]+>", " ", page) + " " + attributes
    return re.sub(r"\s+", " ", html.unescape(text))


def english_left(page: str) -> list[str]:
    text = visible_text(page)
    found = []
    for phrase in _english_phrases():
        if re.search(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])", text):
            found.append(phrase)
    return found


def spend_upload_budget(user, *, group: str, uses: int) -> None:
    """Count `uses` uploads of `user` in the budget `group` (`core.throttle.account_throttle` at the upload rate),
    as if made a moment ago: the next real upload of the test is then the (uses + 1)th of this hour. Cheaper than
    sending 59 real files, and it still lets the test see the real 60th go through and the 61st refused."""
    from django.test import RequestFactory

    from agnitio.core.throttle import account_throttle, upload_rate

    request = RequestFactory().post("/")
    for _ in range(uses):
        account_throttle(request, actor=user, group=group, rate=upload_rate())


# What differs between two answers to the same request: the CSRF token (masked afresh each time, in the forms and in
# htmx's headers), the CSP nonces (in the page and the header) and the session's time left (from each arrival).
_PER_ANSWER = re.compile(r'(?<=name="csrfmiddlewaretoken" value=")[^"]*|(?<="X-CSRFToken": ")[^"]*'
                         r'|(?<=nonce=")[^"]*|(?<="inlineStyleNonce": ")[^"]*|(?<=\'nonce-)[^\']*'
                         r'|(?<=seconds=")[0-9]*|(?<=data-session-remaining>)[0-9:]*')


def per_answer_masked(content: bytes | str) -> str:
    """`content` (a page or a header) with what is new in every answer replaced by "-", so that two answers to the
    same request compare equal exactly when everything else in them is."""
    text = content.decode() if isinstance(content, bytes) else content
    return _PER_ANSWER.sub("-", text)


def engine_with(templates: dict[str, str], *, libraries: dict[str, str] | None = None, site_templates: bool = True):
    """A template engine with the site's options (context processors, builtins, every installed tag library, plus
    `libraries`) that finds `templates` (name → text) first and then, with `site_templates`, the site's own. The
    comparison tests of pages now written in Python render the templates those replaced with it."""
    from django.template import Engine
    from django.template.backends.django import get_installed_libraries

    options = settings.TEMPLATES[0]["OPTIONS"]
    loaders: list = [("django.template.loaders.locmem.Loader", templates)]
    if site_templates:
        loaders += ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"]
    return Engine(dirs=[str(d) for d in settings.TEMPLATES[0]["DIRS"]] if site_templates else [], loaders=loaders,
                  context_processors=options["context_processors"], builtins=options["builtins"],
                  libraries={**get_installed_libraries(), **(libraries or {})})


def masked_answer(client, url: str, data=None, *, language: str, method: str = "get") -> tuple[int, str]:
    """The status and the body (`per_answer_masked`) of `client`'s request for `url` in `language`."""
    response = getattr(client, method)(url, data or {}, HTTP_ACCEPT_LANGUAGE=language)
    return response.status_code, per_answer_masked(response.content)


def new_and_old_answers(client, url: str, data=None, *, language: str, old_urlconf: str,
                        method: str = "get") -> tuple[tuple[int, str], tuple[int, str]]:
    """`masked_answer` from the site as it is and from `old_urlconf` (a comparison test's module keeping the view and
    template that a page written in Python replaced, before the site's other addresses), for the same request."""
    from django.test import override_settings

    new = masked_answer(client, url, data, language=language, method=method)
    with override_settings(ROOT_URLCONF=old_urlconf):
        old = masked_answer(client, url, data, language=language, method=method)
    return new, old
