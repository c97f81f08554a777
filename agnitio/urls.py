from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from agnitio.api import api

urlpatterns = [
    path("", include("agnitio.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("account/", include("agnitio.accounts.urls")),
    path("organisations/", include("agnitio.organisations.urls")),
    path("notifications/", include("agnitio.notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
