from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EuropassConfig(AppConfig):
    name = "agnitio.europass"
    label = "europass"
    verbose_name = _("Europass Mobility")

    def ready(self):
        from agnitio.invitations import kinds

        from .invitation_kinds import KINDS

        for kind in KINDS:
            kinds.register(kind)
