import datetime

import pytest
from django.utils import timezone

from agnitio.apikeys.models import ApiToken
from agnitio.apikeys.services import api_token_create, api_token_revoke


def _auth(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_me_returns_the_tokens_user(client, owner):
    owner.full_name = "Anna Bērziņa"
    owner.language = "lv"
    owner.save()
    _, secret = api_token_create(actor=owner, name="x")
    response = client.get("/api/v1/me", **_auth(secret))
    assert response.status_code == 200
    assert response.json() == {
        "public_id": owner.public_id, "email": owner.email, "full_name": "Anna Bērziņa", "language": "lv",
    }
    assert "id" not in response.json()


def test_me_without_token_is_401_with_json_body(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("state", ["revoked", "expired", "inactive_user", "wrong_secret"])
def test_me_refuses_unusable_tokens(client, owner, state):
    token, secret = api_token_create(actor=owner, name="x", expires_at=timezone.now() + datetime.timedelta(days=1))
    if state == "revoked":
        api_token_revoke(actor=owner, token=token)
    elif state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    elif state == "inactive_user":
        owner.is_active = False
        owner.save()
    else:
        secret = secret[:-4] + "0000"
    response = client.get("/api/v1/me", **_auth(secret))
    assert response.status_code == 401
    token.refresh_from_db()
    assert token.last_used_at is None


def test_revocation_is_effective_at_once(client, owner):
    token, secret = api_token_create(actor=owner, name="x")
    assert client.get("/api/v1/me", **_auth(secret)).status_code == 200
    api_token_revoke(actor=owner, token=token)
    assert client.get("/api/v1/me", **_auth(secret)).status_code == 401


def test_me_with_browser_session(client, owner):
    client.force_login(owner)
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["email"] == owner.email


def test_unknown_api_address_is_json_404(client, db):
    response = client.get("/api/v1/no/such/thing")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
