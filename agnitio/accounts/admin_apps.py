"""The admin app config, apart from apps.py (a module may declare only one default AppConfig)."""

from django.contrib.admin.apps import AdminConfig


class AgnitioAdminConfig(AdminConfig):
    """django.contrib.admin with its default site behind allauth's sign-in and TOTP (admin_site.py)."""

    default_site = "agnitio.accounts.admin_site.AgnitioAdminSite"
