import datetime
import hashlib

import pytest
from django.utils import timezone

from agnitio.apikeys.models import ApiToken
from agnitio.apikeys.selectors import api_token_get, api_token_list
from agnitio.apikeys.services import api_token_authenticate, api_token_create, api_token_revoke
from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.models import AuditEvent


def test_create_stores_only_the_hash_of_the_secret(owner):
    token, secret = api_token_create(actor=owner, name="reporting script")
    token.refresh_from_db()
    assert secret.startswith("agn_") and secret.startswith(token.prefix)
    assert len(secret) == 54
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    # The secret part appears in no column.
    stored = " ".join(str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values())
    assert secret not in stored and secret[len(token.prefix):] not in stored
    event = AuditEvent.objects.get(object_id=token.public_id)
    assert event.action == "grant" and event.actor == owner
    assert secret not in str(event.changes)


def test_two_tokens_get_different_secrets(owner):
    _, first = api_token_create(actor=owner, name="a")
    _, second = api_token_create(actor=owner, name="b")
    assert first != second


def test_create_requires_a_name(owner):
    with pytest.raises(ApplicationError):
        api_token_create(actor=owner, name="   ")
    assert not ApiToken.objects.exists()


def test_create_rejects_expiry_in_the_past(owner):
    with pytest.raises(ApplicationError):
        api_token_create(actor=owner, name="x", expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert not ApiToken.objects.exists()


def test_create_bound_to_own_organisation(owner, organisation):
    token, _ = api_token_create(actor=owner, name="x", organisation=organisation)
    assert token.organisation == organisation
    assert AuditEvent.objects.get(object_id=token.public_id).organisation == organisation


def test_create_cannot_bind_to_someone_elses_organisation(owner, other_organisation):
    with pytest.raises(NotFound):
        api_token_create(actor=owner, name="x", organisation=other_organisation)
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.exists()


def test_authenticate_accepts_the_secret_and_records_use(owner):
    token, secret = api_token_create(actor=owner, name="x")
    assert api_token_authenticate(raw=secret) == token
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("mangle", [
    lambda s: s[:-1] + ("A" if s[-1] != "A" else "B"),  # right prefix, wrong secret
    lambda s: s[:-1],  # too short
    lambda s: s + "x",  # too long
    lambda s: "xyz_" + s[4:],  # not our prefix
    lambda s: "",
])
def test_authenticate_refuses_wrong_secrets(owner, mangle):
    token, secret = api_token_create(actor=owner, name="x")
    assert api_token_authenticate(raw=mangle(secret)) is None
    token.refresh_from_db()
    assert token.last_used_at is None


def test_authenticate_refuses_revoked_expired_and_inactive(owner, make_user):
    revoked, revoked_secret = api_token_create(actor=owner, name="revoked")
    api_token_revoke(actor=owner, token=revoked)
    expired, expired_secret = api_token_create(
        actor=owner, name="expired", expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    inactive_user = make_user("gone@tilts.example")
    inactive, inactive_secret = api_token_create(actor=inactive_user, name="inactive")
    inactive_user.is_active = False
    inactive_user.save()
    for secret in (revoked_secret, expired_secret, inactive_secret):
        assert api_token_authenticate(raw=secret) is None
    assert not ApiToken.objects.filter(last_used_at__isnull=False).exists()


def test_revoke_sets_time_and_audits_once(owner):
    token, _ = api_token_create(actor=owner, name="x")
    api_token_revoke(actor=owner, token=token)
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    assert first is not None
    api_token_revoke(actor=owner, token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first
    assert AuditEvent.objects.filter(object_id=token.public_id, action="revoke").count() == 1


def test_revoke_of_another_users_token_is_refused(owner, editor):
    token, secret = api_token_create(actor=owner, name="x")
    with pytest.raises(NotFound):
        api_token_revoke(actor=editor, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert api_token_authenticate(raw=secret) == token
    assert not AuditEvent.objects.filter(action="revoke").exists()


def test_selectors_show_only_own_tokens(owner, editor):
    mine, _ = api_token_create(actor=owner, name="mine")
    theirs, _ = api_token_create(actor=editor, name="theirs")
    assert list(api_token_list(actor=owner)) == [mine]
    assert api_token_get(actor=owner, public_id=mine.public_id) == mine
    with pytest.raises(NotFound):
        api_token_get(actor=owner, public_id=theirs.public_id)


def test_usable_only_leaves_out_revoked_and_expired(owner):
    usable, _ = api_token_create(actor=owner, name="usable")
    revoked, _ = api_token_create(actor=owner, name="revoked")
    api_token_revoke(actor=owner, token=revoked)
    expired, _ = api_token_create(actor=owner, name="expired", expires_at=timezone.now() + datetime.timedelta(days=1))
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert list(api_token_list(actor=owner, usable_only=True)) == [usable]
    assert api_token_list(actor=owner).count() == 3


def test_create_needs_a_signed_in_person(db):
    from django.contrib.auth.models import AnonymousUser

    from agnitio.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        api_token_create(actor=AnonymousUser(), name="x")
    assert not ApiToken.objects.exists()
