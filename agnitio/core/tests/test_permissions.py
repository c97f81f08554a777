"""Issue 10, point 4: one permission model — named permissions from the rules registry, asked through
`agnitio.core.permissions`, with the organisation scope of a bound API token honoured by every rule."""

import re
from pathlib import Path

import pytest
import rules
from django.core.exceptions import ImproperlyConfigured

from agnitio.core.errors import NotFound, PermissionDenied
from agnitio.core.permissions import allowed, require
from agnitio.organisations.access import ADMIN_ROLES, organisation_scope, organisation_scope_set

ROOT = Path(__file__).resolve().parents[3]


def test_every_permission_is_named_app_verb_thing():
    names = sorted(rules.permissions.permissions)
    assert "organisations.change_organisation" in names and "notifications.retry_email" in names
    bad = [n for n in names if not re.fullmatch(r"[a-z]+\.[a-z]+_[a-z_]+", n)]
    assert not bad


def test_an_unknown_permission_is_a_programming_error(owner, organisation):
    with pytest.raises(ImproperlyConfigured, match="organisations.chnage_organisation"):
        allowed(owner, "organisations.chnage_organisation", organisation)


def test_require_hides_the_object_from_strangers_and_tells_members(owner, editor, organisation, make_user):
    require(owner, "organisations.change_organisation", organisation)
    stranger = make_user("stranger@example.org")
    with pytest.raises(NotFound):
        require(stranger, "organisations.change_organisation", organisation, visible="organisations.view_organisation")
    with pytest.raises(PermissionDenied, match="admins only"):
        require(editor, "organisations.change_organisation", organisation, visible="organisations.view_organisation",
                message="admins only")
    with pytest.raises(NotFound):
        require(editor, "organisations.change_organisation", organisation)
    with pytest.raises(PermissionDenied):
        require(editor, "organisations.change_organisation", organisation, hide=False)


def test_a_superuser_has_no_organisation_rights_through_the_model(organisation, make_user):
    """Django's user.has_perm says yes to every permission for an active superuser; the model asks the rules."""
    staff = make_user("staff@example.org", is_staff=True, is_superuser=True)
    assert staff.has_perm("organisations.change_organisation", organisation)
    assert not allowed(staff, "organisations.change_organisation", organisation)


def test_the_scope_limits_every_rule_to_one_organisation(owner, organisation, other_organisation):
    from agnitio.organisations.models import Membership

    Membership.objects.create(organisation=other_organisation, user=owner, role="owner")
    try:
        organisation_scope_set(other_organisation.pk)
        assert not allowed(owner, "organisations.view_organisation", organisation)
        assert allowed(owner, "organisations.change_organisation", other_organisation)
    finally:
        organisation_scope_set(None)
    assert organisation_scope() is None
    assert allowed(owner, "organisations.change_organisation", organisation)


def test_admin_roles_are_defined_once():
    assert set(ADMIN_ROLES) == {"owner", "admin"}
    sources = list((ROOT / "agnitio").rglob("*.py"))
    assert len(sources) > 100
    definitions = [str(p.relative_to(ROOT)) for p in sources
                   if "/tests/" not in str(p) and re.search(r"^\s*ADMIN_ROLES\s*=\s*\(", p.read_text(), re.M)]
    assert definitions == ["agnitio/organisations/models.py"]


def test_only_rules_modules_call_the_predicates():
    """Everything else asks a named permission (core.permissions / rules' registry)."""
    predicates = r"\b(is_org_admin|is_org_member|is_org_owner|is_project_admin|is_project_editor|may_start_project|" \
                 r"is_own_participant_record|can_edit_project|can_issue|can_revoke|can_rotate_keys|can_view_issued)\("
    callers = sorted({str(p.relative_to(ROOT)) for p in (ROOT / "agnitio").rglob("*.py")
                      if p.name != "rules.py" and "/tests/" not in str(p) and re.search(predicates, p.read_text())})
    assert callers == []
