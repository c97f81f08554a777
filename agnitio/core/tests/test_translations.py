"""Every interface string has a Latvian translation, and the compiled catalogues are current."""

import gettext
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LOCALE = Path(settings.BASE_DIR) / "locale"


def _catalog(language: str):
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("language", ["lv", "en"])
def test_every_message_is_translated_and_not_fuzzy(language):
    catalog = _catalog(language)
    missing = [m.id for m in catalog if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not missing, f"{len(missing)} untranslated in {language}: {missing[:20]}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy[:20]}"


@pytest.mark.parametrize("language", ["lv", "en"])
def test_compiled_catalogue_matches_the_po_file(language):
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in _catalog(language):
        if not message.id or isinstance(message.id, tuple):
            continue
        key = f"{message.context}\x04{message.id}" if message.context else message.id
        assert compiled._catalog.get(key) == message.string, f"stale .mo for {message.id!r}: run make messages"


def test_catalogue_covers_every_string_in_the_code(tmp_path, monkeypatch):
    # makemessages writes next to the sources it scans, so scan a copy, never the work tree.
    shutil.copytree(Path(settings.BASE_DIR) / "agnitio", tmp_path / "agnitio",
                    ignore=shutil.ignore_patterns("static", "migrations", "tests", "__pycache__", "node_modules"))
    (tmp_path / "locale" / "lv" / "LC_MESSAGES").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[str(tmp_path / "locale")]):
        call_command("makemessages", locale=["lv"], verbosity=0, no_obsolete=True)
    with open(tmp_path / "locale" / "lv" / "LC_MESSAGES" / "django.po", "rb") as handle:
        wanted = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(handle) if m.id}
    have = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in _catalog("lv") if m.id}
    missing = sorted(str(m) for m in wanted - have)
    assert not missing, f"{len(missing)} strings not in locale/lv (run make messages and translate): {missing[:20]}"


def _lv_strings(catalog, msgid: str) -> list[str]:
    message = catalog[msgid]
    assert message is not None, f"{msgid!r} is not in the catalogue"
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def test_latvian_uses_the_youthpass_seed_terms():
    # The Latvian Youthpass guides (DOMAIN seeds 000 and 001) say "mācīšanās rezultāti" for learning outcomes,
    # "organizācijas likumīgais pārstāvis", "komandas pārstāvis (team member)" and "supervizors"; the catalogue
    # says the same everywhere, so the certificate, the forms and the e-mails never mix two words for one thing.
    catalog = _catalog("lv")
    texts = [s for m in catalog if m.id for s in (m.string if isinstance(m.string, tuple) else (m.string,))]
    assert not [t for t in texts if "mācību rezultāt" in t.lower()]
    assert not [t for t in texts if "mācību mērķ" in t.lower()]
    assert not [t for t in texts if "juridiskais pārstāvis" in t.lower()]
    assert not [t for t in texts if "komandas dalībniek" in t.lower()]
    # The certificate is a "sertifikāts" (seed 000); a signed credential is an "apliecinājums"; "apliecība" is neither.
    assert not [t for t in texts if "apliecīb" in t.lower()]
    for msgid in ("Learning outcomes", "Part 3: Learning outcomes", "learning outcomes", "Your learning outcomes",
                  "The learning outcomes are not submitted yet.", "learning outcomes submitted"):
        assert all("mācīšanās rezultāt" in s.lower() for s in _lv_strings(catalog, msgid)), msgid
    assert _lv_strings(catalog, "Legal representative") == ["Likumīgais pārstāvis"]
    assert _lv_strings(catalog, "team member") == ["komandas pārstāvis"]
    assert _lv_strings(catalog, "Supervisor or mentor") == ["Supervizors vai mentors"]
    assert _lv_strings(catalog, "Assessment by the supervisor") == ["Supervizora novērtējums"]
    assert _lv_strings(catalog, "Traineeship") == ["Stažēšanās"]  # seed 001: "darba un stažēšanās projektos"
