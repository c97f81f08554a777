import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # allauth's rate limits
    yield
    cache.clear()


@pytest.fixture
def snapshot(db):
    """Everything a refused request must leave untouched."""
    from agnitio.core.models import AuditEvent
    from agnitio.invitations.models import Invitation
    from agnitio.notifications.models import OutboxEmail
    from agnitio.organisations.models import Membership

    def take():
        return {
            "invitations": list(Invitation.objects.order_by("pk").values()),
            "memberships": list(Membership.objects.order_by("pk").values("pk", "organisation_id", "user_id", "role")),
            "audit": AuditEvent.objects.count(),
            "outbox": OutboxEmail.objects.count(),
        }

    return take


@pytest.fixture
def invite(admin, organisation):
    from agnitio.invitations import services

    def _invite(email="invitee@example.org", *, role="editor", language="en", actor=None, **extra):
        return services.invitation_send(
            actor=actor or admin, kind="organisation_member", organisation=organisation, target=organisation,
            email=email, full_name="Ilze Ozola", language=language, payload={"role": role}, **extra)

    return _invite
