from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YouthpassConfig(AppConfig):
    name = "agnitio.youthpass"
    label = "youthpass"
    verbose_name = _("Youthpass")

    def ready(self):
        from agnitio.invitations import kinds

        from .invitation_kinds import KINDS

        for kind in KINDS:
            kinds.register(kind)
