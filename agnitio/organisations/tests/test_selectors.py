import pytest

from agnitio.core.errors import NotFound
from agnitio.invitations.selectors import invitations_for
from agnitio.organisations import selectors, services
from agnitio.organisations.models import Membership


def test_organisation_list_and_get_only_own(owner, outsider, organisation, other_organisation):
    assert list(selectors.organisation_list(actor=owner)) == [organisation]
    assert selectors.organisation_get(actor=owner, public_id=organisation.public_id) == organisation
    with pytest.raises(NotFound):
        selectors.organisation_get(actor=owner, public_id=other_organisation.public_id)
    with pytest.raises(NotFound):
        selectors.organisation_get(actor=owner, public_id="does-not-exist")


def test_organisation_get_for_admin(admin, editor, organisation):
    assert selectors.organisation_get_for_admin(actor=admin, public_id=organisation.public_id) == organisation
    with pytest.raises(NotFound):
        selectors.organisation_get_for_admin(actor=editor, public_id=organisation.public_id)


def test_membership_get(editor, outsider, organisation):
    assert selectors.membership_get(actor=editor, organisation=organisation).role == "editor"
    with pytest.raises(NotFound):
        selectors.membership_get(actor=outsider, organisation=organisation)


def test_membership_list_members_only(owner, editor, outsider, organisation):
    assert {m.user for m in selectors.membership_list(actor=editor, organisation=organisation)} == {owner, editor}
    assert list(selectors.membership_list(actor=outsider, organisation=organisation)) == []


def test_invitations_visible_to_admins_only(admin, editor, organisation):
    services.membership_invite(actor=admin, organisation=organisation, email="x@example.org", full_name="X",
                               role="editor", language="en")
    assert invitations_for(actor=admin, target=organisation).count() == 1
    assert invitations_for(actor=editor, target=organisation).count() == 0


def test_audit_list_for_admins_of_that_organisation(admin, editor, outsider, organisation, other_organisation):
    services.signatory_create(actor=admin, organisation=organisation, full_name="A", position="P", pages=[])
    services.signatory_create(actor=outsider, organisation=other_organisation, full_name="B", position="P", pages=[])
    events = selectors.audit_event_list(actor=admin, organisation=organisation)
    assert [e.object_repr for e in events] == ["A, P"]
    assert selectors.audit_event_list(actor=editor, organisation=organisation).count() == 0
    assert selectors.audit_event_list(actor=outsider, organisation=organisation).count() == 0
    assert selectors.audit_people(actor=admin, organisation=organisation) == [(admin.public_id, admin.email)]
    assert selectors.audit_object_types(actor=admin, organisation=organisation) == ["organisations.Signatory"]


def test_memberships_for_user_ordered_by_name(owner, organisation, other_organisation):
    Membership.objects.create(organisation=other_organisation, user=owner, role="editor")
    names = [m.organisation.legal_name for m in selectors.membership_list_for_user(user=owner)]
    assert names == sorted(names)
