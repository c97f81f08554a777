import re


def link_in(text: str, fragment: str) -> str:
    """The first URL in `text` that contains `fragment`."""
    for url in re.findall(r"https?://\S+", text):
        if fragment in url:
            return url
    raise AssertionError(f"no link containing {fragment!r} in:\n{text}")
