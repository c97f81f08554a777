"""W3C VC API (point 6): POST /credentials/issue (token) and POST /credentials/verify."""

import copy
import json

import pytest

from agnitio.apikeys.services import api_token_create
from agnitio.core.models import AuditEvent
from agnitio.credentials.models import IssuedCredential

from .node_check import node_available, node_verify

UNSIGNED = {
    "@context": ["https://www.w3.org/ns/credentials/v2",
                 "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    "type": ["VerifiableCredential", "AchievementCredential"],
    "validFrom": "2026-11-21T00:00:00Z",
    "credentialSubject": {
        "type": ["AchievementSubject"],
        "identifier": [
            {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": "Jānis Ozols"},
            {"type": "IdentityObject", "identityType": "emailAddress", "hashed": False,
             "identityHash": "janis@example.org"},
        ],
        "achievement": {
            "type": ["Achievement"], "name": "Digital skills for youth workers",
            "description": "A 2 ECTS course.", "criteria": {"narrative": "Passed the final project."},
            "alignment": [{"type": ["Alignment"], "targetName": "Digital competence",
                           "targetUrl": "http://data.europa.eu/esco/skill/x"}],
        },
    },
}


def _post(client, path, body, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(path, data=json.dumps(body), content_type="application/json", **headers)


def test_issue_with_token_for_its_organisation(client, owner, organisation):
    _token, raw = api_token_create(actor=owner, name="VC API", organisation=organisation)
    response = _post(client, "/credentials/issue", {"credential": UNSIGNED, "options": {}}, raw)
    assert response.status_code == 201, response.content
    vc = response.json()["verifiableCredential"]
    record = IssuedCredential.objects.get(credential_uid=vc["id"])
    assert record.organisation == organisation and record.kind == "microcredential"
    assert record.holder_name == "Jānis Ozols" and record.holder_email == "janis@example.org"
    assert record.issued_on.isoformat() == "2026-11-21"
    assert vc["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert vc["credentialSubject"]["achievement"]["alignment"][0]["targetName"] == "Digital competence"
    verify = _post(client, "/credentials/verify", {"verifiableCredential": vc, "options": {}})
    assert verify.status_code == 200
    assert verify.json() == {"checks": ["proof", "validity", "status"], "warnings": [], "errors": []}
    if reason := node_available():
        pytest.fail(reason, pytrace=False)
    assert node_verify(vc, organisation=organisation)["verified"]


def test_verify_rejects_tampered_with_400(client, issue):
    vc = copy.deepcopy(issue().credential)
    vc["credentialSubject"]["achievement"]["name"] = "Something else"
    response = _post(client, "/credentials/verify", {"verifiableCredential": vc})
    assert response.status_code == 400
    body = response.json()
    assert body["checks"] == ["proof"] and body["errors"] and body["warnings"] == []
    assert _post(client, "/credentials/verify", {"nothing": 1}).status_code == 400


def test_issue_without_or_with_bad_token_changes_nothing(client, db):
    assert _post(client, "/credentials/issue", {"credential": UNSIGNED}).status_code == 401
    assert _post(client, "/credentials/issue", {"credential": UNSIGNED}, "agn_wrong").status_code == 401
    assert IssuedCredential.objects.count() == 0


def test_token_of_another_organisation_cannot_issue_for_ours(client, outsider, organisation):
    _token, raw = api_token_create(actor=outsider, name="theirs")
    response = _post(client, "/credentials/issue",
                     {"credential": UNSIGNED, "options": {"organisation": organisation.public_id}}, raw)
    assert response.status_code == 404
    assert IssuedCredential.objects.count() == 0
    assert not AuditEvent.objects.filter(verb="credential_issue").exists()


def test_issue_bad_request(client, owner, organisation):
    _token, raw = api_token_create(actor=owner, name="VC API", organisation=organisation)
    broken = copy.deepcopy(UNSIGNED)
    del broken["credentialSubject"]["achievement"]
    assert _post(client, "/credentials/issue", {"credential": broken}, raw).status_code == 400
    assert _post(client, "/credentials/issue", {"credential": UNSIGNED, "options": {"kind": "x"}}, raw).status_code \
        == 400
    assert IssuedCredential.objects.count() == 0
