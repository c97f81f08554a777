import pytest
from django.urls import reverse

from agnitio.accounts.models import User


@pytest.fixture
def superuser_client(client, db):
    user = User.objects.create_superuser(email="root@example.org", password="root-passphrase-1")
    client.force_login(user)
    return client


def test_user_admin_lists_and_searches(superuser_client, make_user):
    make_user("anna@example.org", full_name="Anna Liepa", language="lv")
    response = superuser_client.get(reverse("admin:accounts_user_changelist"), {"q": "Liepa"})
    assert response.status_code == 200
    assert "anna@example.org" in response.content.decode()


def test_user_admin_creates_a_user_by_email(superuser_client):
    response = superuser_client.post(reverse("admin:accounts_user_add"), {
        "email": "new@example.org", "usable_password": "true",
        "password1": "a-long-passphrase-42", "password2": "a-long-passphrase-42",
    })
    assert response.status_code == 302
    assert User.objects.get(email="new@example.org").check_password("a-long-passphrase-42")


def test_user_admin_change_page(superuser_client, make_user):
    user = make_user("anna@example.org")
    response = superuser_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert response.status_code == 200
    assert user.public_id in response.content.decode()


def test_user_admin_is_closed_to_normal_users(client, make_user):
    user = make_user("anna@example.org")
    client.force_login(user)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
