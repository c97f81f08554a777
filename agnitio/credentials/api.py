"""Public JSON verification: `GET /api/v1/verify/<code>` (no account, same answer as the page). The code is the
random one printed on the document; a register number is never looked up.

The view answers with a ready response (`NinjaAPI.create_response`: the API's own renderer, content type and
status) rather than a body for ninja to validate against `dict` and render: the documented schema is the same
(the decorator's), the bytes too (credentials/tests/test_verify_prepared.py), and the busiest public address skips
a pydantic round trip it does not need (issue 14 point 5).

An anonymous GET is answered by `credentials.middleware.VerifyApiMiddleware`, which calls this function without the
rest of the stack (ADR 0019); this route answers everything else, and the same request again when the lean path
failed (`FAILURE_ATTRIBUTE`: the error is raised here, so the error answer is the full stack's)."""

from django.utils.translation import gettext as _
from ninja import Router

from .middleware import FAILURE_ATTRIBUTE
from .throttle import verify_throttled
from .verification import credential_verify_code

router = Router(tags=["verification"], auth=None)


@router.get("/{code}", response={200: dict, 404: dict, 429: dict}, summary="Verify a document by its code",
            url_name="verify_code")
def verify_code(request, code: str):
    from agnitio.api import api  # the API this router is mounted on (it imports this module)

    failure = request.__dict__.get(FAILURE_ATTRIBUTE)
    if failure is not None:
        raise failure
    if verify_throttled(request):
        return api.create_response(request, {"verified": False, "errors": [_(
            "Too many verifications from your network in a short time. Wait a minute and try again.")]}, status=429)
    result = credential_verify_code(code)
    return api.create_response(request, result.to_dict(), status=200 if result.credential is not None else 404)
