"""Issue 11 point 11: dates in one localised form on every page -- Latvian "30.11.2026", English "30 November 2026"
(agnitio/formats), and no template with a format of its own."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

DAY = datetime.date(2026, 5, 3)
MOMENT = datetime.datetime(2026, 11, 30, 9, 5, tzinfo=datetime.UTC)  # 11:05 in Riga


@pytest.mark.parametrize(("language", "date", "moment"), [
    ("lv", "03.05.2026", "30.11.2026 11:05"),
    ("en", "3 May 2026", "30 November 2026, 11:05"),
])
def test_one_form_per_language_whatever_the_template_asks_for(language, date, moment):
    with translation.override(language):
        for source in ("{{ d }}", "{{ d|date }}", '{{ d|date:"DATE_FORMAT" }}', '{{ d|date:"SHORT_DATE_FORMAT" }}'):
            assert Template(source).render(Context({"d": DAY})) == date, source
        for source in ("{{ m }}", '{{ m|date:"DATETIME_FORMAT" }}', '{{ m|date:"SHORT_DATETIME_FORMAT" }}'):
            assert Template(source).render(Context({"m": MOMENT})) == moment, source


def test_no_template_formats_dates_its_own_way():
    # (a time alone may keep its own form: the autosave status shows seconds)
    named = re.compile(r'\|date:"[A-Z_]+_FORMAT"')
    offenders = []
    for path in (Path(settings.BASE_DIR) / "agnitio").rglob("templates/**/*"):
        if path.suffix in (".html", ".txt") and "tests" not in path.parts:
            for match in re.finditer(r'\|date:"[^"]*"', path.read_text(encoding="utf-8")):
                if not named.fullmatch(match.group(0)):
                    offenders.append(f"{path.name}: {match.group(0)}")
    assert offenders == []


@pytest.mark.parametrize(("language", "date", "other_form"), [("lv", "03.05.2026", "2026. gada"),
                                                               ("en", "3 May 2026", "May 3, 2026")])
def test_project_page_shows_the_languages_form(client, owner, project, language, date, other_form):
    from agnitio.youthpass import services

    services.activity_create(actor=owner, project=project, activity_type="training_course", title="TC",
                             start_date=DAY, end_date=datetime.date(2026, 5, 10), venue_city="Cēsis",
                             venue_country="LV")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(owner)
    page = client.get(reverse("youthpass:project_detail", args=[project.public_id])).content.decode()
    assert date in page and other_form not in page
