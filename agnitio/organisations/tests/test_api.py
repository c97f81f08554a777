from agnitio.apikeys.services import api_token_create
from agnitio.organisations.models import Membership


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
