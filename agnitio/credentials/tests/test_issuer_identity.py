"""Point 12 (issuer identity): platform staff verify an organisation's identity (audited); verification pages, issuer
profiles and the wallet say plainly whether it was verified; credentials pushed by the VC API by an organisation
the holder has no relation with are only offered until the holder accepts them."""

import json

import pytest
from django.contrib.admin.sites import site as admin_site
from django.urls import reverse
from django.utils import translation

from agnitio.apikeys.services import api_token_create
from agnitio.core.errors import NotFound, PermissionDenied
from agnitio.core.models import AuditEvent
from agnitio.credentials import selectors, services
from agnitio.credentials.dids import did_for
from agnitio.credentials.models import IssuedCredential
from agnitio.organisations.models import Membership, Organisation
from agnitio.organisations.services import organisation_identity_verify

from .test_vc_api import OB3

VERIFIED = 'data-issuer-identity="verified"'
UNVERIFIED = 'data-issuer-identity="unverified"'


@pytest.fixture
def staff(make_user):
    return make_user("agency@example.gov.lv", is_staff=True)


def test_only_staff_verify_and_it_is_audited(staff, owner, organisation):
    with pytest.raises(PermissionDenied):
        organisation_identity_verify(actor=owner, organisation=organisation, verified=True)
    organisation.refresh_from_db()
    assert organisation.identity_verified_at is None
    assert not AuditEvent.objects.filter(verb="organisation_identity_verify").exists()

    organisation_identity_verify(actor=staff, organisation=organisation, verified=True)
    organisation.refresh_from_db()
    assert organisation.identity_verified_at is not None and organisation.identity_verified_by == staff
    event = AuditEvent.objects.get(verb="organisation_identity_verify")
    assert event.actor == staff and event.object_id == organisation.public_id
    # idempotent: verifying again records nothing new
    organisation_identity_verify(actor=staff, organisation=organisation, verified=True)
    assert AuditEvent.objects.filter(verb="organisation_identity_verify").count() == 1

    organisation_identity_verify(actor=staff, organisation=organisation, verified=False)
    organisation.refresh_from_db()
    assert organisation.identity_verified_at is None
    assert AuditEvent.objects.filter(verb="organisation_identity_unverify", actor=staff).exists()


def test_admin_action_marks_verified(client, organisation, make_user):
    superuser = make_user("root@example.org", is_staff=True, is_superuser=True)
    admin_obj = admin_site._registry[Organisation]
    assert "mark_identity_verified" in admin_obj.actions
    client.force_login(superuser)
    from django.test import RequestFactory

    request = RequestFactory().post("/")
    request.user = superuser
    request.session = client.session
    from django.contrib.messages.storage.fallback import FallbackStorage

    request._messages = FallbackStorage(request)
    from django.utils import translation

    with translation.override("en"):
        admin_obj.mark_identity_verified(request, Organisation.objects.filter(pk=organisation.pk))
    assert [str(m) for m in request._messages] == ["1 organisation updated."]
    organisation.refresh_from_db()
    assert organisation.identity_verified_at is not None
    assert AuditEvent.objects.filter(verb="organisation_identity_verify", actor=superuser).exists()
    # the field cannot be typed in the change form: only the audited action sets it
    assert "identity_verified_at" in admin_obj.readonly_fields


def test_verification_page_says_whether_the_issuer_is_verified(client, issue, staff, organisation):
    credential = issue()
    url = reverse("credentials:verify_code", args=[credential.code])
    html = client.get(url).content.decode()
    assert UNVERIFIED in html and "has not verified this issuer" in html
    organisation_identity_verify(actor=staff, organisation=organisation, verified=True)
    html = client.get(url).content.decode()  # the cached fragment follows the organisation's change
    assert VERIFIED in html and "has verified this issuer" in html
    with translation.override("lv"):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="lv", headers={"Accept-Language": "lv"}).content.decode()
    assert VERIFIED in html
    api = client.get(f"/api/v1/verify/{credential.code}").json()
    assert api["issuer"]["identity_verified"] is True


def test_verifying_a_presented_credential_shows_identity(client, issue):
    credential = issue()
    response = client.post(reverse("credentials:verify"), {"credential_json": json.dumps(credential.credential)})
    assert UNVERIFIED in response.content.decode()


def test_issuer_profile_says_it_in_json_and_html(client, organisation, staff):
    url = reverse("credentials:issuer_profile", args=[organisation.public_id])
    profile = client.get(url).json()
    assert "not verified" in profile["description"]
    assert profile["name"] == organisation.legal_name
    organisation_identity_verify(actor=staff, organisation=organisation, verified=True)
    profile = client.get(url).json()
    assert "has verified" in profile["description"]
    lv = client.get(url, HTTP_ACCEPT_LANGUAGE="lv").json()["description"]
    assert lv != profile["description"] and "platforma" in lv.lower()
    page = client.get(url, HTTP_ACCEPT="text/html")
    assert page["Content-Type"].startswith("text/html") and VERIFIED in page.content.decode()
    assert "Accept" in page["Vary"]


def _push(client, owner, organisation, email="holder@example.org"):
    _token, raw = api_token_create(actor=owner, name="VC API", organisation=organisation)
    body = json.loads(json.dumps(OB3))
    body["issuer"] = did_for(organisation)
    response = client.post("/credentials/issue", data=json.dumps({"credential": body,
                                                                  "options": {"holderEmail": email}}),
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 201, response.content
    return IssuedCredential.objects.get(credential_uid=response.json()["verifiableCredential"]["id"])


def test_vc_api_push_from_a_stranger_is_offered_until_accepted(client, owner, organisation, holder):
    pushed = _push(client, owner, organisation)
    assert pushed.offered_via_api
    assert list(selectors.wallet_credential_list(actor=holder)) == []
    assert list(selectors.wallet_offer_list(actor=holder)) == [pushed]
    client.force_login(holder)
    html = client.get(reverse("credentials:wallet")).content.decode()
    assert "Offered to you" in html and f'data-offer="{pushed.public_id}"' in html and UNVERIFIED in html
    # not yet theirs: no detail page, no share link
    assert client.get(reverse("credentials:wallet_detail", args=[pushed.public_id])).status_code == 404
    with pytest.raises(NotFound):
        services.share_link_create(actor=holder, credential=pushed,
                                   expires_on=__import__("datetime").date.today())

    response = client.post(reverse("credentials:wallet_offer_decide", args=[pushed.public_id, "accept"]))
    assert response.status_code == 302
    assert list(selectors.wallet_credential_list(actor=holder)) == [pushed]
    assert list(selectors.wallet_offer_list(actor=holder)) == []
    assert client.get(reverse("credentials:wallet_detail", args=[pushed.public_id])).status_code == 200
    event = AuditEvent.objects.get(verb="wallet_offer_accepted")
    assert event.actor == holder and event.object_id == pushed.public_id


def test_declined_offer_leaves_the_wallet_and_is_audited(client, owner, organisation, holder):
    pushed = _push(client, owner, organisation)
    client.force_login(holder)
    client.post(reverse("credentials:wallet_offer_decide", args=[pushed.public_id, "decline"]))
    pushed.refresh_from_db()
    assert pushed.holder_decision == "declined"
    assert list(selectors.wallet_offer_list(actor=holder)) == []
    assert list(selectors.wallet_credential_list(actor=holder)) == []
    assert AuditEvent.objects.filter(verb="wallet_offer_declined", actor=holder).exists()
    # still issued and verifiable
    assert client.get(reverse("credentials:verify_code", args=[pushed.code])).status_code == 200
    # deciding again is not possible (no longer an offer)
    assert client.post(reverse("credentials:wallet_offer_decide",
                               args=[pushed.public_id, "accept"])).status_code == 404


def test_someone_else_cannot_decide_an_offer(client, owner, organisation, holder, make_user):
    pushed = _push(client, owner, organisation)
    client.force_login(make_user("stranger@example.org"))
    assert client.post(reverse("credentials:wallet_offer_decide",
                               args=[pushed.public_id, "accept"])).status_code == 404
    pushed.refresh_from_db()
    assert pushed.holder_decision == ""
    assert client.post(reverse("credentials:wallet_offer_decide",
                               args=[pushed.public_id, "maybe"])).status_code == 404


def test_push_from_an_organisation_the_holder_belongs_to_goes_straight_in(client, owner, organisation, holder):
    Membership.objects.create(organisation=organisation, user=holder, role="editor")
    pushed = _push(client, owner, organisation)
    assert list(selectors.wallet_credential_list(actor=holder)) == [pushed]
    assert list(selectors.wallet_offer_list(actor=holder)) == []


def test_push_from_an_organisation_whose_participant_the_holder_is_goes_straight_in(
        client, owner, organisation, holder):
    from agnitio.youthpass.models import Participant, Project

    project = Project.objects.create(organisation=organisation, title="Bridges", grant_number="2026-1-LV02-KA152",
                                     programme="erasmus_youth", project_type="youth_exchange")
    Participant.objects.create(organisation=organisation, project=project, first_name="H", last_name="Older",
                               user=holder)
    pushed = _push(client, owner, organisation)
    assert list(selectors.wallet_credential_list(actor=holder)) == [pushed]


def test_documents_issued_in_the_application_are_never_offers(issue, holder):
    credential = issue()
    assert not credential.offered_via_api
    assert list(selectors.wallet_credential_list(actor=holder)) == [credential]
    assert list(selectors.wallet_offer_list(actor=holder)) == []
