import json

from django.test import Client

from agnitio.apikeys.services import api_token_create
from agnitio.core.models import AuditEvent
from agnitio.organisations.models import Membership
from agnitio.organisations.services import ORGANISATION_FIELDS


def _auth(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_list_shows_own_organisations_with_role(client, editor, organisation, other_organisation):
    _, secret = api_token_create(actor=editor, name="x")
    response = client.get("/api/v1/organisations", **_auth(secret))
    assert response.status_code == 200
    body = response.json()
    assert [o["public_id"] for o in body] == [organisation.public_id]
    assert body[0]["role"] == "editor"
    assert body[0]["country"] == "LV"
    assert body[0]["phone"] == "+37167000001"
    assert body[0]["legal_name"] == organisation.legal_name
    assert "id" not in body[0]


def test_get_own_organisation(client, admin, organisation):
    _, secret = api_token_create(actor=admin, name="x")
    response = client.get(f"/api/v1/organisations/{organisation.public_id}", **_auth(secret))
    assert response.status_code == 200
    assert response.json()["role"] == "admin"
    assert response.json()["email"] == organisation.email


def test_other_organisation_is_404(client, owner, other_organisation):
    _, secret = api_token_create(actor=owner, name="x")
    response = client.get(f"/api/v1/organisations/{other_organisation.public_id}", **_auth(secret))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    missing = client.get("/api/v1/organisations/does-not-exist", **_auth(secret))
    assert missing.status_code == 404 and missing.json() == response.json()


def test_token_bound_to_one_organisation_sees_only_it(client, owner, organisation, other_organisation):
    Membership.objects.create(organisation=other_organisation, user=owner, role="admin")
    _, bound = api_token_create(actor=owner, name="bound", organisation=organisation)
    _, unbound = api_token_create(actor=owner, name="all")
    listed = client.get("/api/v1/organisations", **_auth(bound)).json()
    assert [o["public_id"] for o in listed] == [organisation.public_id]
    assert len(client.get("/api/v1/organisations", **_auth(unbound)).json()) == 2
    assert client.get(f"/api/v1/organisations/{other_organisation.public_id}", **_auth(bound)).status_code == 404
    assert client.get(f"/api/v1/organisations/{other_organisation.public_id}", **_auth(unbound)).status_code == 200


def test_removed_member_loses_access_on_next_request(client, editor, organisation):
    _, secret = api_token_create(actor=editor, name="x")
    url = f"/api/v1/organisations/{organisation.public_id}"
    assert client.get(url, **_auth(secret)).status_code == 200
    Membership.objects.filter(user=editor).delete()
    assert client.get(url, **_auth(secret)).status_code == 404
    assert client.get("/api/v1/organisations", **_auth(secret)).json() == []


def _patch(client, url, data, **extra):
    return client.patch(url, data=json.dumps(data), content_type="application/json", **extra)


def _snapshot(organisation):
    organisation.refresh_from_db()
    return {f: str(getattr(organisation, f)) for f in ORGANISATION_FIELDS}


def test_admin_patches_only_sent_fields_and_it_is_audited(client, admin, organisation):
    before = _snapshot(organisation)
    _, secret = api_token_create(actor=admin, name="x")
    response = _patch(client, f"/api/v1/organisations/{organisation.public_id}",
                      {"legal_name": "Biedrība Jaunais Tilts", "website": "https://tilts.example"}, **_auth(secret))
    assert response.status_code == 200, response.content
    assert response.json()["legal_name"] == "Biedrība Jaunais Tilts"
    after = _snapshot(organisation)
    assert after == {**before, "legal_name": "Biedrība Jaunais Tilts", "website": "https://tilts.example"}
    event = AuditEvent.objects.get(object_id=organisation.public_id, action="update")
    assert event.actor == admin
    assert set(event.changes) == {"legal_name", "website"}


def test_patch_validates_like_the_form(client, owner, organisation):
    before = _snapshot(organisation)
    _, secret = api_token_create(actor=owner, name="x")
    url = f"/api/v1/organisations/{organisation.public_id}"
    response = _patch(client, url, {"email": "not-an-email", "phone": "12", "legal_name": "Fine"}, **_auth(secret))
    assert response.status_code == 422
    fields = {tuple(item["loc"]) for item in response.json()["detail"]}
    assert fields == {("body", "email"), ("body", "phone")}
    assert _patch(client, url, {"legal_name": None}, **_auth(secret)).status_code == 422  # required
    assert _patch(client, url, {"country": "XX"}, **_auth(secret)).status_code == 422
    assert _snapshot(organisation) == before
    assert not AuditEvent.objects.filter(object_id=organisation.public_id).exists()


def test_editor_may_not_patch(client, editor, organisation):
    before = _snapshot(organisation)
    _, secret = api_token_create(actor=editor, name="x")
    response = _patch(client, f"/api/v1/organisations/{organisation.public_id}", {"legal_name": "X"}, **_auth(secret))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert _snapshot(organisation) == before
    assert not AuditEvent.objects.filter(object_id=organisation.public_id).exists()


def test_outsider_patch_is_404(client, outsider, organisation):
    before = _snapshot(organisation)
    _, secret = api_token_create(actor=outsider, name="x")
    response = _patch(client, f"/api/v1/organisations/{organisation.public_id}", {"legal_name": "X"}, **_auth(secret))
    assert response.status_code == 404
    assert _snapshot(organisation) == before
    assert not AuditEvent.objects.filter(object_id=organisation.public_id).exists()


def test_token_bound_elsewhere_may_not_patch(client, owner, organisation, other_organisation):
    Membership.objects.create(organisation=other_organisation, user=owner, role="owner")
    before = _snapshot(organisation)
    _, secret = api_token_create(actor=owner, name="x", organisation=other_organisation)
    response = _patch(client, f"/api/v1/organisations/{organisation.public_id}", {"legal_name": "X"}, **_auth(secret))
    assert response.status_code == 404
    assert _snapshot(organisation) == before


def test_browser_session_patch_needs_csrf_token(owner, organisation):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    before = _snapshot(organisation)
    url = f"/api/v1/organisations/{organisation.public_id}"
    response = _patch(client, url, {"legal_name": "Changed"})
    assert response.status_code == 403
    assert _snapshot(organisation) == before
    client.get("/")  # sets the CSRF cookie, as a page would
    token = client.cookies["csrftoken"].value
    response = _patch(client, url, {"legal_name": "Changed"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    assert _snapshot(organisation)["legal_name"] == "Changed"


def test_list_query_count_does_not_grow_with_organisations(client, owner, organisation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from agnitio.organisations.models import Organisation

    _, secret = api_token_create(actor=owner, name="x")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/organisations", **_auth(secret)).status_code == 200
        return len(queries)

    client.get("/api/v1/organisations", **_auth(secret))  # last_used_at written once
    one = count()
    for n in range(5):
        extra = Organisation.objects.create(legal_name=f"Org {n}", country="LV", address="Rīga", email="o@o.example")
        Membership.objects.create(organisation=extra, user=owner, role="editor")
    assert count() == one
    assert len(client.get("/api/v1/organisations", **_auth(secret)).json()) == 6
