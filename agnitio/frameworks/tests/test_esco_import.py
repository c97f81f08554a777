"""ESCO import: the shipped English file (loaded by migration 0002), the esco_import command for any language
file from the ESCO portal, idempotent re-import, bounds."""

import zipfile

import pytest
from django.core.management import CommandError, call_command

from agnitio.core.models import AuditEvent
from agnitio.frameworks import selectors
from agnitio.frameworks.esco import importer
from agnitio.frameworks.models import EscoConcept, EscoDataset, EscoSkillRelation

from .esco_files import COMMUNICATE, NURSE, TEAMWORK, esco_zip, skills_csv

SHIPPED = importer.SHIPPED_ENGLISH


def _command(*args) -> str:
    import io

    out = io.StringIO()
    call_command("esco_import", *[str(a) for a in args], stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_shipped_english_file_is_in_every_database():
    """Every skill and occupation of ESCO v1.1.1 in English, with labels, alternative labels and descriptions."""
    assert EscoConcept.objects.filter(language="en", kind="skill").count() == 13_896
    assert EscoConcept.objects.filter(language="en", kind="occupation").count() == 3_007
    dataset = EscoDataset.objects.get(language="en")
    assert (dataset.skills, dataset.occupations) == (13_896, 3_007)
    communicate = EscoConcept.objects.get(uri=COMMUNICATE, language="en")
    assert communicate.preferred_label == "communicate with customers"
    assert communicate.description and communicate.alt_label_list
    assert communicate.skill_type == "skill/competence"
    assert EscoConcept.objects.get(uri=NURSE, language="en").code == "2221.2"


@pytest.mark.django_db
def test_reimporting_the_shipped_file_changes_nothing():
    before = EscoConcept.objects.count()
    revision = EscoDataset.objects.get(language="en").revision
    output = _command(SHIPPED)
    assert "skills: 13896 read — 0 new, 0 updated, 13896 unchanged" in output
    assert "occupations: 3007 read — 0 new, 0 updated, 3007 unchanged" in output
    assert EscoConcept.objects.count() == before
    assert EscoDataset.objects.get(language="en").revision != revision  # the indexes are rebuilt all the same
    event = AuditEvent.objects.filter(verb="esco_import").latest("id")
    assert event.action == "update" and event.actor is None and event.actor_label == "system"


@pytest.mark.django_db
def test_a_latvian_download_is_imported_and_the_language_read_from_its_names(tmp_path):
    path = esco_zip(tmp_path / "ESCO dataset - v1.1.1 - classification - lv - csv.zip",
                    relations=[(NURSE, "essential", COMMUNICATE), (NURSE, "optional", TEAMWORK)])
    output = _command(path)
    assert "ESCO lv" in output
    assert "skills: 2 read — 2 new, 0 updated, 0 unchanged, 0 skipped" in output
    assert "occupations: 1 read — 1 new" in output
    assert "occupation skills: 2 read — 2 new" in output
    skill = EscoConcept.objects.get(uri=COMMUNICATE, language="lv")
    assert skill.preferred_label == "sazināties ar klientiem"
    assert skill.alt_label_list == ["komunicēt ar klientiem", "apkalpot klientus"]
    assert EscoConcept.objects.filter(uri=COMMUNICATE).count() == 2  # English and Latvian side by side
    assert EscoDataset.objects.get(language="lv").skills == 2
    assert set(EscoSkillRelation.objects.values_list("skill_uri", "relation_type")) == {
        (COMMUNICATE, "essential"), (TEAMWORK, "optional")}
    assert AuditEvent.objects.filter(verb="esco_import", action="create").exists()


@pytest.mark.django_db
def test_reimport_updates_what_changed_without_duplicates(tmp_path):
    _command(esco_zip(tmp_path / "first.zip"))
    changed = [{"uri": COMMUNICATE, "label": "komunicēt ar klientiem", "alts": []},
               {"uri": TEAMWORK, "label": "strādāt komandā", "alts": ["sadarboties komandā"],
                "description": "Sadarboties ar kolēģiem kopīga mērķa labā."}]
    output = _command(esco_zip(tmp_path / "second.zip", skills=changed))
    assert "skills: 2 read — 0 new, 1 updated, 1 unchanged" in output
    assert EscoConcept.objects.filter(language="lv").count() == 3
    assert EscoConcept.objects.get(uri=COMMUNICATE, language="lv").preferred_label == "komunicēt ar klientiem"


@pytest.mark.django_db
def test_a_folder_and_a_single_csv_are_accepted(tmp_path):
    (tmp_path / "skills_lv.csv").write_text(skills_csv([{"uri": COMMUNICATE, "label": "sazināties"}]),
                                            encoding="utf-8")
    assert "skills: 1 read — 1 new" in _command(tmp_path)
    assert "skills: 1 read — 0 new, 0 updated, 1 unchanged" in _command(tmp_path / "skills_lv.csv")


@pytest.mark.django_db
def test_language_option_picks_one_of_several(tmp_path):
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("skills_lv.csv", skills_csv([{"uri": COMMUNICATE, "label": "sazināties"}]))
        archive.writestr("skills_de.csv", skills_csv([{"uri": COMMUNICATE, "label": "kommunizieren"}]))
    with pytest.raises(CommandError, match="several languages"):
        _command(path)
    assert not EscoConcept.objects.filter(language__in=["lv", "de"]).exists()
    _command(path, "--language", "de")
    assert EscoConcept.objects.get(language="de").preferred_label == "kommunizieren"
    assert not EscoConcept.objects.filter(language="lv").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "message"), [
    ("notes.txt", "hello", "not an ESCO file"),
    ("skills_lv.csv", "conceptUri,label\nx,y\n", "lacks the columns preferredLabel"),
    ("skills_lv.csv", "conceptUri,preferredLabel\n" + "é,x\n", None),  # not UTF-8 below
])
def test_files_that_are_not_esco_are_refused_and_nothing_is_written(tmp_path, name, content, message):
    path = tmp_path / name
    if message is None:
        path.write_bytes(content.encode("latin-1"))
        message = "not UTF-8"
    else:
        path.write_text(content, encoding="utf-8")
    before = EscoConcept.objects.count()
    with pytest.raises(CommandError, match=message):
        _command(path)
    assert EscoConcept.objects.count() == before
    assert not EscoDataset.objects.filter(language="lv").exists()


@pytest.mark.django_db
def test_rows_that_are_not_concepts_are_skipped_and_counted(tmp_path):
    rows = [{"uri": COMMUNICATE, "label": "sazināties"}, {"uri": "http://example.org/x", "label": "svešs"},
            {"uri": TEAMWORK, "label": ""}, {"uri": NURSE, "label": "māsa"}]  # an occupation URI among skills
    (tmp_path / "skills_lv.csv").write_text(skills_csv(rows), encoding="utf-8")
    assert "skills: 1 read — 1 new, 0 updated, 0 unchanged, 3 skipped" in _command(tmp_path / "skills_lv.csv")


@pytest.mark.django_db
def test_too_many_rows_are_refused_and_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 1)
    with pytest.raises(CommandError, match="more than 1 rows"):
        _command(esco_zip(tmp_path / "lv.zip"))
    assert not EscoConcept.objects.filter(language="lv").exists()


@pytest.mark.django_db
def test_a_file_larger_than_the_limit_is_refused_while_reading(tmp_path, monkeypatch):
    """The unpacked size is counted as the bytes are read (a zip's directory may lie), and the archive's
    declared sizes and compression ratio are checked before."""
    path = esco_zip(tmp_path / "lv.zip")
    monkeypatch.setattr(importer, "MAX_FILE_BYTES", 300)
    with pytest.raises(CommandError, match="too large when unpacked|larger than"):
        _command(path)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("skills_lv.csv", "conceptUri,preferredLabel\n" + " " * 1_000_000)
    monkeypatch.setattr(importer, "MAX_FILE_BYTES", 10_000_000)
    with pytest.raises(CommandError, match="too large when unpacked"):
        _command(bomb)
    assert not EscoConcept.objects.filter(language="lv").exists()


def test_rows_are_streamed_not_loaded_whole(tmp_path):
    """csv_rows yields as it reads: after the first row only the reader's buffer has been consumed."""
    path = tmp_path / "skills_lv.csv"
    path.write_text(skills_csv([{"uri": f"{COMMUNICATE}-{i}", "label": f"prasme {i}"} for i in range(20_000)]),
                    encoding="utf-8")
    source = importer.Source("skill", "lv", path.name, lambda: path.open("rb"))
    rows = importer.csv_rows(source)
    first = next(rows)
    assert first["preferredLabel"] == "prasme 0"
    assert path.stat().st_size > 2_000_000
    rows.close()


@pytest.mark.django_db
def test_an_import_makes_the_search_index_rebuild(tmp_path):
    assert selectors.esco_search(query="sazināties", language="lv").fallback is True
    _command(esco_zip(tmp_path / "lv.zip"))
    result = selectors.esco_search(query="sazināties", language="lv")
    assert result.fallback is False and result.items[0].uri == COMMUNICATE
    _command(esco_zip(tmp_path / "lv2.zip", skills=[{"uri": COMMUNICATE, "label": "runāt ar pircējiem"}]))
    assert selectors.esco_search(query="runāt ar pircējiem", language="lv").items[0].uri == COMMUNICATE
