"""`{% list_search form heading_id reset_url %}`: a list's GET search form (credentials.forms.list_search_html)."""

from django import template
from django.utils.safestring import mark_safe

from ..forms import list_search_html

register = template.Library()


@register.simple_tag
def list_search(form, heading_id, reset_url):
    return mark_safe(list_search_html(form, heading_id=heading_id, reset_url=reset_url))  # noqa: S308 (a template's)
