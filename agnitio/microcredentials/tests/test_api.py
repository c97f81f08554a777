"""The JSON API: specifications (publish refused with the missing elements, versions), the public catalogue, and
issuing one or many learners with per-row errors; denials change nothing."""

import io

import pytest

from agnitio.apikeys.services import api_token_create
from agnitio.core.spreadsheets import xlsx_bytes
from agnitio.microcredentials.models import Award, Specification

from .conftest import COMPLETE

API = "/api/v1/microcredentials"


@pytest.fixture
def auth(owner):
    _token, secret = api_token_create(actor=owner, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def outsider_auth(outsider):
    _token, secret = api_token_create(actor=outsider, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_create_publish_refused_then_complete_and_publish(client, auth, organisation):
    response = client.post(f"{API}/specifications", {"organisation": organisation.public_id, "title": "Draft"},
                           content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and "the learning outcomes" in body["missing"]
    spec_id = body["public_id"]
    response = client.post(f"{API}/specifications/{spec_id}/publish", **auth)
    assert response.status_code == 400 and response.json()["code"] == "incomplete"
    assert "the type of assessment" in response.json()["missing"]
    data = dict(COMPLETE, credits_ects=2)
    response = client.patch(f"{API}/specifications/{spec_id}", data, content_type="application/json", **auth)
    assert response.status_code == 200, response.content
    assert response.json()["missing"] == [] and float(response.json()["credits_ects"]) == 2
    response = client.post(f"{API}/specifications/{spec_id}/publish", **auth)
    assert response.status_code == 200 and response.json()["status"] == "published"
    response = client.patch(f"{API}/specifications/{spec_id}", {"title": "Changed"}, content_type="application/json",
                            **auth)
    assert response.status_code == 400 and response.json()["code"] == "immutable"
    response = client.post(f"{API}/specifications/{spec_id}/versions", **auth)
    assert response.status_code == 201 and response.json()["version"] == 2
    versions = client.get(f"{API}/specifications/{spec_id}/versions", **auth).json()
    assert [v["version"] for v in versions] == [2, 1]


def test_api_validates_bounds(client, auth, organisation):
    for body in ({"organisation": organisation.public_id, "title": "X", "eqf_level": 9},
                 {"organisation": organisation.public_id, "title": "X", "esco_skills": [{"uri": "http://evil"}]},
                 {"organisation": organisation.public_id, "title": "X", "languages": ["lv"] * 30},
                 {"organisation": organisation.public_id, "title": "X" * 300}):
        response = client.post(f"{API}/specifications", body, content_type="application/json", **auth)
        assert response.status_code in (400, 422), body
    assert not Specification.objects.exists()


def test_outsider_gets_404_and_changes_nothing(client, owner, organisation, outsider_auth, published):
    from agnitio.microcredentials.services.specifications import specification_create

    draft = specification_create(actor=owner, organisation=organisation, data={"title": "Another draft"})
    for method, url in (("get", f"{API}/specifications/{draft.public_id}"),
                        ("post", f"{API}/specifications/{draft.public_id}/publish"),
                        ("post", f"{API}/specifications/{published.public_id}/versions"),
                        ("post", f"{API}/specifications/{published.public_id}/withdraw"),
                        ("delete", f"{API}/specifications/{draft.public_id}")):
        assert getattr(client, method)(url, **outsider_auth).status_code == 404, url
    response = client.post(f"{API}/specifications/{published.public_id}/awards",
                           {"name": "X", "email": "x@example.org"}, content_type="application/json", **outsider_auth)
    assert response.status_code == 404
    assert client.get(f"{API}/specifications", **outsider_auth).json()["items"] == []
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == "draft" and published.status == "published" and Specification.objects.count() == 2
    assert not Award.objects.exists()


def test_issue_one_and_bulk_with_row_errors(client, auth, published, django_capture_on_commit_callbacks):
    response = client.post(f"{API}/specifications/{published.public_id}/awards",
                           {"name": "Anna Bērziņa", "email": "anna@example.org", "grade": "Pass",
                            "date_of_birth": "2001-05-14", "languages": "en"},
                           content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "issued" and response.json()["credential_number"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{API}/specifications/{published.public_id}/awards/bulk", {"learners": [
            {"name": "Jānis", "email": "janis@example.org"},
            {"name": "Bad", "email": "nope"},
            {"name": "Anna again", "email": "anna@example.org"}]}, content_type="application/json", **auth)
    assert response.status_code == 202, response.content
    body = response.json()
    assert [a["learner_email"] for a in body["awarded"]] == ["janis@example.org"]
    assert [e["index"] for e in body["errors"]] == [1, 2]
    job = client.get(f"{API}/specifications/{published.public_id}/jobs/{body['job']}", **auth).json()
    assert job["done"] == 1 and job["finished"] is True
    awards = client.get(f"{API}/specifications/{published.public_id}/awards", **auth).json()["items"]
    assert {a["status"] for a in awards} == {"issued"} and len(awards) == 2


def test_spreadsheet_import_through_the_api(client, auth, published, django_capture_on_commit_callbacks):
    data = xlsx_bytes(["Name", "E-mail", "Grade"], [["Anna Bērziņa", "anna@example.org", "9"],
                                                     ["", "empty@example.org", ""],
                                                     ["Jonas", "jonas@example.org", "8"]])
    url = f"{API}/specifications/{published.public_id}/awards/import"
    dry = client.post(url, {"file": io.BytesIO(data), "dry_run": "true"}, **auth)
    assert dry.status_code == 202 and [e["line"] for e in dry.json()["errors"]] == [3]
    assert not Award.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": io.BytesIO(data)}, **auth)
    assert response.status_code == 202, response.content
    assert len(response.json()["awarded"]) == 2 and [e["line"] for e in response.json()["errors"]] == [3]
    assert set(Award.objects.values_list("status", flat=True)) == {"issued"}


def test_public_catalogue_api(client, published, organisation):
    body = client.get("/api/v1/catalogue/", {"eqf_level": 5, "participation": "blended"}).json()
    assert [e["public_id"] for e in body["items"]] == [published.public_id]
    assert client.get("/api/v1/catalogue/", {"eqf_level": 3}).json()["items"] == []
    assert client.get("/api/v1/catalogue/", {"eqf_level": 30}).status_code == 422
    entry = client.get(f"/api/v1/catalogue/{published.public_id}").json()
    assert entry["type"] == "LearningOpportunity"
    provider = client.get(f"/api/v1/catalogue/providers/{organisation.public_id}").json()
    assert provider["dataset"].endswith("dataset.jsonld")
    assert client.get("/api/v1/catalogue/nope").status_code == 404
