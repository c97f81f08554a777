"""The Europass JSON API: applications, NEC decisions, documents with their missing-fields list, sections and the
certificate from the agreement; denials answer 404 and change nothing."""

import datetime

import pytest
from django.utils import timezone

from agnitio.apikeys.services import api_token_create
from agnitio.europass.models import Application, MobilityDocument

pytestmark = pytest.mark.django_db


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=user, name='t')[1]}"}


def _body(**over):
    start = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    body = {"conditions_accepted": True, "procedure": "B", "issuing_body": "nec", "participants_count": 2,
            "start_date": start, "end_date": start, "description": "Pieredzes apmaiņa",
            "criterion_written_agreement": True, "criterion_language_preparation": True, "criterion_mentor": True,
            "criterion_geographic_scope": True}
    body.update(over)
    return body


def test_apply_approve_and_fill_through_the_api(client, sender, institution, nec, nec_staff, outsider):
    response = client.post("/api/v1/europass/applications", _body(), content_type="application/json", **_auth(sender))
    assert response.status_code == 201, response.content
    aid = response.json()["public_id"]
    assert response.json()["status"] == "submitted"
    # the sender cannot approve their own application; a stranger does not find it
    assert client.post(f"/api/v1/europass/applications/{aid}/approve", **_auth(sender)).status_code == 404
    assert client.post(f"/api/v1/europass/applications/{aid}/approve", **_auth(outsider)).status_code == 404
    assert client.get(f"/api/v1/europass/applications/{aid}", **_auth(outsider)).status_code == 404
    assert Application.objects.get(public_id=aid).status == "submitted" and not MobilityDocument.objects.exists()
    queue = client.get("/api/v1/europass/nec/applications", **_auth(nec_staff)).json()
    assert [a["public_id"] for a in queue["items"]] == [aid]
    approved = client.post(f"/api/v1/europass/applications/{aid}/approve", **_auth(nec_staff))
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    documents = client.get("/api/v1/europass/documents", **_auth(sender)).json()["items"]
    assert len(documents) == 2 and all(d["number"].startswith("EA-") for d in documents)
    did = documents[0]["public_id"]
    document = client.get(f"/api/v1/europass/documents/{did}", **_auth(sender)).json()
    assert {m["section"] for m in document["missing"]} >= {"personal", "host", "project", "outcomes", "contact"}
    assert {s["section"]: s["rule"] for s in document["sections"]}["additional_terms"] == "optional"
    bad = client.patch(f"/api/v1/europass/documents/{did}/sections/host", {"host_country": "TR"},
                       content_type="application/json", **_auth(sender))
    assert bad.status_code == 400 and bad.json()["code"] == "host_country"
    stray = client.patch(f"/api/v1/europass/documents/{did}/sections/host", {"first_name": "X"},
                         content_type="application/json", **_auth(sender))
    assert stray.status_code == 400
    ok = client.patch(f"/api/v1/europass/documents/{did}/sections/outcomes", {"outcomes": [
        {"framework": "B", "text": "Cooks", "esco_uris": ["http://data.europa.eu/esco/skill/1"]}]},
        content_type="application/json", **_auth(sender))
    assert ok.status_code == 200 and ok.json()["outcomes"][0]["esco_uris"] == ["http://data.europa.eu/esco/skill/1"]
    assert client.patch(f"/api/v1/europass/documents/{did}/sections/host", {"host_name": "X"},
                        content_type="application/json", **_auth(outsider)).status_code == 404
    certificate = client.post(f"/api/v1/europass/documents/{did}/certificate", **_auth(sender))
    assert certificate.status_code == 201 and certificate.json()["kind"] == "certificate"
    cid = certificate.json()["public_id"]
    removed = client.patch(f"/api/v1/europass/documents/{cid}/sections/contact", {"contact_information": "x"},
                           content_type="application/json", **_auth(sender))
    assert removed.status_code == 400 and removed.json()["code"] == "removed"


def test_too_early_gives_the_first_allowed_date(client, sender, institution, nec):
    start = timezone.localdate() + datetime.timedelta(weeks=11)
    response = client.post("/api/v1/europass/applications", _body(start_date=start.isoformat(),
                                                                  end_date=start.isoformat()),
                           content_type="application/json", **_auth(sender))
    assert response.status_code == 400 and response.json()["code"] == "too_early"
    assert not Application.objects.exists()


def test_reject_through_the_api(client, make_application, nec_staff):
    application = make_application()
    response = client.post(f"/api/v1/europass/applications/{application.public_id}/reject",
                           {"reason": "Trūkst projekta apraksta."}, content_type="application/json",
                           **_auth(nec_staff))
    assert response.status_code == 200 and response.json()["rejection_reason"] == "Trūkst projekta apraksta."


def test_institution_base_data(client, sender, institution, editor):
    assert client.get("/api/v1/europass/institution", **_auth(sender)).json()["contact_person"] == "Ilze Kalniņa"
    response = client.patch("/api/v1/europass/institution", {"contact_person": "Jānis"},
                            content_type="application/json", **_auth(editor))
    assert response.status_code == 403
    institution.refresh_from_db()
    assert institution.contact_person == "Ilze Kalniņa"
    assert client.patch("/api/v1/europass/institution", {"contact_person": "Jānis"}, content_type="application/json",
                        **_auth(sender)).json()["contact_person"] == "Jānis"
