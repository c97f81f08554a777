"""Dashboard blocks for the home page: the user's organisations and next steps."""

from django import template

from agnitio.core.permissions import allowed
from agnitio.core.selectors import counts

from ..models import Membership, Signatory, SignatureImage
from ..selectors import membership_list_for_user

register = template.Library()
DASHBOARD_ORGANISATIONS = 10  # the home page names this many; "My organisations" lists them all, page by page


@register.inclusion_tag("organisations/_dashboard.html", takes_context=True)
def organisation_dashboard(context):
    request = context["request"]
    organisation = getattr(request, "organisation", None)
    steps = {}
    if organisation is not None:
        admin = allowed(request.user, "organisations.change_organisation", organisation)
        steps = {"admin": admin, "missing_logo": not organisation.logo}
        if admin:  # only an admin is shown the steps that need these numbers
            # One query; filtered by the id (not the instance, nor its related managers): a third less to build.
            defaults = SignatureImage.objects.filter(organisation_id=organisation.pk, is_active=True, is_default=True)
            numbers = counts(
                signatory_count=Signatory.objects.filter(organisation_id=organisation.pk, is_active=True),
                signatures=defaults.filter(kind=SignatureImage.Kind.SIGNATURE),
                stamps=defaults.filter(kind=SignatureImage.Kind.STAMP),
                member_count=Membership.objects.filter(organisation_id=organisation.pk),
            )
            steps.update(signatory_count=numbers["signatory_count"], has_signature=numbers["signatures"] > 0,
                         has_stamp=numbers["stamps"] > 0, member_count=numbers["member_count"])
    memberships = []
    if request.user.is_authenticated and organisation is not None:
        if getattr(request, "other_organisations", True):
            memberships = list(membership_list_for_user(user=request.user)[:DASHBOARD_ORGANISATIONS + 1])
        else:  # the middleware has read the only one
            memberships = [request.membership]
    return {
        "request": request,
        "memberships": memberships[:DASHBOARD_ORGANISATIONS],
        "more_organisations": len(memberships) > DASHBOARD_ORGANISATIONS,
        "organisation": organisation,
        "steps": steps,
        "is_admin": steps.get("admin", False),
    }


@register.filter
def object_type_label(label: str) -> str:
    from ..forms import object_type_label as _label

    return _label(label)
