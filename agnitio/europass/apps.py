from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EuropassConfig(AppConfig):
    name = "agnitio.europass"
    label = "europass"
    verbose_name = _("Europass Mobility")

    def ready(self):
        from agnitio.documents.jobs import JobHandler, job_handler_register
        from agnitio.invitations import kinds

        from .invitation_kinds import KINDS
        from .services.bulk import DOCUMENTS_JOB, documents_job_item_process, documents_job_may_manage

        # Bulk generation for a whole application runs as a job of the documents engine: one document per item.
        job_handler_register(JobHandler(name=DOCUMENTS_JOB, process=documents_job_item_process,
                                        may_manage=documents_job_may_manage))

        for kind in KINDS:
            kinds.register(kind)
