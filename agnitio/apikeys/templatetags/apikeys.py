from django import template

from agnitio.apikeys.selectors import api_token_usable_count

register = template.Library()


@register.simple_tag
def usable_api_token_count(user) -> int:
    return api_token_usable_count(actor=user)
