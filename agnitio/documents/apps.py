from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "agnitio.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from agnitio.core.keystore import key_field_register

        from . import services
        from .jobs import RENDER, JobHandler, job_handler_register

        key_field_register("documents.SealAuthority", field="private_key_encrypted", purpose=_ca_purpose)
        key_field_register("documents.OrganisationSeal", field="private_key_encrypted", purpose=_seal_purpose)
        job_handler_register(JobHandler(name=RENDER, process=services.job_item_render,
                                        may_manage=services.render_job_may_manage, makes_files=True))


def _ca_purpose(row) -> str:
    from .seal import _purpose

    return _purpose("ca", row.name)


def _seal_purpose(row) -> str:
    from .seal import _purpose

    return _purpose("org", row.fingerprint_sha256)
