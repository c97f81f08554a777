"""Issue 12, point 7: copy data to other documents — preview, apply in one transaction audited per target, and a
target changed between preview and apply is reported, never overwritten."""

import pytest

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.models import AuditEvent
from agnitio.europass import selectors_access, services
from agnitio.europass.models import MobilityDocument
from agnitio.europass.services.copy import CopyConflict, document_copy_apply, document_copy_preview

HOST = {"host_name": "Escola Profissional de Lisboa", "host_type": "school", "host_country": "PT",
        "host_address": "Rua da Escola 1, Lisboa", "mentor_name": "Ana Silva", "mentor_position": "Teacher",
        "mentor_phone": "+351 212 345 678", "mentor_email": "ana@escola.example"}


@pytest.fixture
def three(make_application, nec_staff, sender):
    from .conftest import NOW

    application = services.application_approve(actor=nec_staff, application=make_application(participants_count=3),
                                               now=NOW)
    documents = list(application.documents.order_by("position"))
    services.document_section_update(actor=sender, document=documents[0], section="host", data=HOST)
    documents[0].refresh_from_db()
    return documents


def test_preview_shows_what_changes_and_writes_nothing(sender, three):
    source, a, b = three
    before = list(MobilityDocument.objects.order_by("pk").values())
    previews = document_copy_preview(actor=sender, source=source, section="host",
                                     fields=["host_name", "host_country"], targets=[a, b])
    assert [p.document for p in previews] == [a, b]
    assert [(c.name, c.old, c.new) for c in previews[0].changes] == [
        ("host_name", "", "Escola Profissional de Lisboa"), ("host_country", "", "Portugal")]
    assert list(MobilityDocument.objects.order_by("pk").values()) == before


def test_apply_copies_the_chosen_fields_to_the_chosen_documents_audited_per_target(sender, three):
    source, a, b = three
    previews = document_copy_preview(actor=sender, source=source, section="host",
                                     fields=["host_name", "mentor_email"], targets=[a])
    document_copy_apply(actor=sender, source=source, section="host", fields=["host_name", "mentor_email"],
                        targets=[a], versions={p.document.public_id: p.version for p in previews})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.host_name, a.mentor_email, a.mentor_name) == ("Escola Profissional de Lisboa", "ana@escola.example", "")
    assert b.host_name == ""
    event = AuditEvent.objects.get(verb="data copied from another document", object_id=a.public_id)
    assert event.changes["copied_from"] == [None, source.public_id]
    assert not AuditEvent.objects.filter(verb="data copied from another document", object_id=b.public_id).exists()


def test_learning_outcomes_are_copied(sender, three):
    source, a, _b = three
    services.document_section_update(actor=sender, document=source, section="outcomes", data={"outcomes": [
        {"framework": "B", "text": "Prepares food", "esco_uris": ["http://data.europa.eu/esco/skill/abc"]}]})
    previews = document_copy_preview(actor=sender, source=source, section="outcomes", fields=["outcomes"],
                                     targets=[a])
    assert previews[0].changes[0].new == "Prepares food"
    document_copy_apply(actor=sender, source=source, section="outcomes", fields=["outcomes"], targets=[a],
                        versions={a.public_id: previews[0].version})
    assert [(o.text, o.esco_uris) for o in a.outcomes.all()] == [
        ("Prepares food", ["http://data.europa.eu/esco/skill/abc"])]


def test_a_target_changed_after_the_preview_is_reported_and_nothing_is_copied(sender, three):
    source, a, b = three
    previews = document_copy_preview(actor=sender, source=source, section="host", fields=["host_name"],
                                     targets=[a, b])
    services.document_section_update(actor=sender, document=b, section="host", data={"host_name": "Theirs"})
    before = list(MobilityDocument.objects.order_by("pk").values())
    with pytest.raises(CopyConflict) as caught:
        document_copy_apply(actor=sender, source=source, section="host", fields=["host_name"], targets=[a, b],
                            versions={p.document.public_id: p.version for p in previews})
    assert [t.pk for t in caught.value.targets] == [b.pk]
    assert list(MobilityDocument.objects.order_by("pk").values()) == before


def test_only_own_documents_of_the_same_application_receive_data(sender, three, make_application, nec_staff,
                                                                  outsider):
    from .conftest import NOW

    source, a, _b = three
    elsewhere = services.application_approve(actor=nec_staff, application=make_application(), now=NOW)
    foreign = elsewhere.documents.first()
    assert foreign not in selectors_access.copy_targets(actor=sender, source=source)
    before = list(MobilityDocument.objects.order_by("pk").values())
    with pytest.raises(NotFound):
        document_copy_apply(actor=sender, source=source, section="host", fields=["host_name"], targets=[foreign],
                            versions={})
    with pytest.raises(NotFound):
        document_copy_apply(actor=outsider, source=source, section="host", fields=["host_name"], targets=[a],
                            versions={})
    with pytest.raises(NotFound):  # only the host, project and outcomes sections are copied
        document_copy_preview(actor=sender, source=source, section="personal", fields=["first_name"], targets=[a])
    with pytest.raises(ApplicationError):  # a field of another section
        document_copy_preview(actor=sender, source=source, section="host", fields=["first_name"], targets=[a])
    assert list(MobilityDocument.objects.order_by("pk").values()) == before
