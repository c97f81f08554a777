"""The API's error bodies: one JSON shape for every error a service or ninja raises."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import RequestFactory
from ninja.errors import AuthorizationError, HttpError

from agnitio.api import api
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
