import hashlib

from django.urls import reverse

from agnitio.apikeys.models import ApiToken
from agnitio.apikeys.services import api_token_create
from agnitio.core.models import AuditEvent


def test_list_requires_sign_in(client, db):
    response = client.get(reverse("apikeys:list"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_list_shows_own_tokens_only(client, owner, editor):
    api_token_create(actor=owner, name="owner script")
    api_token_create(actor=editor, name="editor script")
    client.force_login(owner)
    response = client.get(reverse("apikeys:list"))
    assert response.status_code == 200
    assert "owner script" in response.content.decode()
    assert "editor script" not in response.content.decode()


def test_create_shows_secret_once_and_stores_only_its_hash(client, owner, organisation):
    client.force_login(owner)
    response = client.post(
        reverse("apikeys:list"), {"name": "CI export", "organisation": organisation.public_id, "expires": "30"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.organisation == organisation and token.user == owner and token.expires_at is not None
    # The list never shows it again.
    assert secret not in client.get(reverse("apikeys:list")).content.decode()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").json()["email"] == owner.email


def test_create_with_invalid_input_keeps_input_and_creates_nothing(client, owner):
    client.force_login(owner)
    response = client.post(reverse("apikeys:list"), {"name": "", "expires": "30"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_create_cannot_bind_to_foreign_organisation(client, owner, other_organisation):
    client.force_login(owner)
    response = client.post(
        reverse("apikeys:list"), {"name": "x", "organisation": other_organisation.public_id, "expires": "30"}
    )
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_revoke_own_token(client, owner):
    token, secret = api_token_create(actor=owner, name="x")
    client.force_login(owner)
    url = reverse("apikeys:revoke", args=[token.public_id])
    assert client.get(url).status_code == 200  # confirmation page
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    response = client.post(url)
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert AuditEvent.objects.filter(object_id=token.public_id, action="revoke", actor=owner).exists()


def test_cannot_revoke_another_users_token(client, owner, editor):
    token, secret = api_token_create(actor=owner, name="x")
    client.force_login(editor)
    url = reverse("apikeys:revoke", args=[token.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    assert not AuditEvent.objects.filter(action="revoke").exists()


def test_my_account_page_counts_usable_tokens_and_links_here(client, owner):
    from agnitio.apikeys.services import api_token_revoke

    api_token_create(actor=owner, name="kept")
    revoked, _ = api_token_create(actor=owner, name="gone")
    api_token_revoke(actor=owner, token=revoked)
    client.force_login(owner)
    page = client.get(reverse("accounts:detail")).content.decode()
    assert "You have 1 active personal API token." in page
    assert reverse("apikeys:list") in page


def test_superuser_revokes_a_leaked_token_in_the_admin(client, owner, make_user, staff_login):
    token, secret = api_token_create(actor=owner, name="leaked")
    superuser = make_user("root@agnitio.example", is_staff=True, is_superuser=True)
    staff_login(client, superuser)
    response = client.post(
        reverse("admin:apikeys_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert AuditEvent.objects.filter(object_id=token.public_id, action="revoke", actor=superuser).exists()
    client.logout()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_staff_without_superuser_cannot_revoke_others_tokens_in_the_admin(client, owner, make_user, staff_login):
    from django.contrib.auth.models import Permission

    token, _ = api_token_create(actor=owner, name="x")
    staff = make_user("staff@agnitio.example", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_apitoken"))
    staff_login(client, staff)
    client.post(reverse("admin:apikeys_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]})
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert not AuditEvent.objects.filter(action="revoke").exists()


def test_revoke_page_of_a_revoked_token_says_so(client, owner):
    from agnitio.apikeys.services import api_token_revoke

    token, _ = api_token_create(actor=owner, name="old")
    api_token_revoke(actor=owner, token=token)
    client.force_login(owner)
    page = client.get(reverse("apikeys:revoke", args=[token.public_id])).content.decode()
    assert "was revoked on" in page
    assert 'type="submit" class="danger"' not in page
