from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext, override

from agnitio.apikeys.selectors import api_token_usable_count
from agnitio.core.templatetags.agnitio_urls import current_app, reverse_memoised

register = template.Library()


@register.simple_tag
def usable_api_token_count(user) -> int:
    return api_token_usable_count(actor=user)


def _tokens_text(count: int) -> str:
    """`{% blocktranslate count counter=count trimmed %}You have {{ counter }} active personal API token.{% plural
    %}… tokens.{% endblocktranslate %}`: the translation (not escaped, as the tag leaves it) with the number as the
    template prints it; a translation that does not fit its placeholders falls back to the English text, as the
    tag does."""
    data = {"counter": conditional_escape(localize(count))}
    singular = "You have %(counter)s active personal API token."
    plural = "You have %(counter)s active personal API tokens."
    try:
        return ngettext(singular, plural, count) % data
    except (KeyError, ValueError):
        with override(None):
            return ngettext(singular, plural, count) % data


@register.simple_tag(takes_context=True)
def api_tokens_account_section(context, user) -> SafeString:
    """What the former apikeys/_account_section.html printed on "My account", character for character (a test
    compares them: accounts/tests/test_account_markup.py): the number of the person's usable tokens and the link
    to their list, without the template's translation, counting and URL nodes."""
    url = conditional_escape(reverse_memoised("apikeys:list", current_app=current_app(context)))
    return mark_safe(  # noqa: S308 (the translation as blocktranslate leaves it, every value escaped)
        f"\n<p>{_tokens_text(api_token_usable_count(actor=user))}\n"
        f'<a href="{url}">{conditional_escape(gettext("Manage API tokens"))}</a></p>\n')
