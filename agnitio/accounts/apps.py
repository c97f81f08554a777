from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "agnitio.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import receivers

        receivers.connect()
