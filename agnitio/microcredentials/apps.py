from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MicrocredentialsConfig(AppConfig):
    name = "agnitio.microcredentials"
    label = "microcredentials"
    verbose_name = _("Micro-credentials")

    def ready(self):
        from agnitio.credentials.samples import sample_maker_register
        from agnitio.documents.jobs import JobHandler, job_handler_register

        from . import rules  # noqa: F401 - registers the named permissions
        from .services.awards import AWARD_JOB, award_job_item_process, award_job_may_manage, award_sample

        # Bulk issuing runs as a job of the documents engine: one award's credential per item.
        job_handler_register(JobHandler(name=AWARD_JOB, process=award_job_item_process,
                                        may_manage=award_job_may_manage))
        # `manage.py credential_sample --kind microcredential` issues through this app's own path.
        sample_maker_register("microcredential", award_sample)

        # The person's awards, feedback and recognition requests in their data download and account erasure.
        from agnitio.core.privacy_registry import privacy_handler_register

        from .privacy import SECTION, microcredentials_erase, microcredentials_export

        privacy_handler_register(name=SECTION, export=microcredentials_export, erase=microcredentials_erase)
