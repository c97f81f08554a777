import pytest
from django.core.management import call_command

from agnitio.core.models import AuditEvent
from agnitio.core.services import audit_record, model_update


def test_healthz_reports_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert "broker" in response.json()


def test_model_update_reports_only_changed_fields(organisation):
    changes = model_update(instance=organisation, fields=["legal_name", "short_name"],
                           data={"legal_name": "Jauns nosaukums", "short_name": organisation.short_name})
    assert changes == {"legal_name": ["Biedrība Jaunatnes Tilts", "Jauns nosaukums"]}
    organisation.refresh_from_db()
    assert organisation.legal_name == "Jauns nosaukums"


def test_audit_record_stores_actor_object_and_changes(owner, organisation):
    event = audit_record(actor=owner, action="update", target=organisation, organisation=organisation,
                         changes={"legal_name": ["A", "B"]})
    assert event.actor == owner and event.actor_label == owner.email
    assert event.object_id == organisation.public_id
    assert AuditEvent.objects.get().changes == {"legal_name": ["A", "B"]}


@pytest.mark.django_db
def test_demo_data_is_idempotent():
    from agnitio.accounts.models import User
    from agnitio.organisations.models import Membership, Organisation

    call_command("demo_data")
    counts = (User.objects.count(), Organisation.objects.count(), Membership.objects.count())
    call_command("demo_data")
    assert User.objects.filter(email="demo@agnitio.example").count() == 1
    assert Membership.objects.filter(user__email="demo@agnitio.example").count() == 1
    # the second run adds nothing (apps' demos add their own organisations, e.g. the Europass NEC, only once)
    assert (User.objects.count(), Organisation.objects.count(), Membership.objects.count()) == counts


def test_audit_records_file_fields_by_name_even_when_empty(owner, organisation):
    from django.core.files.base import ContentFile

    from agnitio.organisations.models import Organisation

    empty = Organisation().logo  # an empty FieldFile: its .url raises
    organisation.logo.save("logo.png", ContentFile(b"x"), save=False)
    event = audit_record(actor=owner, action="update", target=organisation, organisation=organisation,
                         changes={"logo": [empty, organisation.logo]})
    assert event.changes["logo"][0] == ""
    assert event.changes["logo"][1].startswith("organisations/logos/logo")
