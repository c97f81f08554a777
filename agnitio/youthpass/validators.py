"""Grant agreement numbers of Erasmus+ and European Solidarity Corps projects (DOMAIN D1 step 2).

Form: ``YYYY-R-CCNN-ACTION-FIELD-NNNNNNNNN``, e.g. ``2022-1-LV01-KA153-YOU-000000000`` or
``2024-1-FR02-ESC51-VTJ-000199813``:

* ``YYYY`` call year (programmes since 2014), ``R`` round 1–3,
* ``CC`` ISO 3166 country of the National Agency (the Commission writes Greece as ``EL`` and the United
  Kingdom as ``UK``, so those two are accepted as well) and ``NN`` the two-digit agency number,
* ``ACTION`` key action ``KAnnn`` or ESC action ``ESCnn``, ``FIELD`` three letters, ``NNNNNNNNN`` nine digits.

A wrong number is answered with a message that names the wrong part and shows the expected form.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

EXPECTED_FORM = "YYYY-R-CCNN-ACTION-FIELD-NNNNNNNNN"
EXAMPLE = "2022-1-LV01-KA153-YOU-000000000"
FIRST_YEAR = 2014
# Country codes used by the European Commission that differ from ISO 3166-1 alpha-2.
EU_COUNTRY_ALIASES = {"EL": "GR", "UK": "GB"}

_YEAR = re.compile(r"\d{4}")
_ROUND = re.compile(r"[1-3]")
_AGENCY = re.compile(r"([A-Z]{2})(\d{2})")
_ACTION = re.compile(r"KA\d{3}|ESC\d{2}")
_FIELD = re.compile(r"[A-Z]{3}")
_SERIAL = re.compile(r"\d{9}")


def normalise_grant_number(value: str) -> str:
    """Upper case, surrounding spaces removed, any kind of dash made a hyphen-minus."""
    value = (value or "").strip().upper()
    return re.sub(r"[\u2010-\u2015\u2212\s]*-[\s]*|[\u2010-\u2015\u2212]", "-", value)


def _error(part_message, *, value: str, code: str) -> ValidationError:
    return ValidationError(
        _("%(problem)s Expected form: %(form)s, for example %(example)s (you entered “%(value)s”)."),
        code=code,
        params={"problem": part_message, "form": EXPECTED_FORM, "example": EXAMPLE, "value": value},
    )


def validate_grant_number(value: str) -> None:
    """Raise ValidationError naming the first wrong part. Call `normalise_grant_number` first."""
    parts = value.split("-")
    if len(parts) != 6 or not all(parts):
        raise _error(
            _("The number must have six parts separated by hyphens; it has %(count)d.") % {
                "count": len([p for p in parts if p])},
            value=value, code="parts")
    year, round_, agency, action, field, serial = parts
    this_year = timezone.now().year
    if not _YEAR.fullmatch(year) or not FIRST_YEAR <= int(year) <= this_year + 1:
        raise _error(_("Part 1 (year, “%(part)s”) must be a year from %(first)d to %(last)d.") % {
            "part": year, "first": FIRST_YEAR, "last": this_year + 1}, value=value, code="year")
    if not _ROUND.fullmatch(round_):
        raise _error(_("Part 2 (round, “%(part)s”) must be 1, 2 or 3.") % {"part": round_},
                     value=value, code="round")
    match = _AGENCY.fullmatch(agency)
    if not match:
        raise _error(_("Part 3 (National Agency, “%(part)s”) must be a two-letter country code and a two-digit "
                       "agency number, such as LV01.") % {"part": agency}, value=value, code="agency")
    country = EU_COUNTRY_ALIASES.get(match.group(1), match.group(1))
    if countries.alpha2(country) != country:
        raise _error(_("Part 3 (National Agency, “%(part)s”): “%(code)s” is not a country code.") % {
            "part": agency, "code": match.group(1)}, value=value, code="country")
    if not _ACTION.fullmatch(action):
        raise _error(_("Part 4 (action, “%(part)s”) must be KA and three digits (such as KA153) or ESC and two "
                       "digits (such as ESC51).") % {"part": action}, value=value, code="action")
    if not _FIELD.fullmatch(field):
        raise _error(_("Part 5 (field, “%(part)s”) must be three letters, such as YOU.") % {"part": field},
                     value=value, code="field")
    if not _SERIAL.fullmatch(serial):
        raise _error(_("Part 6 (serial number, “%(part)s”) must be nine digits.") % {"part": serial},
                     value=value, code="serial")


def grant_number_action(value: str) -> str:
    """The action code of a well-formed number (part 4), e.g. "KA152"."""
    return value.split("-")[3]


def validate_grant_number_action(value: str, *, programme: str, project_type: str) -> None:
    """Raise ValidationError when the number's action code does not fit the programme and project type (an ESC51
    number for an Erasmus+ youth exchange, KA152 for ESC volunteering). The message names both sides. Call
    `validate_grant_number` first."""
    from .choices import ACTION_CODES, Programme, ProjectType, action_codes_for

    action = grant_number_action(value)
    allowed = action_codes_for(project_type)
    if action in allowed:
        return
    params = {"code": action, "type": ProjectType(project_type).label, "programme": Programme(programme).label,
              "allowed": ", ".join(allowed)}
    if action in ACTION_CODES:
        raise ValidationError(
            _("The number’s action code %(code)s is for %(meaning)s, not for the project type “%(type)s” of "
              "%(programme)s (its numbers have %(allowed)s)."),
            code="action", params={**params, "meaning": ACTION_CODES[action]})
    raise ValidationError(
        _("The number’s action code %(code)s is not one of the project type “%(type)s” of %(programme)s (its "
          "numbers have %(allowed)s)."), code="action", params=params)
