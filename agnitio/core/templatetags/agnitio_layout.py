"""Tags of the page layout (base.html)."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import get_language_info

register = template.Library()


@lru_cache(maxsize=1)
def _language_options() -> tuple[tuple[str, str], ...]:
    return tuple((code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES)


@receiver(setting_changed, dispatch_uid="agnitio-layout-languages")
def _forget(*, setting, **kwargs) -> None:
    if setting == "LANGUAGES":
        _language_options.cache_clear()


@register.simple_tag
def language_options() -> tuple[tuple[str, str], ...]:
    """(code, name in that language) of every language of the site, for the language switch — what
    `{% get_available_languages %}{% get_language_info_list %}` give, worked out once per process (they do not depend
    on the request or the active language)."""
    return _language_options()
