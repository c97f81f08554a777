"""Every interface string has a Latvian translation, and the compiled catalogues are current."""

import gettext
import re
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
    # One name for the European Solidarity Corps: "Eiropas Solidaritātes korpuss", short "ESK" (the English "ESC" stays
    # only where it is the action code of a grant number, such as ESC51).
    assert _lv_strings(catalog, "European Solidarity Corps") == ["Eiropas Solidaritātes korpuss"]
    assert not [t for t in texts if re.search(r"Solidaritātes Korpus|solidaritātes korpus|Solidaritātes korpuss\w", t)
                and "korpusa" not in t]
    assert not [t for t in texts if re.search(r"\bESC\b(?!\d| un (diviem|two))", t)]
    assert not [t for t in texts if re.search(r"(?i)eiropas brīvprātīg\w* dienest|\bEBD\b", t)]
    # "stažēšanās" (not "prakse"), "stažieris" / "nodarbinātais", and "projekta īstenotājs" for the promoter (seed 001)
    assert not [t for t in texts if re.search(r"(?i)\bprakse|praktikant", t)]
    esc_help = ("In European Solidarity Corps jobs and traineeships the project's organiser is responsible for "
                "recognising what the trainee or employee learns: the certificate has a section “Professional "
                "competences” for outcomes tied to their tasks, and a supervisor may add an overall assessment in a "
                "section of its own.")
    assert all(w in _lv_strings(catalog, esc_help)[0] for w in ("projekta īstenotājs", "stažiera", "nodarbinātā"))
    # the person who supports the learning is a "supervizors" or "mentors", never a "pārraugs" or "kurators"
    assert not [t for t in texts if re.search(r"(?i)\bpārraug|\bkurator", t)]


def test_latvian_competence_descriptions_use_the_seed_terms():
    # The competence data (agnitio/frameworks/data) speak of "mācīšanās", never "mācību rezultāti", and name the
    # corps the same way as the catalogue.
    import json

    from agnitio.frameworks.selectors import DATA_FILE

    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    described = [f.get("description") or {} for f in raw["frameworks"]]
    described += [c.get("description") or {} for f in raw["frameworks"] for c in f.get("competences", [])]
    latvian = [d["lv"] for d in described if "lv" in d]
    assert len(latvian) == 8 + 9 + 2
    assert not [t for t in latvian if "mācību rezultāt" in t.lower() or "ESC" in t or "Korpus" in t]


def test_our_catalogue_overrides_allauths_latvian():
    # locale/ is first in LOCALE_PATHS, so a msgid of allauth translated in our catalogue reads as we wrote it.
    from django.utils import translation

    assert Path(settings.LOCALE_PATHS[0]) == LOCALE
    allauth_lv = Path(__import__("allauth").__file__).parent / "locale" / "lv" / "LC_MESSAGES" / "django.mo"
    with open(allauth_lv, "rb") as handle:
        theirs = gettext.GNUTranslations(handle)
    assert theirs.gettext("Current Password") == "Šobrīdējā parole"  # the wording we replace
    with translation.override("lv"):
        assert translation.gettext("Current Password") == "Pašreizējā parole"
        assert translation.gettext("Sign In") == "Pieteikties"  # allauth says "Ieiet"; our pages say "Pieteikties"
        assert translation.gettext("Forgot your password?") == "Aizmirsāt paroli?"  # allauth's own, kept
        # two-factor pages: no slang ("Jūs grasāties ...") and the comma after "lūdzu"
        assert "grasāties" not in translation.gettext(
            "You are about to generate a new set of recovery codes for your account.")
        assert "Lūdzu, ievadiet" in translation.gettext(
            "Your account is protected by two-factor authentication. Please enter an authenticator code:")


def test_the_sign_in_and_reset_pages_read_as_our_latvian(client, db):
    from django.urls import reverse

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "lv"
    login = client.get(reverse("account_login")).content.decode()
    assert "Pieteikties" in login and ">Ieiet<" not in login
    reset = client.get(reverse("account_reset_password")).content.decode()
    assert "Atiestatīt paroli" in reset and "Atjaunot manu paroli" not in reset


# "Jūs esat iesniedzis" speaks to a man only. The catalogue addresses the reader gender-neutrally: a finite verb
# ("Jūs nosūtījāt", "ko iemācījāties"), an impersonal or noun-based phrase ("augšupielādēts par daudz failu",
# "Ja rodas šaubas"). So after a second-person auxiliary (esat, neesat, bijāt, būsiet, tiekat, …) no past
# participle may follow within three words: neither active ones (…jis, …dzis, …cis, …sis, …vis, reflexive …ies, the
# plural …uši/…ušies used as polite singular) nor passive ones (…ts/…ti, "esat pārliecināts", "tiekat aicināti").
# Third-person sentences ("dalībnieks ir reģistrējies") and role nouns ("Jūs esat tās īpašnieks") do not match.
_SECOND_PERSON = r"\b(?:ne)?(?:esat|esi|bijāt|biji|būsiet|būsi|tiekat|tiec|tikāt|tiki|kļuvāt|kļuvi)\b"
_PARTICIPLE = r"\w+(?:jis|jies|dzis|dzies|cis|cies|sis|vis|ušies|uši|ts|ti)\b"
_MASCULINE_TO_THE_READER = re.compile(_SECOND_PERSON + r"(?:\s+\S+){0,2}?\s+" + _PARTICIPLE, re.IGNORECASE)


def test_the_latvian_catalogue_addresses_the_reader_gender_neutrally():
    catalog = _catalog("lv")
    found = [(m.id, match.group(0)) for m in catalog if m.id
             for s in (m.string if isinstance(m.string, tuple) else (m.string,))
             for match in _MASCULINE_TO_THE_READER.finditer(s or "")]
    assert not found, f"{len(found)} Latvian texts speak to the reader in the masculine only: {found}"


@pytest.mark.parametrize("text", ["Jūs īsā laikā esat augšupielādējis pārāk daudz failu.",
                                  "Jūs esat nosūtījis pārāk daudz pieprasījumu.", "Ja neesat pārliecināts, jautājiet.",
                                  "ko esat iemācījies", "Ko jūs esat iemācījušies?", "kad esat pabeidzis",
                                  "Jūs tiekat aicināti pievienoties", "ja esat pieteicies"])
def test_the_gender_check_sees_masculine_participles(text):
    assert _MASCULINE_TO_THE_READER.search(text)


@pytest.mark.parametrize("text", ["Jūs esat tās īpašnieks.", "Jūs jau esat organizācijas %(name)s loceklis.",
                                  "Dalībnieks ir reģistrējies.", "Jūs īsā laikā augšupielādējāt pārāk daudz failu.",
                                  "jūs neesat to biedrs vai dalībnieks", "Ievadiet e-pasta adresi.",
                                  "Jūs esat vienīgā persona ar īpašnieka tiesībām."])
def test_the_gender_check_leaves_other_text_alone(text):
    assert not _MASCULINE_TO_THE_READER.search(text)
