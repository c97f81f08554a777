from django.contrib import admin
from django.urls import include, path, re_path

from agnitio.accounts.urls import signup_urlpatterns as accounts_signup_urls
from agnitio.api import api
from agnitio.api import not_found as api_not_found
from agnitio.youthpass.urls import help_urlpatterns as youthpass_help_urls

urlpatterns = [
    # First the public verification (page and API: the busiest addresses, issue 14 point 5) — Django tries patterns
    # in order, and trying the hundreds before them cost more than a tenth of a look-up. No other pattern matches
    # their addresses (tests/test_url_order.py), so the order changes nothing else.
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),  # JSON 404 for unknown API addresses
    path("", include("agnitio.credentials.urls")),
    path("", include("agnitio.core.urls")),
    path("accounts/", include(accounts_signup_urls)),  # before allauth's: sign-up limits (accounts.throttle)
    path("accounts/", include("allauth.urls")),
    path("account/api-tokens/", include("agnitio.apikeys.urls")),
    path("account/", include("agnitio.accounts.urls")),
    path("organisations/", include("agnitio.organisations.urls")),
    path("invitations/", include("agnitio.invitations.urls")),
    path("notifications/", include("agnitio.notifications.urls")),
    path("documents/", include("agnitio.documents.urls")),
    path("youthpass/", include("agnitio.youthpass.urls")),
    path("europass/", include("agnitio.europass.urls")),
    path("help/", include(youthpass_help_urls)),
    path("esco/", include("agnitio.frameworks.urls")),
    path("", include("agnitio.microcredentials.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "agnitio.core.views.bad_request"
handler403 = "agnitio.core.views.permission_denied"
handler404 = "agnitio.core.views.page_not_found"
handler500 = "agnitio.core.views.server_error"
handler429 = "agnitio.core.views.too_many_requests"  # allauth's rate limit looks for it here

# MEDIA_ROOT is never served by path (not even with DEBUG): private files only through views that check
# permission, public logos through core's public_media view.
