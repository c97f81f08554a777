"""Writes about Europass mobility: institutions, applications and the NEC's decisions, documents.

Every function checks the actor's right itself, runs in one transaction (or, where a number is allocated, in short
ones of its own) and records an audit event."""

from .applications import (
    application_approve,
    application_create,
    application_folders_mark_sent,
    application_reject,
    first_allowed_date,
    tryout_purge,
)
from .bulk import BulkStart, application_documents_generate
from .documents import (
    certificate_create_from_agreement,
    document_ka1_create,
    document_photo_set,
    document_section_update,
    group_programme_create,
    group_programme_update,
)
from .institutions import (
    institution_register,
    institution_registration_confirm,
    institution_registration_resend,
    institution_update,
    institution_user_invite,
    institution_user_remove,
    national_centre_create,
)
from .issue import DocumentIncomplete, document_certificate_issue, document_pdf_render, missing_as_data

__all__ = [
    "BulkStart", "application_documents_generate", "DocumentIncomplete", "document_certificate_issue",
    "document_pdf_render", "missing_as_data",
    "application_approve", "application_create", "application_folders_mark_sent", "application_reject",
    "certificate_create_from_agreement", "document_ka1_create", "document_photo_set", "document_section_update",
    "first_allowed_date", "group_programme_create", "group_programme_update", "institution_register",
    "institution_registration_confirm", "institution_registration_resend", "institution_update",
    "institution_user_invite", "institution_user_remove", "national_centre_create", "tryout_purge",
]
