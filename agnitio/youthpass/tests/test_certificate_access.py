"""Issued documents follow project access (issue 8, point 4).

An organisation member who cannot open a project neither sees its certificates in the issued list nor downloads
their PDF, credential JSON or EDC — the same 404 as for a stranger. Editor A (of project A) against editor B.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from agnitio.credentials import selectors
from agnitio.credentials.models import IssuedCredential
from agnitio.credentials.services import credential_issue
from agnitio.organisations.models import Membership
from agnitio.youthpass import services
from agnitio.youthpass.models import ProjectEditor
from agnitio.youthpass.selectors import project_ids_visible_to
from agnitio.youthpass.services import certificates
from agnitio.youthpass.tests.test_certificates import ready, signatories

# the Youthpass fixtures this module uses
__all__ = ["ready", "signatories"]

pytestmark = pytest.mark.django_db


def _editor_of(make_user, organisation, project, email):
    user = make_user(email)
    Membership.objects.create(organisation=organisation, user=user, role=Membership.Role.EDITOR)
    ProjectEditor.objects.create(organisation=organisation, project=project, email=email, full_name=email,
                                 user=user, status=ProjectEditor.Status.ACTIVE, accepted_at=timezone.now())
    return user


@pytest.fixture
def world(owner, organisation, ready, make_user):
    """Project A with an issued certificate (PDF), project B with its own document, one without a project."""
    project_a = ready.project
    certificate_a = certificates.certificate_issue(actor=owner, participant=ready)
    project_b = services.project_create(
        actor=owner, organisation=organisation, grant_number="2022-1-LV01-KA153-YOU-000000002",
        programme="erasmus_youth", project_type="youth_workers_mobility",
        start_date=datetime.date(2026, 7, 1), end_date=datetime.date(2026, 7, 20))
    achievement = {"name": "Youthpass — B", "description": "Took part in project B."}
    certificate_b = credential_issue(actor=owner, organisation=organisation, kind="youthpass",
                                     holder_name="Bruno B", holder_email="bruno@example.org", achievement=achievement,
                                     languages=["en"], issued_on=datetime.date(2026, 7, 20), place="Rīga",
                                     source=project_b)
    organisation_wide = credential_issue(actor=owner, organisation=organisation, kind="microcredential",
                                         holder_name="Olga O", holder_email="olga@example.org",
                                         achievement={"name": "Facilitation"}, languages=["en"],
                                         issued_on=datetime.date(2026, 7, 20), place="Rīga")
    return {
        "a": certificate_a, "b": certificate_b, "org": organisation_wide, "project_a": project_a,
        "project_b": project_b,
        "editor_a": _editor_of(make_user, organisation, project_a, "editor-a@tilts.example"),
        "editor_b": _editor_of(make_user, organisation, project_b, "editor-b@tilts.example"),
    }


def test_a_certificate_records_its_project(world):
    assert world["a"].source == world["project_a"] and world["b"].source == world["project_b"]
    assert world["org"].source is None


def test_project_ids_visible_to_is_the_project_access(world, organisation, owner, editor):
    assert set(project_ids_visible_to(actor=world["editor_a"], organisation=organisation).values_list(
        "pk", flat=True)) == {world["project_a"].pk}
    assert set(project_ids_visible_to(actor=owner, organisation=organisation).values_list("pk", flat=True)) == {
        world["project_a"].pk, world["project_b"].pk}
    assert not project_ids_visible_to(actor=editor, organisation=organisation).exists()


def test_issued_list_shows_only_certificates_of_projects_the_member_may_open(world, organisation, owner, editor,
                                                                              client):
    def listed(user):
        return set(selectors.issued_credential_list(actor=user, organisation=organisation))

    assert listed(owner) == {world["a"], world["b"], world["org"]}
    assert listed(world["editor_a"]) == {world["a"], world["org"]}
    assert listed(world["editor_b"]) == {world["b"], world["org"]}
    assert listed(editor) == {world["org"]}  # a member of no project: only what belongs to no project
    client.force_login(world["editor_b"])
    page = client.get(f"/credentials/organisation/{organisation.public_id}/").content.decode()
    assert world["b"].number in page and world["org"].number in page
    assert world["a"].number not in page and world["a"].holder_name not in page


@pytest.mark.parametrize("document", ["document.pdf", "credential.json", "edc.jsonld"])
def test_a_member_without_the_project_gets_404_for_its_documents(world, client, editor, outsider, document):
    url = f"/credentials/{world['a'].public_id}/{document}"
    for stranger in (world["editor_b"], editor, outsider):
        client.force_login(stranger)
        assert client.get(url).status_code == 404, stranger
    client.force_login(world["editor_a"])
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert (body.startswith(b"%PDF") if document.endswith(".pdf") else world["a"].number.encode() in body)


def test_removing_the_editor_from_the_project_removes_the_documents(world, client, owner):
    editor = ProjectEditor.objects.get(user=world["editor_a"])
    services.project_editor_revoke(actor=owner, editor=editor)
    client.force_login(world["editor_a"])
    assert client.get(f"/credentials/{world['a'].public_id}/document.pdf").status_code == 404
    listed = selectors.issued_credential_list(actor=world["editor_a"], organisation=world["a"].organisation)
    assert world["a"] not in listed


def test_the_holder_still_gets_their_own_certificate(world, client, learner):
    client.force_login(learner)
    assert client.get(f"/credentials/{world['a'].public_id}/document.pdf").status_code == 200
    assert client.get(f"/wallet/{world['a'].public_id}/document.pdf").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_existing_certificates_are_linked_by_the_data_migration(world, owner, ready):
    """The backfill (youthpass 0006) finds a certificate's project through the participant, and the chain of
    certificates it replaced. Run with the models of its time (certificate batches were still a youthpass model)."""
    import importlib

    from agnitio.credentials.tests.migrating import before_migration

    second = certificates.certificate_issue(actor=owner, participant=ready, replace=world["a"].public_id)
    IssuedCredential.objects.filter(pk__in=[world["a"].pk, second.pk]).update(source_type=None, source_id=None)
    migration = importlib.import_module("agnitio.youthpass.migrations.0006_credential_source")
    with before_migration(("youthpass", "0006_credential_source")) as apps:  # afterwards: the latest schema
        migration.forwards(apps, None)
        for credential in (world["a"], second):  # checked here: migrating forward again would run it once more
            credential.refresh_from_db()
            # compared by key: loading the project would read columns that later migrations added
            assert (credential.source_type.model, credential.source_id) == ("project", world["project_a"].pk), \
                credential.number
