"""The API's error bodies: one JSON shape for every error a service or ninja raises."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import RequestFactory
from ninja.errors import AuthorizationError, HttpError

from agnitio.api import api
from agnitio.api_schemas import PUBLIC_ID_PATTERN
from agnitio.core.errors import ApplicationError, NotFound, PermissionDenied


@pytest.mark.parametrize(("exc", "status", "body"), [
    (ApplicationError("The dates overlap.", code="dates_overlap"), 400,
     {"detail": "The dates overlap.", "code": "dates_overlap"}),
    (NotFound(), 404, {"detail": "Not found.", "code": "not_found"}),
    (PermissionDenied(), 403, {"detail": "You are not allowed to do this.", "code": "permission_denied"}),
    (Http404("x"), 404, {"detail": "Not found.", "code": "not_found"}),
    (AuthorizationError(), 403, {"detail": "Forbidden", "code": "permission_denied"}),
    (HttpError(429, "Slow down."), 429, {"detail": "Slow down.", "code": "throttled"}),
    (ValidationError({"email": ["Enter a valid e-mail address."]}), 422,
     {"detail": [{"loc": ["body", "email"], "msg": "Enter a valid e-mail address.", "type": "invalid"}]}),
    (ValidationError("Something is off."), 422,
     {"detail": [{"loc": ["body"], "msg": "Something is off.", "type": "invalid"}]}),
])
def test_exceptions_become_json_errors(exc, status, body):
    from django.utils import translation

    # In English whatever an earlier test in this thread left active (LocaleMiddleware activates a request's
    # language and never deactivates it: after a Latvian page this answered "Nav atrasts.", depending on the order).
    with translation.override("en"):
        response = api.on_exception(RequestFactory().get("/api/v1/x"), exc)
    assert response.status_code == status
    assert json.loads(response.content) == body


def test_other_exceptions_are_not_swallowed():
    with pytest.raises(ZeroDivisionError):
        api.on_exception(RequestFactory().get("/api/v1/x"), ZeroDivisionError())


def test_openapi_document_is_served_and_names_bearer_auth(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["components"]["securitySchemes"]["ApiTokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert {"/api/v1/me", "/api/v1/organisations", "/api/v1/organisations/{public_id}"} <= set(document["paths"])
    assert set(document["paths"]["/api/v1/organisations/{public_id}"]) == {"get", "patch"}


def test_the_document_says_what_the_input_guard_refuses_before_any_view():
    """A NUL in a path, query or form string is a 400 from core.middleware.InputGuardMiddleware: every operation
    declares 400 and every free string parameter carries the no-NUL pattern, so clients (and schemathesis) know."""
    schema = api.get_openapi_schema()
    operations = [op for methods in schema["paths"].values() for op in methods.values() if "responses" in op]
    assert operations and all(400 in op["responses"] for op in operations)
    strings = [p["schema"] for op in operations for p in op.get("parameters", [])
               if p["schema"].get("type") == "string" and "enum" not in p["schema"]
               and "format" not in p["schema"]]
    # the no-NUL pattern, or a stricter one (a public id, a language code) that no string with a NUL matches
    assert strings and all(not re.search(s["pattern"].encode().decode("unicode_escape"), "id\x00") for s in strings)
    assert {"^[^\\u0000]*$", PUBLIC_ID_PATTERN} <= {s["pattern"] for s in strings}


def test_a_nul_in_an_api_query_is_a_json_400(client, owner, organisation):
    from agnitio.apikeys.services import api_token_create

    _token, raw = api_token_create(actor=owner, name="t", organisation=organisation)
    response = client.get("/api/v1/youthpass/projects/x/participants?status=a%00b",
                          HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 400 and response.json()["code"] == "nul_character"


def test_a_nul_nested_deeper_than_the_guard_looks_is_refused_not_let_through(client, db):
    body = "[" * 300 + '"a\\u0000b"' + "]" * 300
    response = client.post("/api/v1/youthpass/projects", data=body, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "nul_character"


@pytest.mark.parametrize("content_type", ["multipart", "urlencoded"])
@pytest.mark.parametrize("operation", ["create project", "issue certificate (optional body)"])
def test_a_form_body_sent_to_a_json_operation_is_a_json_400(client, owner, organisation, project, operation,
                                                            content_type):
    """The input guard parses every form body; an operation that reads JSON then finds none. A client that sends a
    form gets told to send JSON, never a 500."""
    from agnitio.apikeys.services import api_token_create
    from agnitio.youthpass import services

    _token, raw = api_token_create(actor=owner, name="t")
    participant = services.participant_create(actor=owner, project=project, first_name="Anna", last_name="Liepa")
    path = ("/api/v1/youthpass/projects" if operation == "create project" else
            f"/api/v1/youthpass/projects/{project.public_id}/participants/{participant.public_id}/certificate")
    if content_type == "multipart":
        response = client.post(path, data={"name": "x"}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    else:
        response = client.post(path, data="name=x", content_type="application/x-www-form-urlencoded",
                               HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 400, response.content
    # a multipart body was consumed by the form parser (our answer); a urlencoded one reaches ninja's JSON parser
    assert response.json()["code"] == ("content_type" if content_type == "multipart" else "error")
    assert response.json()["detail"]
