from django.conf import settings


def site(request):
    return {
        "SITE_URL": settings.SITE_URL,
        "SESSION_IDLE_SECONDS": settings.SESSION_IDLE_SECONDS,
    }
