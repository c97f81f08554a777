"""API: the organisations the user belongs to (and, for admins, editing one)."""

from ninja import Router, Schema

from agnitio.api_schemas import error_responses
from agnitio.apikeys.auth import check_token_organisation, token_allows_organisation

from .selectors import membership_get, membership_list_for_user, organisation_get

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    public_id: str
    legal_name: str
    short_name: str
    country: str
    address: str
    website: str
    email: str
    phone: str
    identifier: str
    logo_url: str | None
    role: str

    @staticmethod
    def resolve_country(organisation) -> str:
        return organisation.country.code or ""

    @staticmethod
    def resolve_phone(organisation) -> str:
        return str(organisation.phone) if organisation.phone else ""

    @staticmethod
    def resolve_logo_url(organisation, context) -> str | None:
        if not organisation.logo:
            return None
        return context["request"].build_absolute_uri(organisation.logo.url)


def _out(organisation, role: str):
    organisation.role = role
    return organisation


@router.get("/organisations", response={200: list[OrganisationOut], **error_responses()},
            summary="Organisations you belong to, with your role")
def organisation_list_api(request):
    return [
        _out(m.organisation, m.role)
        for m in membership_list_for_user(user=request.auth)
        if token_allows_organisation(request, m.organisation)
    ]


@router.get("/organisations/{public_id}", response={200: OrganisationOut, **error_responses(404)},
            summary="One of your organisations")
def organisation_get_api(request, public_id: str):
    organisation = organisation_get(actor=request.auth, public_id=public_id)
    check_token_organisation(request, organisation)
    return _out(organisation, membership_get(actor=request.auth, organisation=organisation).role)
