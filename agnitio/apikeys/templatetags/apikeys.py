from django import template

from agnitio.apikeys.selectors import api_token_list

register = template.Library()


@register.simple_tag
def usable_api_token_count(user) -> int:
    return api_token_list(actor=user, usable_only=True).count()
