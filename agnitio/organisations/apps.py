from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "agnitio.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from agnitio.invitations import kinds

        from .invitation_kinds import MEMBER_KIND

        kinds.register(MEMBER_KIND)
