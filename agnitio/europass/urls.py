from django.urls import path

from .views import applications, documents, institutions, issue, nec

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
    path("documents/<str:did>/<str:section>/", documents.document_section, name="document_section"),
    path("group-programmes/new/", documents.group_programme_form, name="group_programme_create"),
    path("group-programmes/<str:gid>/", documents.group_programme_form, name="group_programme_edit"),
]
