"""API: the organisations the user belongs to (and, for admins, editing one)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from agnitio.api_schemas import InputSchema, Omittable, error_responses
from agnitio.core import versioning
from agnitio.core.permissions import require

from .forms import OrganisationForm
from .selectors import membership_get, membership_list_for_user, organisation_get
from .services import organisation_update

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
    return [_out(m.organisation, m.role) for m in membership_list_for_user(user=request.auth)]


@router.get("/organisations/{public_id}", response={200: OrganisationOut, **error_responses(404)},
            summary="One of your organisations",
            description="The `ETag` header is the organisation's version: send it back as `If-Match` when you "
                        "change its data.")
def organisation_get_api(request, public_id: str, response: HttpResponse):
    organisation = organisation_get(actor=request.auth, public_id=public_id)
    versioning.set_etag(response, organisation)
    return _out(organisation, membership_get(actor=request.auth, organisation=organisation).role)


class OrganisationPatchIn(InputSchema):
    """Only the fields sent are changed; `null` or "" clears an optional field.

    The same checks as the web form apply (real country, valid phone number for the country, …): what fails
    them is answered with 422 and the field's message.
    """

    legal_name: Omittable[str] = Field(None, min_length=1, max_length=255)
    short_name: str | None = Field(None, max_length=100)
    country: Omittable[str] = Field(None, pattern="^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code, e.g. LV")
    address: Omittable[str] = Field(None, min_length=1, max_length=500)
    website: str | None = Field(None, max_length=200, json_schema_extra={"format": "uri"})
    email: Omittable[str] = Field(None, max_length=254, json_schema_extra={"format": "email"})
    phone: str | None = Field(None, max_length=40, description="With the country code, e.g. +371 67 000 000")
    identifier: str | None = Field(None, max_length=64, description="OID, PIC or registration number")


def _form_errors(form) -> DjangoValidationError:
    return DjangoValidationError({field: list(errors) for field, errors in form.errors.items()})


@router.patch("/organisations/{public_id}",
              response={200: OrganisationOut, **error_responses(400, 403, 404, 409, 422)},
              summary="Change your organisation's data (owners and admins)",
              description="With `If-Match: <ETag>`, an organisation changed since that version is not overwritten "
                          "(409).")
def organisation_update_api(request, public_id: str, payload: OrganisationPatchIn, response: HttpResponse):
    organisation = organisation_get(actor=request.auth, public_id=public_id)
    require(request.auth, "organisations.change_organisation", organisation, visible="organisations.view_organisation",
            message=_("Only the organisation's owners and admins can change its data."))
    # The same validation as the web form: the current values with the sent fields on top.
    current = OrganisationForm(instance=organisation).initial
    sent = {key: ("" if value is None else value) for key, value in payload.model_dump(exclude_unset=True).items()}
    form = OrganisationForm(data={**current, **sent, "logo": None}, instance=organisation)
    if not form.is_valid():
        raise _form_errors(form)
    with versioning.check_if_match(request, organisation, data=form.service_data()):
        organisation_update(actor=request.auth, organisation=organisation, data=form.service_data())
    organisation.refresh_from_db()
    versioning.set_etag(response, organisation)
    return _out(organisation, membership_get(actor=request.auth, organisation=organisation).role)
