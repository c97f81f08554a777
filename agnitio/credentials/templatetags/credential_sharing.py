"""`{% linkedin_add_url credential %}` (credentials.sharing)."""

from django import template

from ..sharing import linkedin_add_url as _linkedin_add_url

register = template.Library()


@register.simple_tag
def linkedin_add_url(credential) -> str:
    return _linkedin_add_url(credential)
