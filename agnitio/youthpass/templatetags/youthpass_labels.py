"""Labels for codes that reach a template as plain values (an import preview holds the row's data as codes)."""

from django import template
from django_countries import countries

from ..models import Participant

register = template.Library()


@register.filter
def participant_role_label(code: str) -> str:
    """"team_member" -> "team member" / "komandas pārstāvis", in the page's language; an unknown code as it is."""
    try:
        return str(Participant.Role(code).label)
    except ValueError:
        return code or ""


@register.filter
def country_label(code: str) -> str:
    """"LV" -> "Latvia" / "Latvija", in the page's language; an unknown code as it is."""
    return countries.name(code) or code or "" if code else ""
