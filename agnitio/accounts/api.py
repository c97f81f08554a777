"""API: the current user."""

from ninja import Router, Schema

from agnitio.api_schemas import error_responses

router = Router(tags=["accounts"])


class MeOut(Schema):
    public_id: str
    email: str
    full_name: str
    language: str


@router.get("/me", response={200: MeOut, **error_responses()}, summary="The user the token belongs to")
def me(request):
    return request.auth
