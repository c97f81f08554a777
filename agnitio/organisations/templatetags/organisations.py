"""Dashboard blocks for the home page: the user's organisations and next steps."""

from django import template

from agnitio.core.permissions import allowed

from ..models import SignatureImage

register = template.Library()


@register.inclusion_tag("organisations/_dashboard.html", takes_context=True)
def organisation_dashboard(context):
    request = context["request"]
    organisation = getattr(request, "organisation", None)
    steps = {}
    if organisation is not None:
        admin = allowed(request.user, "organisations.change_organisation", organisation)
        signatures = SignatureImage.objects.filter(organisation=organisation, is_active=True)
        steps = {
            "admin": admin,
            "missing_logo": not organisation.logo,
            "signatory_count": organisation.signatories.filter(is_active=True).count(),
            "has_signature": signatures.filter(kind=SignatureImage.Kind.SIGNATURE, is_default=True).exists(),
            "has_stamp": signatures.filter(kind=SignatureImage.Kind.STAMP, is_default=True).exists(),
            "member_count": organisation.memberships.count(),
        }
    return {
        "request": request,
        "memberships": getattr(request, "memberships", []),
        "organisation": organisation,
        "steps": steps,
        "is_admin": steps.get("admin", False),
    }


@register.filter
def object_type_label(label: str) -> str:
    from ..forms import object_type_label as _label

    return _label(label)
