"""Recognition requests are bounded per account: a rate per hour (page and API share one budget per account; the
page answers with the styled 429 page, the API with 429 JSON, both with Retry-After) and a cap on the requests a
learner has open (not yet decided) at one provider. Refused submissions store nothing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agnitio.apikeys.services import api_token_create
from agnitio.core.errors import ApplicationError
from agnitio.microcredentials.models import ProviderProfile, RecognitionRequest
from agnitio.microcredentials.services import recognition as services

API = "/api/v1/microcredentials"


@pytest.fixture
def second_receiver(db):
    from agnitio.organisations.models import Organisation

    organisation = Organisation.objects.create(legal_name="Trešā augstskola", country="LV", address="Rīga",
                                               email="info@tresa.example")
    ProviderProfile.objects.create(organisation=organisation, recognition_policy="We recognise EQF 5+.")
    return organisation


def _raw(award) -> bytes:
    return json.dumps(award.credential.credential).encode()


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=user, name='t')[1]}"}


def _page_post(client, provider, raw):
    return client.post(reverse("microcredentials:recognition_submit"),
                       {"provider": provider.public_id, "note": "", "file": SimpleUploadedFile("c.json", raw)})


def _api_post(client, provider, raw, auth):
    return client.post(f"{API}/recognitions", {"provider": provider.public_id,
                                               "file": SimpleUploadedFile("c.json", raw)}, **auth)


def test_the_page_and_the_api_share_one_hourly_budget_per_account(client, settings, anna, award, receiver, make_user):
    settings.AGNITIO_RECOGNITION_RATE_LIMIT = "3/h"
    auth = _auth(anna)
    client.force_login(anna)
    assert _page_post(client, receiver, _raw(award)).status_code == 302
    assert _page_post(client, receiver, b"not a credential").status_code == 200  # refused by content: counted too
    assert _api_post(client, receiver, _raw(award), auth).status_code == 201
    stored = RecognitionRequest.objects.count()
    page = _page_post(client, receiver, _raw(award))
    assert page.status_code == 429 and 0 < int(page["Retry-After"]) <= 3600
    html = page.content.decode()
    assert "Too many requests" in html and "recognition requests" in html
    api = _api_post(client, receiver, _raw(award), auth)
    assert api.status_code == 429 and api.json()["code"] == "throttled" and 0 < int(api["Retry-After"]) <= 3600
    assert "recognition requests" in api.json()["detail"]
    assert RecognitionRequest.objects.count() == stored
    # another learner has a budget of their own
    other = make_user("other@example.org")
    client.force_login(other)
    assert _page_post(client, receiver, b"not a credential").status_code == 200


def test_the_styled_page_is_in_the_learners_language(client, settings, make_user, award, receiver):
    settings.AGNITIO_RECOGNITION_RATE_LIMIT = "1/h"
    learner = make_user("anna@example.org", language="lv")
    client.force_login(learner)
    _page_post(client, receiver, b"x")
    page = _page_post(client, receiver, b"x")
    assert page.status_code == 429 and 'lang="lv"' in page.content.decode()


def test_open_requests_per_provider_are_capped(anna, award, receiver, second_receiver, outsider, monkeypatch):
    monkeypatch.setattr(services, "OPEN_PER_PROVIDER_MAX", 2)
    for _ in range(2):
        services.recognition_submit(actor=anna, provider_public_id=receiver.public_id, raw=_raw(award))
    with pytest.raises(ApplicationError) as error:
        services.recognition_submit(actor=anna, provider_public_id=receiver.public_id, raw=_raw(award))
    assert error.value.code == "too_many_open" and "2" in str(error.value)
    assert RecognitionRequest.objects.filter(organisation=receiver).count() == 2
    # another provider: its own count
    services.recognition_submit(actor=anna, provider_public_id=second_receiver.public_id, raw=_raw(award))
    # once the provider decides one, there is room again
    first = RecognitionRequest.objects.filter(organisation=receiver).first()
    services.recognition_decide(actor=outsider, public_id=first.public_id, decision="refused", reason="EQF 3.")
    services.recognition_submit(actor=anna, provider_public_id=receiver.public_id, raw=_raw(award))
    assert RecognitionRequest.objects.filter(organisation=receiver, status="submitted").count() == 2


def test_the_cap_is_said_on_the_page_and_in_the_api(client, anna, award, receiver, monkeypatch):
    monkeypatch.setattr(services, "OPEN_PER_PROVIDER_MAX", 1)
    services.recognition_submit(actor=anna, provider_public_id=receiver.public_id, raw=_raw(award))
    client.force_login(anna)
    page = _page_post(client, receiver, _raw(award))
    assert page.status_code == 200 and "open recognition request" in page.content.decode()
    api = _api_post(client, receiver, _raw(award), _auth(anna))
    assert api.status_code == 400 and api.json()["code"] == "too_many_open"
    assert RecognitionRequest.objects.count() == 1
