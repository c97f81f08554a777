"""Public JSON verification: `GET /api/v1/verify/<code>` (no account, same answer as the page). The code is the
random one printed on the document; a register number is never looked up."""

from django.utils.translation import gettext as _
from ninja import Router, Status

from .throttle import verify_throttled
from .verification import credential_verify_code

router = Router(tags=["verification"], auth=None)


@router.get("/{code}", response={200: dict, 404: dict, 429: dict}, summary="Verify a document by its code",
            url_name="verify_code")
def verify_code(request, code: str):
    if verify_throttled(request):
        return Status(429, {"verified": False, "errors": [_("Too many verifications from your network in a short "
                                                            "time. Wait a minute and try again.")]})
    result = credential_verify_code(code)
    return Status(200 if result.credential is not None else 404, result.to_dict())
