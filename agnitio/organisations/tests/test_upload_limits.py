"""Uploads on an organisation's pages (its logo when it is created or edited, its signature and stamp images) are
bounded per account and hour like every other upload (`AGNITIO_UPLOAD_RATE_LIMIT`, 60/h by default): the 61st is
refused with the styled, translated 429 page and Retry-After, before anything is read or stored. A form sent
without a file is not an upload."""

from django.urls import reverse

from agnitio.core.testing import spend_upload_budget
from agnitio.organisations.models import Organisation, SignatureImage

from .conftest import image_bytes, upload
from .test_views import FORM


def _signature(client, organisation):
    return client.post(reverse("organisations:signature_upload", args=[organisation.public_id]), {
        "kind": "stamp", "label": "Round stamp", "image": upload("stamp.png", image_bytes(300, 150), "image/png")})


def test_the_61st_signature_image_in_an_hour_is_refused_and_not_stored(client_for, admin, owner, organisation):
    client = client_for(admin)
    spend_upload_budget(admin, group="organisations.signature", uses=59)
    assert _signature(client, organisation).status_code == 302  # the 60th
    response = _signature(client, organisation)
    assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 3600
    assert "uploaded too many files" in response.content.decode()
    assert SignatureImage.objects.filter(organisation=organisation).count() == 1
    # another member has a budget of their own
    assert _signature(client_for(owner), organisation).status_code == 302


def test_the_refusal_is_in_the_readers_language(client_for, admin, organisation):
    client = client_for(admin)
    spend_upload_budget(admin, group="organisations.signature", uses=60)
    response = client.post(reverse("organisations:signature_upload", args=[organisation.public_id]), {
        "kind": "stamp", "label": "Zīmogs", "image": upload("stamp.png", image_bytes(300, 150), "image/png")},
        HTTP_ACCEPT_LANGUAGE="lv")
    assert response.status_code == 429
    assert "Jūs īsā laikā augšupielādējāt pārāk daudz failu." in response.content.decode()


def test_another_organisations_page_is_not_found_before_any_budget(client_for, admin, other_organisation):
    spend_upload_budget(admin, group="organisations.signature", uses=60)
    assert _signature(client_for(admin), other_organisation).status_code == 404


def test_logos_share_one_budget_when_creating_and_editing(client_for, make_user, owner, organisation):
    client = client_for(owner)
    spend_upload_budget(owner, group="organisations.logo", uses=58)
    response = client.post(reverse("organisations:create"), {**FORM, "logo": upload("l.png", image_bytes())})
    assert response.status_code == 302  # the 59th
    created = Organisation.objects.get(legal_name=FORM["legal_name"])
    edit = reverse("organisations:edit", args=[organisation.public_id])
    data = {**FORM, "legal_name": organisation.legal_name, "identifier": organisation.identifier or ""}
    assert client.post(edit, {**data, "logo": upload("l.png", image_bytes())}).status_code == 302  # the 60th
    organisation.refresh_from_db()
    logo = organisation.logo.name
    response = client.post(edit, {**data, "short_name": "Other", "logo": upload("l.png", image_bytes())})
    assert response.status_code == 429 and "uploaded too many files" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.logo.name == logo and organisation.short_name != "Other"
    response = client.post(reverse("organisations:create"), {**FORM, "legal_name": "Another",
                                                             "logo": upload("l.png", image_bytes())})
    assert response.status_code == 429 and not Organisation.objects.filter(legal_name="Another").exists()
    # the same forms without a file are not uploads
    assert client.post(edit, {**data, "short_name": "Other"}).status_code == 302
    assert client.post(reverse("organisations:create"), {**FORM, "legal_name": "Another"}).status_code == 302
    assert created.logo
