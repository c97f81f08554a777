"""The home page's next steps (organisations.templatetags.organisations.organisation_dashboard): each step shows
exactly while its condition holds, read in one query, and only for admins."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agnitio.organisations.models import Membership, Signatory, SignatureImage

STEPS = {
    "logo": "Add your organisation's logo",
    "signatory": "Add the people who sign documents",
    "signature": "Store a signature and make it the default",
    "stamp": "Store a stamp, if your organisation uses one",
    "invite": "Invite colleagues",
}


def _shown(client) -> set[str]:
    page = client.get("/").content.decode()
    return {name for name, text in STEPS.items() if text in page}


def _image(organisation, kind, **flags):
    return SignatureImage.objects.create(organisation=organisation, kind=kind, label=kind, original="x.png", **flags)


@pytest.mark.django_db
def test_each_step_follows_its_condition(client_for, owner, organisation, make_user):
    client = client_for(owner)
    assert _shown(client) == set(STEPS)
    Signatory.objects.create(organisation=organisation, full_name="A", position="B", is_active=False)
    _image(organisation, "signature", is_active=True, is_default=False)
    _image(organisation, "stamp", is_active=False, is_default=True)
    assert _shown(client) == set(STEPS)  # inactive or not default: still to do
    Signatory.objects.create(organisation=organisation, full_name="C", position="D", is_active=True)
    assert _shown(client) == set(STEPS) - {"signatory"}
    _image(organisation, "signature", is_active=True, is_default=True)
    assert _shown(client) == set(STEPS) - {"signatory", "signature"}
    SignatureImage.objects.filter(organisation=organisation, kind="stamp").update(is_active=True)
    assert _shown(client) == {"logo", "invite"}
    Membership.objects.create(organisation=organisation, user=make_user("second@example.org"), role="editor")
    assert _shown(client) == {"logo"}


@pytest.mark.django_db
def test_the_numbers_cost_one_query_and_none_for_non_admins(client_for, owner, editor, organisation):
    with CaptureQueriesContext(connection) as as_owner:
        client_for(owner).get("/")
    with CaptureQueriesContext(connection) as as_editor:
        page = client_for(editor).get("/").content.decode()
    counting = [query["sql"] for query in as_owner.captured_queries if "COUNT(*)" in query["sql"]]
    assert len(counting) == 1
    assert not any("COUNT(*)" in query["sql"] for query in as_editor.captured_queries)
    assert not _shown_in(page) and "See the organisation's data" in page


def _shown_in(page: str) -> set[str]:
    return {name for name, text in STEPS.items() if text in page}
