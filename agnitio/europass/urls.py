from django.urls import path

from .views import access, applications, copy, documents, institutions, issue, nec, signatures

app_name = "europass"

urlpatterns = [
    path("", institutions.next_steps, name="next_steps"),
    path("register/", institutions.register, name="register"),
    path("register/resend/", institutions.register_resend, name="register_resend"),
    path("register/confirm/<str:token>/", institutions.register_confirm, name="register_confirm"),
    path("institution/", institutions.institution_detail, name="institution_detail"),
    path("institution/edit/", institutions.institution_edit, name="institution_edit"),
    path("institution/users/<str:uid>/remove/", institutions.institution_user_remove, name="institution_user_remove"),
    path("applications/", applications.application_list, name="application_list"),
    path("applications/new/", applications.application_create, name="application_create"),
    path("applications/<str:aid>/", applications.application_detail, name="application_detail"),
    path("nec/", nec.nec_queue, name="nec_queue"),
    path("nec/applications/<str:aid>/decide/", nec.application_decide, name="application_decide"),
    path("nec/folders/", nec.folder_queue, name="folder_queue"),
    path("nec/folders/<str:aid>/sent/", nec.folders_mark_sent, name="folders_mark_sent"),
    path("documents/", documents.document_list, name="document_list"),
    path("documents/ka1/", documents.document_ka1_create, name="document_ka1_create"),
    path("documents/<str:did>/", documents.document_detail, name="document_detail"),
    path("applications/<str:aid>/generate/", issue.application_generate, name="application_generate"),
    path("applications/<str:aid>/generate/<str:jid>/", issue.application_job, name="application_job"),
    path("documents/<str:did>/pdf/", issue.document_pdf, name="document_pdf"),
    path("documents/<str:did>/issue/", issue.document_issue, name="document_issue"),
    path("documents/<str:did>/certificate/", documents.certificate_create, name="certificate_create"),
    # issue 12, points 7-10 (before the section pattern, which would take these names as sections)
    path("documents/<str:did>/access/", access.document_access, name="document_access"),
    path("documents/<str:did>/access/<str:gid>/block/", access.document_access_block, name="document_access_block"),
    path("documents/<str:did>/copy/<str:section>/", copy.document_copy, name="document_copy"),
    path("documents/<str:did>/signature/", signatures.document_signature, name="document_signature"),
    path("applications/<str:aid>/access/", access.application_access, name="application_access"),
    path("shared/", access.shared_document_list, name="shared_document_list"),
    path("shared/signatures/", signatures.host_signature_list, name="host_signatures"),
    path("shared/signatures/<str:sid>/", signatures.host_signature, name="host_signature"),
    path("shared/signatures/<str:sid>/delete/", signatures.host_signature_delete, name="host_signature_delete"),
    path("shared/signatures/<str:sid>/<str:variant>.png", signatures.host_signature_file,
         name="host_signature_file"),
    path("shared/<str:did>/", access.shared_document_detail, name="shared_document_detail"),
    path("shared/<str:did>/signature/", signatures.shared_document_signature, name="shared_document_signature"),
    path("shared/<str:did>/<str:section>/", access.shared_document_section, name="shared_document_section"),
    path("documents/<str:did>/<str:section>/", documents.document_section, name="document_section"),
    path("group-programmes/new/", documents.group_programme_form, name="group_programme_create"),
    path("group-programmes/<str:gid>/", documents.group_programme_form, name="group_programme_edit"),
]
