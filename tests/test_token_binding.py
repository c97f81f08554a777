"""Issue 10, point 4: an API token bound to an organisation is enforced by the auth layer for every endpoint.

The world of the authorisation matrix (tests/test_authorisation_matrix.py) has an organisation B ("Owning org")
with every kind of object. Its owner — and its learner — are also members of another organisation A, and call the
API with tokens bound to A. Every operation of the OpenAPI document is requested with B's ids: none may succeed;
each answers 404, as for a stranger. Operations without an id (lists, creating in an organisation named in the
body) must show or touch nothing of B. A new operation without a line here fails the test.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from test_authorisation_matrix import API, MATRIX_PDF, _request, _value, _world

# Operations with no id in the path: what "nothing of B" means for each.
NO_ID = {
    ("GET", "/api/v1/me"): "the person's own account, not an organisation's data",
    ("GET", "/api/v1/organisations"): "lists A only",
    ("GET", "/api/v1/youthpass/projects"): "lists none of B's projects",
    ("POST", "/api/v1/youthpass/projects"): "404 for a project in B",
    ("GET", "/api/v1/youthpass/me/youthpass"): "lists none of the learner's records in B",
    ("GET", "/api/v1/europass/applications"): "lists none of B's (the sending institution's) applications",
    ("POST", "/api/v1/europass/applications"): "404: A is no sending institution, B's may not be used",
    ("GET", "/api/v1/europass/documents"): "lists none of B's documents",
    ("GET", "/api/v1/europass/institution"): "404: B's institution is out of the token's scope",
    ("PATCH", "/api/v1/europass/institution"): "404: B's institution is out of the token's scope",
    ("GET", "/api/v1/europass/nec/applications"): "lists nothing sent to a NEC run by B's members",
    ("GET", "/api/v1/europass/nec/folders"): "lists nothing sent to a NEC run by B's members",
    ("GET", "/api/v1/europass/shared-documents"): "lists none of B's documents shared with the person",
    ("GET", "/api/v1/microcredentials/specifications"): "lists none of B's specifications",
    ("POST", "/api/v1/microcredentials/specifications"): "404 for a specification of B",
    ("GET", "/api/v1/microcredentials/recognitions"): "lists none of the requests sent to B (as its member)",
    ("POST", "/api/v1/microcredentials/recognitions"): "404 for provider B (the request would be a record of the "
                                                         "person with B, as Youthpass records are)",
}
PUBLIC = {("GET", "/api/v1/verify/{code}"),  # no authentication at all: anyone may verify a code
          ("GET", "/api/v1/esco/search"),  # public reference data (throttled)
          # the public micro-credential catalogue (auth=None): every provider's published micro-credentials
          ("GET", "/api/v1/catalogue/"), ("GET", "/api/v1/catalogue/{spec_id}"),
          ("GET", "/api/v1/catalogue/providers/{provider_id}")}


def _operations() -> set[tuple[str, str]]:
    from agnitio.api import api

    document = api.get_openapi_schema()
    return {(method.upper(), path) for path, operations in document["paths"].items() for method in operations}


@pytest.fixture
def bound(make_user, staff_login, settings):
    """The matrix world plus organisation A, with B's owner, B's learner and the host and participant of B's
    Europass document also members of A."""
    from agnitio.apikeys.services import api_token_create
    from agnitio.organisations.models import Membership, Organisation

    settings.ACCOUNT_RATE_LIMITS = {}
    objects, _clients, _tokens = _world(make_user, staff_login)
    organisation_a = Organisation.objects.create(legal_name="Bound org", country="LV", address="Cēsis",
                                                 email="a@matrix.example")
    tokens = {}
    for email in ("owner@matrix.example", "learner@matrix.example", "ep_host@matrix.example",
                  "ep_participant@matrix.example"):
        membership = Membership.objects.create(organisation=organisation_a, user=_user(email), role="owner")
        tokens[email.split("@")[0]] = api_token_create(actor=membership.user, name="bound to A",
                                                       organisation=organisation_a)[1]
    return objects, organisation_a, tokens


def _user(email):
    from agnitio.accounts.models import User

    return User.objects.get(email=email)


def _call(method: str, url: str, token: str, body=None, *, keep: bool = False):
    """The request, rolled back afterwards (each one sees the same world) unless `keep`."""
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if body is not None:
        extra.update(data=json.dumps(body, default=str), content_type="application/json")
    if keep:
        return Client().generic(method, url, **extra)
    return _request(Client(), method, url, **extra)


@pytest.mark.django_db
def test_a_token_bound_to_a_reaches_nothing_of_b(bound):
    objects, organisation_a, tokens = bound
    operations = _operations()
    unlisted = sorted(f"{m} {p}" for m, p in operations - set(API) - set(NO_ID) - PUBLIC)
    assert not unlisted, "API operations this test does not walk (add them to API or NO_ID):\n" + "\n".join(unlisted)
    failures = []
    walked = 0
    for method, path in sorted(operations & set(API) - PUBLIC):
        entry = API[(method, path)]
        url = path
        for key, spec in entry.ids.items():
            url = url.replace("{" + key + "}", _value(spec, objects))
        body = None
        if entry.body is not None:
            text = json.dumps(entry.body)
            for key, value in objects.items():  # "@key" in a body: the world object's id
                text = text.replace(f'"@{key}"', json.dumps(value))
            body = json.loads(text)
        for who, token in tokens.items():
            if path.endswith("/import"):  # multipart: a real file, so the answer comes from the view
                with transaction.atomic():
                    response = Client().post(url, {"file": SimpleUploadedFile("p.csv", b"first_name,last_name\nA,B\n")},
                                             HTTP_AUTHORIZATION=f"Bearer {token}")
                    transaction.set_rollback(True)
            elif entry.multipart is not None:  # an upload with a valid file: refused by the scope, nothing stored
                from agnitio.microcredentials.models import Evidence

                stored = Evidence.objects.count()
                response = Client().post(url, {**entry.multipart, "file": SimpleUploadedFile("e.pdf", MATRIX_PDF)},
                                         HTTP_AUTHORIZATION=f"Bearer {token}")
                if Evidence.objects.count() != stored:
                    failures.append(f"{method} {path} as B's {who} with a token bound to A stored evidence")
            else:
                response = _call(method, url, token, body)
            walked += 1
            if response.status_code != 404:
                failures.append(f"{method} {path} as B's {who} with a token bound to A: HTTP {response.status_code}")
    assert walked >= 2 * 25  # every operation with an id, with both tokens

    owner, learner = tokens["owner"], tokens["learner"]
    listed = [o["public_id"] for o in _call("GET", "/api/v1/organisations", owner).json()]
    if listed != [organisation_a.public_id]:
        failures.append(f"GET /api/v1/organisations lists {listed}")
    projects = [p["public_id"] for p in _call("GET", "/api/v1/youthpass/projects", owner).json()["items"]]
    if objects["project"] in projects or projects:
        failures.append(f"GET /api/v1/youthpass/projects lists {projects}")
    created = _call("POST", "/api/v1/youthpass/projects", owner, {
        "organisation": objects["organisation"], "grant_number": "2022-1-LV01-KA152-YOU-000000011",
        "programme": "erasmus_youth", "project_type": "youth_exchange"})
    if created.status_code != 404:
        failures.append(f"POST /api/v1/youthpass/projects in B: HTTP {created.status_code}")
    records = _call("GET", "/api/v1/youthpass/me/youthpass", learner).json()
    if records:
        failures.append(f"GET /api/v1/youthpass/me/youthpass lists {records}")
    assert _call("GET", "/api/v1/me", owner).json()["email"] == "owner@matrix.example"
    # Every list (a GET without an id) answered to either token names none of B's objects: no public id of the
    # world (nor a verification code, a file name) appears anywhere in the answer.
    b_ids = {value for value in objects.values() if isinstance(value, str) and value}
    for method, path in sorted(NO_ID):
        if method != "GET":
            continue
        for who, token in tokens.items():
            response = _call(method, path, token)
            if response.status_code not in (200, 404):
                failures.append(f"GET {path} as B's {who} with a token bound to A: HTTP {response.status_code}")
            leaked = sorted(key for key, value in objects.items() if value in b_ids and str(value)
                            in response.content.decode())
            if leaked:
                failures.append(f"GET {path} as B's {who} with a token bound to A names B's {leaked}")
    for who, token in tokens.items():
        for path in ("/api/v1/europass/institution",):
            if _call("GET", path, token).status_code != 404:
                failures.append(f"GET {path} as B's {who}: not 404")
            if _call("PATCH", path, token, {"contact_person": "X"}).status_code != 404:
                failures.append(f"PATCH {path} as B's {who}: not 404")
    start = datetime.date.today() + datetime.timedelta(days=30)
    applied = _call("POST", "/api/v1/europass/applications", owner, {
        "conditions_accepted": True, "procedure": "A", "issuing_body": "nec", "participants_count": 1,
        "start_date": start, "end_date": start, "programme": "erasmus_plus", "project_number": "P-2"})
    if applied.status_code != 404:
        failures.append(f"POST /api/v1/europass/applications for B's institution: HTTP {applied.status_code}")
    with transaction.atomic():
        sent = Client().post("/api/v1/microcredentials/recognitions", {
            "provider": objects["organisation"], "file": SimpleUploadedFile("c.json", b'{"credentialSubject": {}}')},
            HTTP_AUTHORIZATION=f"Bearer {learner}")
        transaction.set_rollback(True)
    if sent.status_code != 404:
        failures.append(f"POST /api/v1/microcredentials/recognitions to B: HTTP {sent.status_code}")
    specified = _call("POST", "/api/v1/microcredentials/specifications", owner,
                      {"organisation": objects["organisation"], "title": "In B"})
    if specified.status_code != 404:
        failures.append(f"POST /api/v1/microcredentials/specifications in B: HTTP {specified.status_code}")
    assert not failures, "A token bound to A reached B:\n" + "\n".join(failures)

    # The same person without the binding (the browser session) still reaches B: the scope ended with the request.
    client = Client()
    client.force_login(_user("owner@matrix.example"))
    assert client.get(f"/api/v1/organisations/{objects['organisation']}").status_code == 200
    assert client.get(f"/api/v1/youthpass/projects/{objects['project']}").status_code == 200


@pytest.mark.django_db
def test_a_token_bound_to_a_still_works_for_a(bound):
    from agnitio.organisations.access import organisation_scope
    from agnitio.organisations.models import Organisation

    objects, organisation_a, tokens = bound
    owner = tokens["owner"]
    response = _call("GET", f"/api/v1/organisations/{organisation_a.public_id}", owner)
    assert (response.status_code, response.json()["role"]) == (200, "owner")
    url = f"/api/v1/organisations/{organisation_a.public_id}"
    changed = _call("PATCH", url, owner, {"short_name": "BO"}, keep=True)
    assert changed.status_code == 200
    assert Organisation.objects.get(pk=organisation_a.pk).short_name == "BO"
    created = _call("POST", "/api/v1/youthpass/projects", owner, {
        "organisation": organisation_a.public_id, "grant_number": "2022-1-LV01-KA152-YOU-000000012",
        "programme": "erasmus_youth", "project_type": "youth_exchange", "title": "In A"}, keep=True)
    assert created.status_code == 201, created.content
    project = created.json()["public_id"]
    assert [p["public_id"] for p in _call("GET", "/api/v1/youthpass/projects", owner).json()["items"]] == [project]
    assert _call("GET", f"/api/v1/youthpass/projects/{project}", owner).json()["title"] == "In A"
    assert organisation_scope() is None  # nothing of the request's restriction is left behind
