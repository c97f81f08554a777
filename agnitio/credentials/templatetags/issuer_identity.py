"""`{% issuer_identity organisation %}` / `{% issuer_identity issuer_id=result.issuer_id %}`: says plainly whether
the platform verified the issuer's identity (credentials/_issuer_identity.html)."""

from django import template

from agnitio.credentials.selectors import issuer_identity as issuer_identity_get

register = template.Library()


@register.inclusion_tag("credentials/_issuer_identity.html")
def issuer_identity(organisation=None, issuer_id="", compact=False):
    return {"identity": issuer_identity_get(organisation=organisation, issuer_id=issuer_id or ""), "compact": compact}
