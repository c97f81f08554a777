"""API of the signed-in person's sending institution."""

from __future__ import annotations

from ninja import Field, Router, Schema

from agnitio.api_schemas import InputSchema, Omittable, error_responses
from agnitio.core.errors import NotFound

from .. import selectors, services

router = Router()


class InstitutionOut(Schema):
    public_id: str
    organisation: str
    name: str
    address: str
    email: str
    contact_person: str
    postal_address: str
    language: str

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.public_id

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.organisation.legal_name

    @staticmethod
    def resolve_address(obj) -> str:
        return obj.organisation.address

    @staticmethod
    def resolve_email(obj) -> str:
        return obj.organisation.email


class InstitutionPatch(InputSchema):
    multiline_fields = frozenset({"postal_address"})
    legal_name: Omittable[str] = Field(None, min_length=1, max_length=255)
    address: Omittable[str] = Field(None, min_length=1, max_length=500)
    contact_person: Omittable[str] = Field(None, max_length=200)
    postal_address: Omittable[str] = Field(None, max_length=1000)
    language: Omittable[str] = Field(None, pattern="^(lv|en)$")


def _institution(request):
    institution = selectors.institution_for(actor=request.auth)
    if institution is None:
        raise NotFound()
    return institution


@router.get("/institution", response={200: InstitutionOut, **error_responses(404)},
            summary="Your sending institution (nosūtītājorganizācija): the base data shown on every document")
def institution_get_api(request):
    return _institution(request)


@router.patch("/institution", response={200: InstitutionOut, **error_responses(400, 403, 404, 422)},
              summary="Change the base data (owners and admins)")
def institution_update_api(request, payload: InstitutionPatch):
    institution = _institution(request)
    services.institution_update(actor=request.auth, institution=institution,
                                data=payload.model_dump(exclude_unset=True))
    institution.refresh_from_db()
    institution.organisation.refresh_from_db()
    return institution
