"""The pages of issue 12, points 7-10, without JavaScript: choose → preview → confirm; access pages; the host's
and the participant's pages; denials answer 404 and change nothing."""

import datetime

import pytest
from django.utils import timezone

from agnitio.europass import services
from agnitio.europass.models import DocumentAccess, MobilityDocument
from agnitio.europass.services import access
from agnitio.invitations.services import invitation_accept, invitation_send

HOST = "ana@escola.example"
HOST_DATA = {"host_name": "Escola", "host_type": "school", "host_country": "PT", "mentor_name": "Ana Silva",
             "mentor_position": "Teacher", "mentor_phone": "+351 212 345 678", "mentor_email": HOST}


@pytest.fixture
def pair(sender, approved):
    first, second = approved.documents.order_by("position")
    services.document_section_update(actor=sender, document=first, section="host", data=HOST_DATA)
    first.refresh_from_db()
    return first, second


def test_copy_without_javascript_choose_preview_confirm(client, sender, pair):
    first, second = pair
    client.force_login(sender)
    url = f"/europass/documents/{first.public_id}/copy/host/"
    page = client.get(url)
    assert page.status_code == 200 and b"<mark>" in page.content
    body = {"fields": ["host_name", "mentor_name"], "targets": [second.public_id], "action": "preview"}
    preview = client.post(url, body)
    assert preview.status_code == 200 and "Ana Silva" in preview.content.decode()
    assert MobilityDocument.objects.get(pk=second.pk).host_name == ""
    version = preview.context["previews"][0].version
    done = client.post(url, {**body, "action": "apply", f"version-{second.public_id}": version})
    assert done.status_code == 302
    second.refresh_from_db()
    assert (second.host_name, second.mentor_name) == ("Escola", "Ana Silva")


def test_copy_conflict_is_reported_on_the_page(client, sender, pair):
    first, second = pair
    client.force_login(sender)
    url = f"/europass/documents/{first.public_id}/copy/host/"
    body = {"fields": ["host_name"], "targets": [second.public_id], "action": "apply",
            f"version-{second.public_id}": "old"}
    answer = client.post(url, body)
    assert answer.status_code == 200 and answer.context["previews"]
    assert MobilityDocument.objects.get(pk=second.pk).host_name == ""


def test_host_pages_and_denials(client, sender, pair, make_user, outsider):
    first, second = pair
    client.force_login(sender)
    assert client.post(f"/europass/documents/{first.public_id}/access/",
                       {"action": "host", "language": "en"}).status_code == 302
    grant = DocumentAccess.objects.get(document=first, role="host")
    host = make_user(HOST)
    _inv, token = invitation_send(actor=sender, kind=access.HOST_KIND, organisation=first.institution.organisation,
                                  target=grant, email=HOST, full_name="Ana", language="en")
    invitation_accept(user=host, token=token)
    client.force_login(host)
    assert first.public_id in client.get("/europass/shared/").content.decode()
    assert client.get(f"/europass/shared/{first.public_id}/").status_code == 200
    assert client.get(f"/europass/shared/{second.public_id}/").status_code == 404
    assert client.get(f"/europass/documents/{first.public_id}/").status_code == 404
    assert client.post(f"/europass/shared/{first.public_id}/mentoring/",
                       {"mentoring": "Weekly meetings."}).status_code == 302
    before = MobilityDocument.objects.values().get(pk=first.pk)
    assert client.post(f"/europass/shared/{first.public_id}/personal/", {"first_name": "X"}).status_code == 404
    assert client.post(f"/europass/documents/{first.public_id}/access/{grant.public_id}/block/").status_code == 404
    assert MobilityDocument.objects.values().get(pk=first.pk) == before
    assert DocumentAccess.objects.get(pk=grant.pk).blocked_at is None
    assert client.get("/europass/shared/signatures/").status_code == 200
    client.force_login(outsider)
    assert client.get("/europass/shared/signatures/").status_code == 404
    assert client.get(f"/europass/shared/{first.public_id}/").status_code == 404


def test_group_access_page(client, sender, approved, pair):
    first, _ = pair
    services.document_section_update(actor=sender, document=first, section="personal",
                                     data={"email": "anna@skola.example"})
    client.force_login(sender)
    until = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    answer = client.post(f"/europass/applications/{approved.public_id}/access/",
                         {"write_until": until, "language": "lv"})
    assert answer.status_code == 302
    assert DocumentAccess.objects.filter(role="participant").count() == 1


def test_participant_pages_own_sections_only_and_read_only_after_the_date(client, sender, pair, make_user):
    first, second = pair
    services.document_section_update(actor=sender, document=first, section="personal",
                                     data={"email": "anna@skola.example"})
    grant = access.participant_access_grant(actor=sender, documents=[first],
                                            write_until=timezone.localdate())[0]
    participant = make_user("anna@skola.example")
    access.document_access_accept(grant_id=grant.pk, user=participant)
    client.force_login(participant)
    page = client.get(f"/europass/shared/{first.public_id}/personal/")
    assert page.status_code == 200 and 'id="id_language"' not in page.content.decode()
    assert client.post(f"/europass/shared/{first.public_id}/personal/",
                       {"first_name": "Anna", "last_name": "Bērziņa", "email": "anna@skola.example"}
                       ).status_code == 302
    assert MobilityDocument.objects.get(pk=first.pk).last_name == "Bērziņa"
    for url in (f"/europass/shared/{first.public_id}/host/", f"/europass/shared/{first.public_id}/signature/",
                f"/europass/shared/{second.public_id}/", f"/europass/documents/{first.public_id}/"):
        assert client.get(url).status_code == 404, url
    DocumentAccess.objects.filter(pk=grant.pk).update(write_until=timezone.localdate() - datetime.timedelta(days=1))
    assert client.get(f"/europass/shared/{first.public_id}/").status_code == 200
    before = MobilityDocument.objects.values().get(pk=first.pk)
    assert client.post(f"/europass/shared/{first.public_id}/personal/", {"first_name": "Later"}).status_code == 404
    assert MobilityDocument.objects.values().get(pk=first.pk) == before


def test_the_hosts_outcomes_page_has_the_esco_panel_writing_into_any_outcome(client, sender, pair, make_user):
    first, _second = pair
    services.document_section_update(actor=sender, document=first, section="outcomes", data={"outcomes": [
        {"framework": "A", "text": "Communicates in Portuguese"}]})
    grant = access.host_access_send(actor=sender, document=first)
    host = make_user(HOST)
    _inv, token = invitation_send(actor=sender, kind=access.HOST_KIND, organisation=first.institution.organisation,
                                  target=grant, email=HOST, full_name="Ana", language="en")
    invitation_accept(user=host, token=token)
    client.force_login(host)
    page = client.get(f"/europass/shared/{first.public_id}/outcomes/").content.decode()
    # by default the panel inserts into the empty (last) outcome and keeps the ESCO URI in that outcome's field;
    # it offers every outcome instead ("Insert into"), each with its own URIs field
    assert 'data-esco-target="id_outcomes-1-text"' in page and 'data-esco-uris="id_outcomes-1-esco_uris"' in page
    assert 'data-esco-choices="outcomes"' in page
    assert 'data-esco-choice="outcomes" data-esco-uris="id_outcomes-0-esco_uris"' in page
    assert "This service uses the ESCO classification of the European Commission." in page
    body = {"outcomes-TOTAL_FORMS": "2", "outcomes-INITIAL_FORMS": "1", "outcomes-0-framework": "A",
            "outcomes-0-text": "Communicates in Portuguese", "outcomes-1-framework": "B",
            "outcomes-1-text": "Prepares dishes", "outcomes-1-esco_uris":
            "http://data.europa.eu/esco/skill/60c78287-22eb-4103-9c8c-28deaa460da0"}
    assert client.post(f"/europass/shared/{first.public_id}/outcomes/", body).status_code == 302
    added = first.outcomes.get(text="Prepares dishes")
    assert added.esco_uris == ["http://data.europa.eu/esco/skill/60c78287-22eb-4103-9c8c-28deaa460da0"]
