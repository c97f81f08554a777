from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YouthpassConfig(AppConfig):
    name = "agnitio.youthpass"
    label = "youthpass"
    verbose_name = _("Youthpass")

    def ready(self):
        from agnitio.documents.jobs import JobHandler, job_handler_register
        from agnitio.invitations import kinds

        from .invitation_kinds import KINDS
        from .services.certificates import CERTIFICATE_JOB, certificate_job_item_process, certificate_job_may_manage

        # Certificate batches run as jobs of the documents engine: one participant's certificate per item.
        job_handler_register(JobHandler(name=CERTIFICATE_JOB, process=certificate_job_item_process,
                                        may_manage=certificate_job_may_manage))
        # Editors, participants and supervisors are invited through the one invitations app.
        for kind in KINDS:
            kinds.register(kind)
