from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EuropassConfig(AppConfig):
    name = "agnitio.europass"
    label = "europass"
    verbose_name = _("Europass Mobility")

    def ready(self):
        from agnitio.documents.europass import europass_sample_source_register
        from agnitio.documents.jobs import JobHandler, job_handler_register
        from agnitio.invitations import kinds

        from .access_invitation_kinds import KINDS as ACCESS_KINDS
        from .invitation_kinds import KINDS
        from .sample import europass_sample_document
        from .services.bulk import DOCUMENTS_JOB, documents_job_item_process, documents_job_may_manage

        # Bulk generation for a whole application runs as a job of the documents engine: one document per item.
        job_handler_register(JobHandler(name=DOCUMENTS_JOB, process=documents_job_item_process,
                                        may_manage=documents_job_may_manage))
        # document_sample / credential_sample make their Europass documents through this app's real data path.
        europass_sample_source_register(europass_sample_document)

        for kind in (*KINDS, *ACCESS_KINDS):
            kinds.register(kind)

        # The person's documents, access and host signatures in their data download and account erasure.
        from agnitio.core.privacy_registry import privacy_handler_register

        from .privacy import SECTION, europass_erase, europass_export

        privacy_handler_register(name=SECTION, export=europass_export, erase=europass_erase)
