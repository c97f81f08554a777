"""Assembles the JSON API (django-ninja) from each app's api.py router.

Every operation needs a personal API token (`Authorization: Bearer agn_…`, see `agnitio.apikeys`) or the
signed-in browser session (writes then need the CSRF token). A router that serves public data sets `auth=None`.
Errors always have a JSON body: `{"detail": message, "code": code}` (400 rules, 401, 403, 404) or, for invalid
input, ninja's `{"detail": [{"loc": [...], "msg": ..., "type": ...}]}` with 422.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, AuthorizationError, HttpError

from agnitio.apikeys.auth import ApiTokenAuth, SessionAuth
from agnitio.core.errors import ApplicationError, NotFound, PermissionDenied, Throttled

NO_NUL_PATTERN = "^[^\\u0000]*$"


class AgnitioAPI(NinjaAPI):
    """The OpenAPI document also says what `core.middleware.InputGuardMiddleware` enforces before any view runs:
    no NUL character in a path, query or form string (400 `nul_character`), so every operation may answer 400."""

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        error = {"description": "Bad Request", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                operation["responses"].setdefault(400, error)
                if operation.get("parameters"):
                    # An operation's `openapi_extra` may restate a parameter (e.g. bounds its view checks itself,
                    # frameworks/api.py): ninja appends it, so the restated one replaces the generated one.
                    operation["parameters"] = list({(p.get("in"), p.get("name")): p
                                                    for p in operation["parameters"]}.values())
                for parameter in operation.get("parameters", []):
                    _no_nul(parameter.get("schema") or {})
                for media, body in (operation.get("requestBody") or {}).get("content", {}).items():
                    if media.startswith("multipart/") or media.endswith("x-www-form-urlencoded"):
                        for prop in (body.get("schema") or {}).get("properties", {}).values():
                            _no_nul(prop)
        return schema

    def get_openapi_operation_id(self, operation) -> str:
        """`<module>_<function>`, where an API split into a package of modules per resource (`<app>.api.<resource>`)
        counts as its package: operation ids are what generated clients call, and do not change with the layout."""
        module = operation.view_func.__module__
        package, _sep, _resource = module.rpartition(".")
        if package.endswith(".api"):
            module = package
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")


def _no_nul(schema: dict) -> None:
    if schema.get("type") == "string" and "format" not in schema and "enum" not in schema:
        schema.setdefault("pattern", NO_NUL_PATTERN)
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            _no_nul(option)


api = AgnitioAPI(
    title="Agnitio API",
    version="1",
    urls_namespace="api",
    auth=[ApiTokenAuth(), SessionAuth()],
    # No deep links: Swagger UI puts them as links inside each operation's button (nested controls, WCAG 4.1.2).
    docs=Swagger(settings={"deepLinking": False}),
    description=(
        "JSON API of Agnitio. Authenticate with a personal API token (My account → API tokens) sent as "
        "`Authorization: Bearer <token>`. Identifiers are the objects' public ids."
    ),
)


def _status_for(exc: ApplicationError) -> int:
    if exc.status:  # e.g. core.versioning.EditConflict: 409
        return exc.status
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, PermissionDenied):
        return 403
    return 400


@api.exception_handler(ApplicationError)
def _application_error(request, exc: ApplicationError):
    if isinstance(exc, Throttled):  # what happened, when to try again (also as Retry-After)
        from agnitio.core.http import retry_text

        response = api.create_response(request, {"detail": f"{exc.message} {retry_text(exc.retry_after)}",
                                                 "code": exc.code}, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    return api.create_response(request, {"detail": str(exc.message), "code": exc.code}, status=_status_for(exc))


@api.exception_handler(RawPostDataException)
def _not_json(request, exc: RawPostDataException):
    # A form or multipart body sent to an operation that reads JSON: the form was already parsed (the input guard
    # reads every form), so the JSON parser finds no body. Say what to send instead of failing with a 500.
    return JsonResponse({"detail": _("Send the request body as JSON (Content-Type: application/json)."),
                         "code": "content_type"}, status=400)


@api.exception_handler(DjangoValidationError)
def _django_validation_error(request, exc: DjangoValidationError):
    """A model's full_clean() in a service: the same 422 shape as ninja's own input validation."""
    if hasattr(exc, "error_dict"):
        items = [
            {"loc": ["body", field], "msg": str(message), "type": "invalid"}
            for field, errors in exc.message_dict.items()
            for message in errors
        ]
    else:
        items = [{"loc": ["body"], "msg": str(message), "type": "invalid"} for message in exc.messages]
    return api.create_response(request, {"detail": items}, status=422)


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc: AuthenticationError):
    response = api.create_response(
        request,
        {"detail": _("Authentication required: send a valid API token as “Authorization: Bearer <token>”."),
         "code": "not_authenticated"},
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(AuthorizationError)
def _forbidden(request, exc: AuthorizationError):
    return api.create_response(request, {"detail": str(exc), "code": "permission_denied"}, status=403)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    codes = {403: "permission_denied", 404: "not_found", 429: "throttled"}
    return api.create_response(
        request, {"detail": str(exc), "code": codes.get(exc.status_code, "error")}, status=exc.status_code
    )


@api.exception_handler(Http404)
def _not_found(request, exc: Http404):
    return api.create_response(request, {"detail": _("Not found."), "code": "not_found"}, status=404)


def not_found(request, *args, **kwargs):
    """Any other address under /api/: a JSON 404 rather than the HTML page."""
    return JsonResponse({"detail": _("There is no such API address."), "code": "not_found"}, status=404)


api.add_router("/", "agnitio.accounts.api.router")
api.add_router("/", "agnitio.organisations.api.router")
api.add_router("/verify/", "agnitio.credentials.api.router")
api.add_router("/youthpass/", "agnitio.youthpass.api.router")
api.add_router("/esco/", "agnitio.frameworks.api.router")
api.add_router("/microcredentials/", "agnitio.microcredentials.api.router")
api.add_router("/catalogue/", "agnitio.microcredentials.api.catalogue_router")
api.add_router("/europass/", "agnitio.europass.api.router")
