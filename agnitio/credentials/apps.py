from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "agnitio.credentials"
    verbose_name = _("Credentials")

    def ready(self):
        from agnitio.core.keystore import key_field_register

        from .signing.keys import PURPOSE

        key_field_register("credentials.IssuerKey", field="private_key_encrypted", purpose=lambda row: PURPOSE)
