"""Public JSON verification: `GET /api/v1/verify/<number>` (no account, same answer as the page)."""

from django.utils.translation import gettext as _
from ninja import Router, Status

from .throttle import verify_throttled
from .verification import credential_verify_number

router = Router(tags=["verification"], auth=None)


@router.get("/{number}", response={200: dict, 404: dict, 429: dict}, summary="Verify a document number",
            url_name="verify_number")
def verify_number(request, number: str):
    if verify_throttled(request):
        return Status(429, {"verified": False, "errors": [_("Too many verifications from your network in a short "
                                                            "time. Wait a minute and try again.")]})
    result = credential_verify_number(number)
    return Status(200 if result.credential is not None else 404, result.to_dict())
