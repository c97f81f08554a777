"""Public JSON verification: `GET /api/v1/verify/<number>` (no account, same answer as the page)."""

from ninja import Router, Status

from .verification import credential_verify_number

router = Router(tags=["verification"], auth=None)


@router.get("/{number}", response={200: dict, 404: dict}, summary="Verify a document number", url_name="verify_number")
def verify_number(request, number: str):
    result = credential_verify_number(number)
    return Status(200 if result.credential is not None else 404, result.to_dict())
