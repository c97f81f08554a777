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


def test_organisation_get_answers_from_the_requests_own_membership_only(owner, outsider, organisation,
                                                                       other_organisation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    own = Membership.objects.select_related("organisation").get(user=owner, organisation=organisation)
    with CaptureQueriesContext(connection) as captured:
        assert selectors.organisation_get(actor=owner, public_id=organisation.public_id, membership=own) == organisation
    assert len(captured.captured_queries) == 0
    # someone else's membership, or one in another organisation, proves nothing: the database answers
    theirs = Membership.objects.select_related("organisation").get(user=outsider)
    with pytest.raises(NotFound):
        selectors.organisation_get(actor=owner, public_id=other_organisation.public_id, membership=theirs)
    with pytest.raises(NotFound):
        selectors.organisation_get(actor=owner, public_id=other_organisation.public_id, membership=own)
    own.delete()  # revoked since: an earlier read of the membership is not given again by the middleware
    with pytest.raises(NotFound):
        selectors.organisation_get(actor=owner, public_id=organisation.public_id)


def test_audit_people_names_members_by_account_and_outsiders_by_the_organisations_label_in_one_query(
        admin, owner, outsider, organisation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from agnitio.core.models import AuditEvent

    for label in ("first label", "newest label"):
        AuditEvent.objects.create(organisation=organisation, actor=outsider, actor_label=label, action="update",
                                  object_type="t", object_id="1")
    AuditEvent.objects.create(organisation=organisation, actor=admin, actor_label="x", action="update",
                              object_type="t", object_id="1")
    with CaptureQueriesContext(connection) as captured:
        people = selectors.audit_people(actor=owner, organisation=organisation)
    assert len(captured.captured_queries) == 2  # the actor's role, then everyone
    assert dict(people) == {outsider.public_id: "newest label",
                            admin.public_id: admin.full_name and f"{admin.full_name} <{admin.email}>" or admin.email}
