"""Table rows of a list page made in Python, in one pass (issue 14 point 5: a signed-in page ≤ 8 ms of CPU).

A list page of fifty rows rendered by the template language costs several milliseconds: every row resolves its
variables, reverses its URLs, translates its labels, formats its dates and renders its `{% include %}`s again. The
list pages (the issued documents, the wallet, a project's participants, the members, the history) instead make
their rows' HTML in a module of their app with `format_html` (which escapes every value it is given, exactly as
the template language does), and the template prints the result (`{{ rows }}`): each label is translated once per
page, each URL reversed once per page (`url_pattern`), each date formatted once per distinct date (`Dates`).
The page's other parts (headings, forms, pagination, the table's head) stay in the template. `html` and
`html_join` are `format_html` and `format_html_join` with the same escaping (Python's `html.escape`, which Django's
`escape` calls; values with `__html__` are taken as they are) less the cost of Django's lazy-text wrappers, which a
page of a hundred rows and ten cells calls a thousand times.

    from agnitio.core.rows import Dates, html_join, url_pattern

    detail = url_pattern("credentials:wallet_detail")      # reverse("credentials:wallet_detail", args=[ROW])
    dates = Dates()
    rows = html_join("\n", '<tr><td><a href="{}">{}</a></td><td>{}</td></tr>',
                     ((detail(c.public_id), c.code, dates(c.issued_on)) for c in page))
"""

from __future__ import annotations

import datetime
import html as _html
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from urllib.parse import quote

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

ROW = "__row__"  # where a row's value goes in a URL reversed once (url_pattern)
_SAFE = "!$&'()*+,;=~:@"  # what `reverse` leaves unquoted in a path argument, less "/" (tests/test_rows.py)


def url_pattern(viewname: str, *args: object) -> Callable[[object], str]:
    """A function giving `reverse(viewname, args=[...])` for one row, reversing only once: `args` are the URL's
    arguments with `ROW` where the row's value goes (the last one when `ROW` is not given). The value is quoted as
    `reverse` quotes it; a value with "/" (which `reverse` refuses for a `str` argument) is quoted too, so it
    stays one path segment."""
    if ROW not in args:
        args = (*args, ROW)
    pattern = reverse(viewname, args=list(args))
    return lambda value: pattern.replace(ROW, quote(str(value), safe=_SAFE))


@lru_cache(maxsize=4096)
def _day_text(value: datetime.date, format: str | None, language: str | None) -> str:
    """`date_format(value, format)` of a day (not a date-time: no time zone) in the active `language`, per process:
    the same for everyone, and every input it depends on is in the key (the settings' formats empty it when they
    change). A list's rows show the same days again and again, on every page and to every person."""
    return date_format(value, format)


@receiver(setting_changed, dispatch_uid="core-rows-setting-changed")
def _setting_changed(**kwargs) -> None:
    _day_text.cache_clear()  # e.g. DATE_FORMAT, FORMAT_MODULE_PATH, LANGUAGES in tests


class Dates:
    """`{{ value|date }}` (or `|date:format`) for many rows: each distinct value formatted once. An aware
    date-time is shown in the current time zone, as the template filter shows it. When the format shows no seconds
    (nor anything made of them), date-times of the same minute are one value: a history's events come in bursts."""

    _SECONDS = frozenset("sufvUcr")  # format characters that show the seconds (or less); "\\s" counts too

    def __init__(self, format: str | None = None):
        self.format = format
        self._done: dict[datetime.date, str] = {}
        self._minutes: bool | None = None  # whether date-times may be taken to the minute (known at the first one)

    def __call__(self, value: datetime.date | None) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            if self._minutes is None:
                self._minutes = not self._SECONDS.intersection(get_format(self.format or "DATE_FORMAT"))
            if self._minutes:
                value = value.replace(second=0, microsecond=0)
        text = self._done.get(value)
        if text is None:
            text = self._done[value] = (_day_text(value, self.format, get_language())
                                        if type(value) is datetime.date else date_format(value, self.format))
        return text


def csrf_input(request, *, token: str | None = None) -> SafeString:
    """What `{% csrf_token %}` prints (the hidden field of a POST form), for the forms of rows made in Python; with
    `token` (a `get_token(request)` the view also gives its template as `csrf_token`), that one."""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
                       get_token(request) if token is None else token)


def _escaped(value: object) -> str:
    """`conditional_escape(value)`: a value with `__html__` (already safe) as it is, anything else escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return _html.escape(str(value))


def html(format_string: str, /, *args: object, **kwargs: object) -> SafeString:
    """`format_html(format_string, *args, **kwargs)`: every value escaped unless already safe."""
    return mark_safe(format_string.format(  # noqa: S308 (every value escaped)
        *(_escaped(a) for a in args), **{k: _escaped(v) for k, v in kwargs.items()}))


def html_join(separator: str, format_string: str,
              rows: Iterable[Mapping[str, object] | Iterable[object]]) -> SafeString:
    """`format_html_join(separator, format_string, rows)`: each row's values (a tuple, or a dict for named fields)
    escaped unless already safe; the separator is written as it is (a constant)."""
    return mark_safe(separator.join(  # noqa: S308 (every value escaped)
        html(format_string, **row) if isinstance(row, Mapping) else html(format_string, *row) for row in rows))
