"""core.rows: what the list pages' rows made in Python print is what the template language printed."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from agnitio.core.rows import ROW, Dates, url_pattern


@pytest.mark.parametrize("value", ["AbC-12_x", "ŪDENS 1", "a b&c'd(e)*+,;=~:@!$", "100%", "?x=1#y"])
def test_url_pattern_gives_what_reverse_gives(value):
    # `reverse` quotes a path argument (Django's RFC 3986 rule): url_pattern must quote it the same way, which this
    # pins (a Django that quotes otherwise fails here).
    assert url_pattern("credentials:wallet_detail")(value) == reverse("credentials:wallet_detail", args=[value])


def test_url_pattern_keeps_a_slash_inside_its_segment():
    # reverse refuses "/" in a str argument; the row's value stays one segment of the URL
    assert url_pattern("credentials:wallet_detail")("ā/b") == "/wallet/%C4%81%2Fb/"


def test_url_pattern_puts_the_row_value_where_row_is():
    url = url_pattern("invitations:manage", ROW, "resend")
    assert url("abc") == reverse("invitations:manage", args=["abc", "resend"])


@pytest.mark.parametrize("language", ["lv", "en"])
def test_dates_print_what_the_date_filter_prints(language, settings):
    moment = datetime.datetime(2026, 3, 28, 23, 30, tzinfo=datetime.UTC)  # already 29 March in Rīga
    day = datetime.date(2026, 11, 2)
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo("Europe/Riga")):
        template = Template('{{ day|date }}|{{ moment|date:"DATETIME_FORMAT" }}|{{ none|date }}')
        expected = template.render(Context({"day": day, "moment": moment, "none": None}))
        dates, datetimes = Dates(), Dates("DATETIME_FORMAT")
        assert f"{dates(day)}|{datetimes(moment)}|{dates(None)}" == expected
        assert dates(day) is dates(day)  # formatted once


@pytest.mark.parametrize("language", ["lv", "en"])
def test_date_times_of_one_minute_are_formatted_once_unless_the_format_shows_seconds(language):
    first = datetime.datetime(2026, 3, 28, 10, 15, 1, 5, tzinfo=datetime.UTC)
    later = first.replace(second=59, microsecond=999)
    next_minute = first.replace(minute=16)
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo("Europe/Riga")):
        template = Template('{{ v|date:"DATETIME_FORMAT" }}')
        expected = [template.render(Context({"v": v})) for v in (first, later, next_minute)]
        minutes = Dates("DATETIME_FORMAT")
        assert [minutes(v) for v in (first, later, next_minute)] == expected
        assert minutes(first) is minutes(later) and len(minutes._done) == 2
        seconds = Dates("H:i:s")
        assert seconds(first) == "12:15:01" and seconds(later) == "12:15:59"


def test_html_escapes_exactly_as_format_html():
    from django.utils.html import format_html, format_html_join
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    from agnitio.core.rows import html, html_join

    values = ["<b>\"x\" & 'y'</b>", mark_safe("<i>safe</i>"), gettext_lazy("Name"), 12, None, 1.5, "ā→ž"]
    pattern = "<td>{}</td>" * len(values)
    assert html(pattern, *values) == format_html(pattern, *values)
    named = {f"v{i}": v for i, v in enumerate(values)}
    named_pattern = "".join(f"<p title=\"{{{k}}}\">{{{k}}}</p>" for k in named)
    assert html(named_pattern, **named) == format_html(named_pattern, **named)
    rows = [values, values[::-1]]
    assert html_join("\n", pattern, rows) == format_html_join("\n", pattern, rows)
    assert html_join("\n", named_pattern, [named]) == format_html_join("\n", named_pattern, [named])
    assert hasattr(html(pattern, *values), "__html__")


def test_days_remembered_per_process_follow_the_language_and_the_settings(settings):
    # Dates keeps a day's text per process (the same for everyone): keyed by the language, emptied by a settings
    # change; each language, asked in turn, still prints what the template filter prints.
    day = datetime.date(2026, 5, 3)
    template = Template('{{ day|date }}|{{ day|date:"SHORT_DATE_FORMAT" }}|{{ day|date:"j.n.Y." }}')
    for language in ("lv", "en", "lv", "en"):
        with translation.override(language):
            expected = template.render(Context({"day": day}))
            assert f"{Dates()(day)}|{Dates('SHORT_DATE_FORMAT')(day)}|{Dates('j.n.Y.')(day)}" == expected
    from agnitio.core.rows import _day_text

    assert _day_text.cache_info().currsize > 0
    settings.DATE_FORMAT = "Y"  # a format setting changed (tests): nothing remembered is used again
    assert _day_text.cache_info().currsize == 0
