"""Django's `static` template library (registered under that name in TEMPLATES OPTIONS "libraries", so every
`{% load static %}` loads it), with `{% static %}` remembering each path's URL per process.

Django's tag asks the app registry whether staticfiles is installed and the storage for the URL on every render
(half a dozen per page, each tens of microseconds; with the manifest storage of production, a manifest look-up as
well). The URL of a file on this site's static storage depends only on its name, the storage and its settings, which
do not change while a process runs: the cache is kept only for the storages of django.contrib.staticfiles
(StaticFilesStorage and its manifest variants, whitenoise's included) and emptied whenever a setting it depends on
changes (tests' override_settings). A path that is not plain text, or a storage whose URLs may vary (e.g. signed),
goes to Django's code every time.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags import static as django_static
from django.utils.safestring import SafeString

register = template.Library()
register.tags.update(django_static.register.tags)
register.filters.update(django_static.register.filters)

CACHE_SIZE = 512  # static files this site's templates name: a few dozen
SETTINGS = frozenset({"STATIC_URL", "STATIC_ROOT", "STATICFILES_DIRS", "STORAGES", "INSTALLED_APPS", "DEBUG",
                      "FORCE_SCRIPT_NAME"})


@lru_cache(maxsize=1)
def _memoisable() -> bool:
    from django.apps import apps

    if not apps.is_installed("django.contrib.staticfiles"):
        return False
    from django.contrib.staticfiles.storage import StaticFilesStorage, staticfiles_storage

    return isinstance(staticfiles_storage, StaticFilesStorage)


@lru_cache(maxsize=CACHE_SIZE)
def _static_url(path: str) -> str:
    return django_static.StaticNode.handle_simple(path)


def static_url(path) -> str:
    """Django's `static(path)`, remembered for plain paths on the staticfiles storages."""
    if type(path) in (str, SafeString) and _memoisable():
        return _static_url(path)
    return django_static.StaticNode.handle_simple(path)


@receiver(setting_changed, dispatch_uid="agnitio-static-url-cache")
def _forget(*, setting, **kwargs) -> None:
    if setting in SETTINGS:
        _memoisable.cache_clear()
        _static_url.cache_clear()


static_url.cache_info = _static_url.cache_info  # type: ignore[attr-defined]


class MemoisedStaticNode(django_static.StaticNode):
    def url(self, context):
        return static_url(self.path.resolve(context))


@register.tag("static")
def do_static(parser, token):
    """Django's `{% static path [as varname] %}`, rendered by MemoisedStaticNode."""
    return MemoisedStaticNode.handle_token(parser, token)
