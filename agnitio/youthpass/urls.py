from django.urls import path

from . import views

app_name = "youthpass"

urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("new/", views.project_create, name="project_create"),
    path("import-example.xlsx", views.import_example, name="import_example"),
    path("p/<str:pid>/", views.project_detail, name="project_detail"),
    path("p/<str:pid>/edit/", views.project_edit, name="project_edit"),
    path("p/<str:pid>/delete/", views.project_delete, name="project_delete"),
    path("p/<str:pid>/partners/add/", views.partner_add, name="partner_add"),
    path("p/<str:pid>/partners/<str:partner_id>/remove/", views.partner_remove, name="partner_remove"),
    path("p/<str:pid>/editors/", views.editor_list, name="editor_list"),
    path("p/<str:pid>/editors/<str:editor_id>/revoke/", views.editor_revoke, name="editor_revoke"),
    path("p/<str:pid>/activities/new/", views.activity_form, name="activity_create"),
    path("p/<str:pid>/activities/<str:aid>/", views.activity_form, name="activity_edit"),
    path("p/<str:pid>/activities/<str:aid>/delete/", views.activity_delete, name="activity_delete"),
    path("p/<str:pid>/participants/", views.participant_list, name="participant_list"),
    path("p/<str:pid>/participants/new/", views.participant_form, name="participant_create"),
    path("p/<str:pid>/participants/export.xlsx", views.participant_export, name="participant_export"),
    path("p/<str:pid>/participants/import/", views.import_upload, name="import_upload"),
    path("p/<str:pid>/participants/import/<str:iid>/", views.import_map, name="import_map"),
    path("p/<str:pid>/participants/<str:ppid>/", views.participant_detail, name="participant_detail"),
    path("p/<str:pid>/participants/<str:ppid>/edit/", views.participant_form, name="participant_edit"),
    path("p/<str:pid>/participants/<str:ppid>/reopen/", views.outcomes_reopen, name="outcomes_reopen"),
    path("p/<str:pid>/participants/<str:ppid>/preview.pdf", views.certificate_preview, name="certificate_preview"),
    path("p/<str:pid>/participants/<str:ppid>/issue/", views.certificate_issue, name="certificate_issue"),
    path("p/<str:pid>/participants/<str:ppid>/certificate.pdf", views.certificate_download,
         name="certificate_download"),
    path("p/<str:pid>/certificates/issue/", views.batch_start, name="batch_start"),
    path("p/<str:pid>/certificates/batches/<str:bid>/", views.batch_detail, name="batch_detail"),
    path("p/<str:pid>/certificates.zip", views.certificates_zip, name="certificates_zip"),
    path("p/<str:pid>/finalise/", views.project_finalise, name="project_finalise"),
    path("p/<str:pid>/reminders/", views.reminder_list, name="reminder_list"),
    path("editor-invitation/<str:token>/", views.editor_invitation, name="editor_invitation"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("me/<str:ppid>/", views.learner_data, name="learner_data"),
    path("me/<str:ppid>/outcomes/", views.learner_outcomes, name="learner_outcomes"),
    path("me/<str:ppid>/outcomes/draft/", views.learner_outcomes_draft, name="learner_outcomes_draft"),
]
