"""Messages of the shared API input schema are in the request's language."""

import datetime

import pytest
from django.utils import translation
from pydantic import ValidationError

from agnitio.api_schemas import InputSchema


class _Dated(InputSchema):
    start_date: datetime.date


@pytest.mark.parametrize("language,text", [("en", "a date must be a string such as 2026-01-31, not a number"),
                                           ("lv", "datumam jābūt tekstam")])
def test_a_number_given_as_a_date_is_refused_in_the_active_language(language, text):
    with translation.override(language), pytest.raises(ValidationError) as error:
        _Dated.model_validate({"start_date": 20260131})
    message = error.value.errors()[0]["msg"]
    assert "start_date" in message and text in message


def test_an_iso_date_string_is_read():
    assert _Dated.model_validate({"start_date": "2026-01-31"}).start_date == datetime.date(2026, 1, 31)
