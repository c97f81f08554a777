"""Reading participant tables: the headings, roles and languages a Youthpass participant table uses, and its
downloadable example. Reading and limits are the shared reader's (`agnitio.core.spreadsheets`).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from agnitio.core import spreadsheets as _reader
from agnitio.core.spreadsheets import (  # noqa: F401 - the reader, re-exported for this app's imports
    ENCODINGS,
    MAX_BYTES,
    MAX_ROWS,
    Table,
    normalise_heading,
    read_table,
    sniff_format,
    xlsx_bytes,
)

# Fields a column can be mapped to, and the headings recognised for each (compared without case, spaces,
# punctuation and diacritics).
FIELD_LABELS = {
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "email": _("E-mail"),
    "country": _("Country"),
    "date_of_birth": _("Date of birth"),
    "place_of_birth": _("Place of birth"),
    "role": _("Role"),
    "language": _("Language for e-mails"),
}
HEADINGS = {
    "first_name": ["vārds", "vards", "first name", "firstname", "given name", "given names", "forename", "name",
                   "prénom", "vorname"],
    "last_name": ["uzvārds", "uzvards", "last name", "lastname", "surname", "family name", "nom", "nachname"],
    "email": ["e-pasts", "epasts", "e-pasta adrese", "e-mail", "email", "email address", "e-mail address",
              "mail", "courriel"],
    "country": ["valsts", "country", "country of residence", "dzīvesvietas valsts", "pays", "land"],
    "date_of_birth": ["dzimšanas datums", "dz. datums", "date of birth", "birth date", "birthdate", "dob",
                      "born"],
    "place_of_birth": ["dzimšanas vieta", "place of birth", "birthplace", "birth place"],
    "role": ["loma", "role", "participant or team member", "dalībnieks vai komandas pārstāvis",
             "dalībnieks vai komandas loceklis"],
    "language": ["valoda", "saziņas valoda", "language", "language for e-mails"],
}

ROLE_WORDS = {
    "participant": ["participant", "dalībnieks", "dalībniece", "dalibnieks", "dalibniece", "p"],
    "team_member": ["team member", "team", "komandas pārstāvis", "komandas pārstāve", "komandas loceklis",
                    "komandas locekle", "komandas dalībnieks",
                    "komanda", "leader", "group leader", "grupas vadītājs", "trainer", "treneris", "facilitator",
                    "youth worker", "jaunatnes darbinieks", "t"],
}
LANGUAGE_WORDS = {"lv": ["lv", "latviešu", "latvian", "latviski"], "en": ["en", "english", "angļu", "angliski"]}




_ROLE_INDEX = {normalise_heading(w): role for role, ws in ROLE_WORDS.items() for w in ws}
_LANGUAGE_INDEX = {normalise_heading(w): code for code, ws in LANGUAGE_WORDS.items() for w in ws}


def guess_mapping(headers: list[str]) -> dict[int, str]:
    """Column index → field for the headings recognised (each field at most once, the first column wins)."""
    return _reader.guess_mapping(headers, HEADINGS)


def role_from_text(text: str) -> str | None:
    return _ROLE_INDEX.get(normalise_heading(text))


def language_from_text(text: str) -> str | None:
    return _LANGUAGE_INDEX.get(normalise_heading(text))



# Headings of the example table: the same words the import recognises (see HEADINGS), per language.
EXAMPLE_HEADINGS = {
    "lv": ["Vārds", "Uzvārds", "E-pasts", "Valsts", "Dzimšanas datums", "Loma"],
    "en": ["First name", "Last name", "E-mail", "Country", "Date of birth", "Role"],
}
EXAMPLE_ROWS = {
    "lv": [["Anna", "Bērziņa", "anna.berzina@example.org", "Latvija", "31.12.2005", "dalībnieks"],
           ["Jonas", "Petraitis", "jonas@example.org", "Lietuva", "01.02.1990", "komandas pārstāvis"]],
    "en": [["Anna", "Berzina", "anna.berzina@example.org", "Latvia", "2005-12-31", "participant"],
           ["Jonas", "Petraitis", "jonas@example.org", "Lithuania", "1990-02-01", "team member"]],
}


def example_table(language: str) -> bytes:
    """The downloadable example: headings and two rows in the user's language, recognised by the import."""
    language = language if language in EXAMPLE_HEADINGS else "en"
    title = "Dalībnieki" if language == "lv" else "Participants"
    return xlsx_bytes(EXAMPLE_HEADINGS[language], EXAMPLE_ROWS[language], title=title)
