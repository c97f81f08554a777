"""Hostile learner spreadsheets (micro-credential import, `core.spreadsheets` as every import): a sheet whose XML
decompresses to hundreds of MB, a million rows, twenty thousand columns, a huge shared-strings table, a cell at the
far corner of the grid — each refused quickly with a message that says what to do, on the page and in the API,
never a server error, nothing stored, and reading it stays within bounded memory (measured in a fresh process).
The files come from `core.tests.spreadsheet_files`, shared with the Youthpass import's tests."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agnitio.apikeys.services import api_token_create
from agnitio.core.tests import spreadsheet_files as files
from agnitio.microcredentials.models import Award, AwardImport

HOSTILE = {
    "zip bomb": (lambda: files.xlsx_with_sheet_xml(600), "too_large", "unpacks to too much data"),
    "a million rows": (lambda: files.xlsx_many_rows(1_000_000), "too_many_rows", "more than 20000 rows"),
    "20,000 columns": (lambda: files.xlsx_many_columns(20_000), "too_many_columns", "more than 100 columns"),
    "huge shared strings": (lambda: files.xlsx_shared_strings(3_600_000, text=b""), "too_large", "too large"),
    "far corner": (files.corner_xlsx, "too_many_rows", "rows"),
}


@pytest.fixture(scope="module")
def hostile_files():
    return {name: maker() for name, (maker, _code, _text) in HOSTILE.items()}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_refused_on_the_page_with_what_to_do(client, owner, published, hostile_files, name):
    _maker, _code, text = HOSTILE[name]
    client.force_login(owner)
    started = time.monotonic()
    response = client.post(reverse("microcredentials:import_upload", args=[published.public_id]),
                           {"file": SimpleUploadedFile("learners.xlsx", hostile_files[name]), "languages": "lv+en"})
    assert time.monotonic() - started < 30
    assert response.status_code == 200 and text in response.content.decode()
    assert not AwardImport.objects.exists() and not Award.objects.exists()


@pytest.mark.parametrize("name", list(HOSTILE))
def test_refused_in_the_api_as_a_dry_run_and_as_an_import(client, owner, published, hostile_files, name):
    _maker, code, text = HOSTILE[name]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=owner, name='t')[1]}"}
    url = f"/api/v1/microcredentials/specifications/{published.public_id}/awards/import"
    for extra in ({"dry_run": "true"}, {}):
        response = client.post(url, {"file": SimpleUploadedFile("learners.xlsx", hostile_files[name]), **extra},
                               **auth)
        assert response.status_code == 400 and response.json()["code"] == code, response.content[:300]
        assert text in response.json()["detail"]
    assert not AwardImport.objects.exists() and not Award.objects.exists()


@pytest.mark.parametrize("name", list(HOSTILE))
def test_reading_stays_within_bounded_memory(tmp_path, hostile_files, name):
    figures = files.peak_memory_of_reading(hostile_files[name], tmp_path)
    assert figures["outcome"] == f"refused {HOSTILE[name][1]}", figures
    assert figures["delta_mb"] <= 100 and figures["seconds"] < 10, figures


def test_trailing_empty_columns_as_office_suites_write_them_are_fine(owner, published):
    from agnitio.core.spreadsheets import read_table

    data = files.xlsx([["Vārds", "Uzvārds", *[""] * 300], ["Anna", "Bērziņa", *[""] * 300]])
    table = read_table(data, "learners.xlsx")
    assert table.headers[:2] == ["Vārds", "Uzvārds"] and table.rows[0][:2] == ["Anna", "Bērziņa"]
