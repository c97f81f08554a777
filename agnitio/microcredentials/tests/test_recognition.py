"""Recognition of other providers' micro-credentials: what the platform can check per kind (signed credential
verified, our sealed PDF verified, an unsigned EDC file only structure and never "verified"), bounded uploads read
by content, only to providers with a recognition policy; the receiving provider decides once with a reason
(audited, e-mailed, shown); only the learner and the provider's members see a request (404, nothing changed)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agnitio.apikeys.services import api_token_create
from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.models import AuditEvent
from agnitio.microcredentials.models import ProviderProfile, RecognitionRequest
from agnitio.microcredentials.services import recognition as services

API = "/api/v1/microcredentials"


def _vc(award):
    return json.dumps(award.credential.credential).encode()


def _edc(client, owner, award):
    client.force_login(owner)
    raw = client.get(reverse("credentials:issued_edc", args=[award.credential.public_id])).content
    client.logout()
    return raw


def test_signed_credential_is_verified(anna, award, receiver):
    request = services.recognition_submit(actor=anna, provider_public_id=receiver.public_id, raw=_vc(award))
    assert request.kind == "vc" and request.verified and request.status == "submitted"
    assert request.title == "Facilitating intercultural learning"
    assert AuditEvent.objects.filter(verb="recognition requested").count() == 1


def test_tampered_credential_is_not_verified(anna, award, receiver):
    document = dict(award.credential.credential)
    document["credentialSubject"] = dict(document["credentialSubject"], name="Someone Else")
    request = services.recognition_submit(actor=anna, provider_public_id=receiver.public_id,
                                          raw=json.dumps(document).encode())
    assert request.kind == "vc" and not request.verified and any(not c["ok"] for c in request.checks)


def test_sealed_pdf_is_verified_by_seal_and_record(anna, award, receiver):
    raw = award.credential.pdf.open("rb").read()
    request = services.recognition_submit(actor=anna, provider_public_id=receiver.public_id, raw=raw)
    assert request.kind == "pdf" and request.verified and request.issuer_name == award.organisation.legal_name
    changed = raw.replace(b"%%EOF", b"%%EOF\n% changed", 1)
    request = services.recognition_submit(actor=anna, provider_public_id=receiver.public_id, raw=changed)
    assert request.kind == "pdf" and not request.verified


def test_unsigned_edc_is_checked_for_structure_and_never_verified(client, owner, anna, award, receiver):
    request = services.recognition_submit(actor=anna, provider_public_id=receiver.public_id,
                                          raw=_edc(client, owner, award))
    assert request.kind == "edc" and not request.verified
    assert request.checks[0]["ok"] and "proves nothing" in request.checks[-2]["text"]
    assert request.checks[-1] == {"ok": True, "text": "The credential names your e-mail address (a confirmed "
                                                     "address of your account)."}
    client.force_login(anna)
    page = client.get(reverse("microcredentials:recognition_detail", args=[request.public_id])).content.decode()
    assert "Not verified: an unsigned EDC file proves nothing" in page and "Verified by this platform" not in page


@pytest.mark.parametrize("raw, code", [(b"", "empty"), (b"x" * (services.UPLOAD_MAX_BYTES + 1), "too_large"),
                                       (b"hello", "format"), (b"[1, 2]", "format"),
                                       (b'{"@context": "x", "type": "Thing"}', "format")])
def test_uploads_are_bounded_and_read_by_content(anna, receiver, raw, code):
    with pytest.raises(ApplicationError) as error:
        services.recognition_submit(actor=anna, provider_public_id=receiver.public_id, raw=raw)
    assert error.value.code == code and not RecognitionRequest.objects.exists()


def test_only_providers_with_a_policy_and_not_the_issuer_itself(anna, award, receiver, organisation):
    ProviderProfile.objects.create(organisation=organisation, recognition_policy="Ours")
    with pytest.raises(ApplicationError) as error:  # issued by the receiving provider itself
        services.recognition_submit(actor=anna, provider_public_id=organisation.public_id, raw=_vc(award))
    assert error.value.code == "own"
    receiver.microcredential_profile.recognition_policy = ""
    receiver.microcredential_profile.save()
    with pytest.raises(NotFound):
        services.recognition_submit(actor=anna, provider_public_id=receiver.public_id, raw=_vc(award))
    assert not RecognitionRequest.objects.exists()


def test_provider_decides_once_with_a_reason_and_the_learner_is_told(anna, outsider, award, receiver,
                                                                     django_capture_on_commit_callbacks):
    from agnitio.notifications.models import OutboxEmail

    request = services.recognition_submit(actor=anna, provider_public_id=receiver.public_id, raw=_vc(award))
    with pytest.raises(ApplicationError):
        services.recognition_decide(actor=outsider, public_id=request.public_id, decision="recognised", reason=" ")
    with pytest.raises(ApplicationError):
        services.recognition_decide(actor=outsider, public_id=request.public_id, decision="maybe", reason="x")
    with django_capture_on_commit_callbacks(execute=False):
        decided = services.recognition_decide(actor=outsider, public_id=request.public_id, decision="partly",
                                              reason="Recognised as 1 ECTS of our module.")
    assert decided.status == "partly" and decided.decided_by == outsider
    assert AuditEvent.objects.filter(verb="recognition decided").count() == 1
    email = OutboxEmail.objects.get(to="anna@example.org", template=services.DECIDED_TEMPLATE)
    assert "Recognised as 1 ECTS" in email.body_text
    with pytest.raises(ApplicationError) as error:
        services.recognition_decide(actor=outsider, public_id=request.public_id, decision="refused", reason="No")
    assert error.value.code == "decided" and RecognitionRequest.objects.get().status == "partly"


def test_only_the_learner_and_the_provider_see_it(client, anna, owner, outsider, award, receiver, make_user):
    request = services.recognition_submit(actor=anna, provider_public_id=receiver.public_id, raw=_vc(award))
    stranger = make_user("stranger@example.org")
    url = reverse("microcredentials:recognition_detail", args=[request.public_id])
    for actor in (owner, stranger):  # owner: the issuing provider, not the receiving one
        with pytest.raises(NotFound):
            services.recognition_decide(actor=actor, public_id=request.public_id, decision="recognised",
                                        reason="x")
        client.force_login(actor)
        assert client.get(url).status_code == 404
        assert client.post(url, {"decision": "recognised", "reason": "x"}).status_code == 404
    with pytest.raises(NotFound):  # the learner cannot decide on their own request
        services.recognition_decide(actor=anna, public_id=request.public_id, decision="recognised", reason="x")
    client.force_login(anna)
    assert client.get(url).status_code == 200
    assert client.post(url, {"decision": "recognised", "reason": "x"}).status_code == 404
    assert RecognitionRequest.objects.get().status == "submitted"
    assert not AuditEvent.objects.filter(verb="recognition decided").exists()
    client.force_login(outsider)
    page = client.get(reverse("microcredentials:recognition_list", args=[receiver.public_id])).content.decode()
    assert "Facilitating intercultural learning" in page
    client.force_login(owner)
    assert client.get(reverse("microcredentials:recognition_list", args=[receiver.public_id])).status_code == 404


def test_pages_submit_and_decide_without_javascript(client, anna, outsider, award, receiver):
    client.force_login(anna)
    url = reverse("microcredentials:recognition_submit")
    page = client.get(url).content.decode()
    assert receiver.legal_name in page and 'for="id_file"' in page and "proves nothing" in page
    upload = SimpleUploadedFile("credential.json", _vc(award), content_type="application/json")
    response = client.post(url, {"provider": receiver.public_id, "file": upload, "note": "Please"})
    assert response.status_code == 302
    request = RecognitionRequest.objects.get()
    client.force_login(outsider)
    detail = reverse("microcredentials:recognition_detail", args=[request.public_id])
    assert "Verified by this platform" in client.get(detail).content.decode()
    assert client.post(detail, {"decision": "recognised", "reason": "Meets our policy."}).status_code == 302
    client.force_login(anna)
    page = client.get(detail).content.decode()
    assert "Meets our policy." in page


def test_api_submit_list_decide(client, anna, outsider, owner, award, receiver):
    def auth(user):
        return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=user, name='t')[1]}"}

    upload = SimpleUploadedFile("c.json", _vc(award), content_type="application/json")
    response = client.post(f"{API}/recognitions", {"provider": receiver.public_id, "file": upload}, **auth(anna))
    assert response.status_code == 201, response.content
    rid = response.json()["public_id"]
    assert response.json()["verified"] and response.json()["kind"] == "vc"
    assert client.get(f"{API}/recognitions", **auth(anna)).json()["items"][0]["public_id"] == rid
    listed = client.get(f"{API}/recognitions?provider={receiver.public_id}", **auth(outsider))
    assert listed.json()["items"][0]["public_id"] == rid
    for user in (owner, anna):
        response = client.post(f"{API}/recognitions/{rid}/decision", {"decision": "refused", "reason": "x"},
                               content_type="application/json", **auth(user))
        assert response.status_code == 404
    assert RecognitionRequest.objects.get().status == "submitted"
    response = client.post(f"{API}/recognitions/{rid}/decision", {"decision": "refused", "reason": "Not at EQF 4"},
                           content_type="application/json", **auth(outsider))
    assert response.status_code == 200 and response.json()["status"] == "refused"


def test_a_token_bound_to_another_organisation_sees_no_request_award_or_provider(anna, award, receiver,
                                                                                  organisation):
    """Under an API token's organisation scope the learner's requests to, and awards from, other providers are out
    of reach (as Youthpass records are), and no request can be sent to another provider."""
    from agnitio.microcredentials import selectors
    from agnitio.organisations.access import organisation_scope_set
    from agnitio.organisations.models import Organisation

    sent = services.recognition_submit(actor=anna, provider_public_id=receiver.public_id, raw=_vc(award))
    elsewhere = Organisation.objects.create(legal_name="Anna's own", country="LV", address="Cēsis",
                                            email="own@example.org")
    organisation_scope_set(elsewhere.pk)
    try:
        assert not selectors.recognition_list(actor=anna).exists()
        assert not selectors.learner_award_list(actor=anna).exists()
        with pytest.raises(NotFound):
            selectors.recognition_get(actor=anna, public_id=sent.public_id)
        with pytest.raises(NotFound):
            services.recognition_submit(actor=anna, provider_public_id=receiver.public_id, raw=_vc(award))
        organisation_scope_set(organisation.pk)  # the award's own provider: the award is there again
        assert list(selectors.learner_award_list(actor=anna)) == [award]
    finally:
        organisation_scope_set(None)
    assert RecognitionRequest.objects.count() == 1
    assert selectors.recognition_get(actor=anna, public_id=sent.public_id) == sent
