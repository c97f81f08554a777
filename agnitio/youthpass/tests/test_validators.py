import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from agnitio.youthpass.validators import normalise_grant_number, validate_grant_number

VALID = [
    "2022-1-LV01-KA153-YOU-000000000",
    "2024-1-FR02-ESC51-VTJ-000199813",
    "2014-3-DE04-KA105-YOU-123456789",
    "2021-2-EL02-KA154-YOU-000012345",   # Greece as the Commission writes it
    "2019-1-UK01-KA105-YOU-000000001",   # United Kingdom (EU code)
    "2023-1-LV02-ESC30-SOL-000100200",
]


@pytest.mark.parametrize("number", VALID)
def test_valid_numbers(number):
    validate_grant_number(number)


@pytest.mark.parametrize(("number", "code", "named"), [
    ("2022-1-LV01-KA153-YOU", "parts", "six parts"),
    ("2022-1-LV01-KA153-YOU-000000000-1", "parts", "six parts"),
    ("2022--LV01-KA153-YOU-000000000", "parts", "six parts"),
    ("", "parts", "six parts"),
    ("22-1-LV01-KA153-YOU-000000000", "year", "Part 1"),
    ("2013-1-LV01-KA153-YOU-000000000", "year", "Part 1"),
    ("20A2-1-LV01-KA153-YOU-000000000", "year", "Part 1"),
    ("2022-4-LV01-KA153-YOU-000000000", "round", "Part 2"),
    ("2022-0-LV01-KA153-YOU-000000000", "round", "Part 2"),
    ("2022-12-LV01-KA153-YOU-000000000", "round", "Part 2"),
    ("2022-1-LV1-KA153-YOU-000000000", "agency", "Part 3"),
    ("2022-1-LVA01-KA153-YOU-000000000", "agency", "Part 3"),
    ("2022-1-0101-KA153-YOU-000000000", "agency", "Part 3"),
    ("2022-1-XX01-KA153-YOU-000000000", "country", "“XX”"),
    ("2022-1-LV01-KA15-YOU-000000000", "action", "Part 4"),
    ("2022-1-LV01-KB153-YOU-000000000", "action", "Part 4"),
    ("2022-1-LV01-ESC5-YOU-000000000", "action", "Part 4"),
    ("2022-1-LV01-ESC512-YOU-000000000", "action", "Part 4"),
    ("2022-1-LV01-KA153-YO-000000000", "field", "Part 5"),
    ("2022-1-LV01-KA153-YOU1-000000000", "field", "Part 5"),
    ("2022-1-LV01-KA153-Y0U-000000000", "field", "Part 5"),
    ("2022-1-LV01-KA153-YOU-00000000", "serial", "Part 6"),
    ("2022-1-LV01-KA153-YOU-0000000000", "serial", "Part 6"),
    ("2022-1-LV01-KA153-YOU-00000000A", "serial", "Part 6"),
])
def test_invalid_numbers_name_the_wrong_part_and_show_the_form(number, code, named):
    with pytest.raises(ValidationError) as info:
        validate_grant_number(number)
    error = info.value
    assert error.code == code
    message = error.messages[0]
    assert named in message
    assert "YYYY-R-CCNN-ACTION-FIELD-NNNNNNNNN" in message
    assert "2022-1-LV01-KA153-YOU-000000000" in message


def test_next_year_is_accepted_but_not_the_year_after():
    year = timezone.now().year
    validate_grant_number(f"{year + 1}-1-LV01-KA153-YOU-000000000")
    with pytest.raises(ValidationError):
        validate_grant_number(f"{year + 2}-1-LV01-KA153-YOU-000000000")


def test_message_is_translatable():
    with translation.override("lv"), pytest.raises(ValidationError) as info:
        validate_grant_number("2022-9-LV01-KA153-YOU-000000000")
    assert "2022-9-LV01-KA153-YOU-000000000" in info.value.messages[0]


def test_normalise_uppercases_and_unifies_dashes():
    assert normalise_grant_number("  2022-1-lv01–ka153 - you-000000000 ") == "2022-1-LV01-KA153-YOU-000000000"


countries = st.sampled_from(["LV", "FR", "DE", "EE", "LT", "PL", "EL", "TR", "NO", "IS"])


@given(year=st.integers(2014, 2026), round_=st.integers(1, 3), country=countries, agency=st.integers(0, 99),
       action=st.one_of(st.integers(0, 999).map(lambda n: f"KA{n:03d}"),
                        st.integers(0, 99).map(lambda n: f"ESC{n:02d}")),
       field=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3),
       serial=st.integers(0, 999_999_999))
def test_every_well_formed_number_is_valid(year, round_, country, agency, action, field, serial):
    validate_grant_number(f"{year}-{round_}-{country}{agency:02d}-{action}-{field}-{serial:09d}")


@given(position=st.integers(0, 30), char=st.sampled_from("?x_ /.é9Z"))
def test_any_single_character_corruption_is_rejected_or_still_well_formed(position, char):
    good = "2022-1-LV01-KA153-YOU-000000000"
    position = position % len(good)
    bad = good[:position] + char + good[position + 1:]
    try:
        validate_grant_number(bad)
    except ValidationError as error:
        assert "YYYY-R-CCNN-ACTION-FIELD-NNNNNNNNN" in error.messages[0]
    else:
        # only substitutions that keep the shape (a digit for a digit, a letter for a letter) may pass
        assert all(a.isdigit() == b.isdigit() and (a == "-") == (b == "-") for a, b in zip(good, bad, strict=True))
