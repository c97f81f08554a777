from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "agnitio.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import db, emails  # noqa: F401 - the compiled timestamptz loader; the `__lower` lookup e-mail uses
