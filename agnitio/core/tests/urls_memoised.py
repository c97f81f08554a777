"""URLs for agnitio/core/tests/test_url_tag.py: language-prefixed and translated paths, a namespace installed
twice (current_app)."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _


def view(request, **kwargs):
    return HttpResponse("")


_app = ([path("item/<str:code>/", view, name="item")], "shared")

urlpatterns = [
    path("plain/<int:number>/", view, name="plain"),
    path("first/", include(_app, namespace="first")),
    path("second/", include(_app, namespace="second")),
    *i18n_patterns(path(_("Home"), view, name="translated")),  # a msgid the catalogues translate,
]
