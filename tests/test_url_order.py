"""agnitio/urls.py lists the public verification (the API and the credentials app's addresses) first, because
Django tries patterns in order (issue 14 point 5). That order must change nothing: no address of those groups is
matched by a pattern of another group, and no other address by theirs — so whichever comes first, every address
reaches the same view."""

import re

from django.urls import get_resolver
from django.urls.resolvers import URLResolver

SAMPLE_GROUP = re.compile(r"\(\?P<\w+>(?:[^()]|\([^()]*\))*\)")


def _patterns() -> list[tuple[int, str, re.Pattern]]:
    """(index of the top-level entry, name, full regular expression) of every pattern of the URL configuration."""
    rows = []

    def walk(resolver, prefix: str, top: int | None, name: str) -> None:
        for index, entry in enumerate(resolver.url_patterns):
            regex = prefix + entry.pattern.regex.pattern.lstrip("^")
            group = index if top is None else top
            if isinstance(entry, URLResolver):
                walk(entry, regex, group, f"{name}{entry.namespace}:" if entry.namespace else name)
            else:
                rows.append((group, f"{name}{entry.name}", re.compile("^" + regex)))

    walk(get_resolver(), "", None, "")
    return rows


def _sample(regex: re.Pattern) -> str | None:
    """An address the pattern matches: named groups filled with '1', anchors dropped."""
    text = SAMPLE_GROUP.sub("1", regex.pattern.lstrip("^")).replace("\\Z", "").replace("$", "")
    text = text.replace("\\.", ".").replace("\\-", "-").replace("\\/", "/")
    return text if regex.fullmatch(text) or regex.match(text) else None


def test_the_verification_first_changes_no_address():
    from agnitio import urls

    rows = _patterns()
    first = {i for i, entry in enumerate(urls.urlpatterns[:3])}  # the API, its JSON 404, the credentials app
    assert [str(entry.pattern) for entry in urls.urlpatterns[:3]] == ["api/v1/", "^api/", ""]
    moved = [row for row in rows if row[0] in first]
    others = [row for row in rows if row[0] not in first]
    assert len(moved) > 20 and len(others) > 100
    sampled = 0
    for group, other in ((moved, others), (others, moved)):
        for _top, name, regex in group:
            sample = _sample(regex)
            if sample is None:  # a hand-written regular expression: no simple sample
                continue
            sampled += 1
            clashes = [other_name for _t, other_name, other_regex in other if other_regex.match(sample)]
            assert not clashes, (name, sample, clashes)
    assert sampled > 0.8 * len(rows)
    for path, view in [("api/v1/verify/ABCD-EFGH-IJKL-MNOP", "verify_code"), ("verify/", "verify"),
                       ("verify/ABCD-EFGH-IJKL-MNOP", "verify_code"), ("", "home")]:
        assert get_resolver().resolve("/" + path).url_name == view
