"""The API of copy-data and access grants (issue 12, points 7-9, 12): denials answer 404 and change nothing."""

import datetime

import pytest
from django.utils import timezone

from agnitio.apikeys.services import api_token_create
from agnitio.europass import services
from agnitio.europass.models import DocumentAccess, MobilityDocument
from agnitio.invitations.services import invitation_accept, invitation_send

pytestmark = pytest.mark.django_db
HOST = "ana@escola.example"


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=user, name='t')[1]}"}


@pytest.fixture
def pair(sender, approved):
    first, second = approved.documents.order_by("position")
    services.document_section_update(actor=sender, document=first, section="host", data={
        "host_name": "Escola", "host_type": "school", "host_country": "PT", "mentor_name": "Ana Silva",
        "mentor_position": "Teacher", "mentor_phone": "+351 212 345 678", "mentor_email": HOST})
    return first, second


def test_copy_preview_and_apply_with_conflict(client, sender, pair, outsider):
    first, second = pair
    url = f"/api/v1/europass/documents/{first.public_id}/copy"
    body = {"section": "host", "fields": ["host_name", "host_country"], "targets": [second.public_id]}
    assert client.post(url + "/preview", body, content_type="application/json", **_auth(outsider)).status_code == 404
    preview = client.post(url + "/preview", body, content_type="application/json", **_auth(sender))
    assert preview.status_code == 200, preview.content
    target = preview.json()["targets"][0]
    assert [c["field"] for c in target["changes"]] == ["host_name", "host_country"]
    stale = {**body, "versions": [{"document": second.public_id, "version": "0000"}]}
    answer = client.post(url, stale, content_type="application/json", **_auth(sender))
    assert answer.status_code == 409 and answer.json()["code"] == "conflict"
    assert MobilityDocument.objects.get(pk=second.pk).host_name == ""
    applied = client.post(url, {**body, "versions": [{"document": second.public_id, "version": target["version"]}]},
                          content_type="application/json", **_auth(sender))
    assert applied.status_code == 200, applied.content
    assert applied.json()["changed"] == {second.public_id: ["host_country", "host_name"]}
    assert MobilityDocument.objects.get(pk=second.pk).host_name == "Escola"


def test_access_grants_through_the_api_and_the_host_sees_only_its_document(client, sender, pair, make_user,
                                                                           outsider):
    first, second = pair
    base = f"/api/v1/europass/documents/{first.public_id}/access"
    assert client.post(base + "/host", {}, content_type="application/json", **_auth(outsider)).status_code == 404
    assert not DocumentAccess.objects.exists()
    sent = client.post(base + "/host", {"language": "lv"}, content_type="application/json", **_auth(sender))
    assert sent.status_code == 201, sent.content
    assert sent.json()["role"] == "host" and sent.json()["registered"] is False
    host = make_user(HOST)
    grant = DocumentAccess.objects.get(public_id=sent.json()["public_id"])
    _inv, token = invitation_send(actor=sender, kind="europass_host_access", organisation=first.institution
                                  .organisation, target=grant, email=HOST, full_name="Ana", language="en")
    invitation_accept(user=host, token=token)
    shared = client.get("/api/v1/europass/shared-documents", **_auth(host)).json()
    assert [d["public_id"] for d in shared["items"]] == [first.public_id]
    assert client.get(f"/api/v1/europass/shared-documents/{second.public_id}", **_auth(host)).status_code == 404
    assert client.get(f"/api/v1/europass/documents/{first.public_id}", **_auth(host)).status_code == 404
    edit = client.patch(f"/api/v1/europass/shared-documents/{first.public_id}/sections/evaluation",
                        {"evaluation": "Assessed by the mentor."}, content_type="application/json", **_auth(host))
    assert edit.status_code == 200, edit.content
    assert edit.json()["role"] == "host" and "evaluation" in edit.json()["editable_sections"]
    denied = client.patch(f"/api/v1/europass/shared-documents/{first.public_id}/sections/personal",
                          {"first_name": "X"}, content_type="application/json", **_auth(host))
    assert denied.status_code == 404 and MobilityDocument.objects.get(pk=first.pk).first_name == ""
    listed = client.get(base, **_auth(sender)).json()["items"]
    assert listed[0]["registered"] is True
    blocked = client.post(f"{base}/{listed[0]['public_id']}/block", **_auth(sender))
    assert blocked.status_code == 200 and blocked.json()["blocked_at"]
    assert client.get(f"/api/v1/europass/shared-documents/{first.public_id}", **_auth(host)).status_code == 404


def test_group_access_through_the_api(client, sender, approved, pair):
    first, _second = pair
    services.document_section_update(actor=sender, document=first, section="personal",
                                     data={"email": "anna@skola.example"})
    until = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    answer = client.post(f"/api/v1/europass/applications/{approved.public_id}/access/participants",
                         {"write_until": until}, content_type="application/json", **_auth(sender))
    assert answer.status_code == 201, answer.content
    assert len(answer.json()["granted"]) == 1 and len(answer.json()["without_email"]) == 1
