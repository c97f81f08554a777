from django.urls import path
from django.views.generic import RedirectView

from .views import activities, certificates, help, imports, learner, participants, projects, supervisors

app_name = "youthpass"

OLD_INVITATION_LINK = RedirectView.as_view(pattern_name="invitations:accept", query_string=True)

urlpatterns = [
    path("", projects.project_list, name="project_list"),
    path("new/", projects.project_create, name="project_create"),
    path("import-example.xlsx", imports.import_example, name="import_example"),
    path("p/<str:pid>/", projects.project_detail, name="project_detail"),
    path("p/<str:pid>/edit/", projects.project_edit, name="project_edit"),
    path("p/<str:pid>/delete/", projects.project_delete, name="project_delete"),
    path("p/<str:pid>/partners/add/", projects.partner_add, name="partner_add"),
    path("p/<str:pid>/partners/<str:partner_id>/remove/", projects.partner_remove, name="partner_remove"),
    path("p/<str:pid>/editors/", projects.editor_list, name="editor_list"),
    path("p/<str:pid>/editors/<str:editor_id>/revoke/", projects.editor_revoke, name="editor_revoke"),
    path("p/<str:pid>/activities/new/", activities.activity_form, name="activity_create"),
    path("p/<str:pid>/activities/<str:aid>/", activities.activity_form, name="activity_edit"),
    path("p/<str:pid>/activities/<str:aid>/delete/", activities.activity_delete, name="activity_delete"),
    path("p/<str:pid>/participants/", participants.participant_list, name="participant_list"),
    path("p/<str:pid>/participants/new/", participants.participant_form, name="participant_create"),
    path("p/<str:pid>/participants/export.xlsx", participants.participant_export, name="participant_export"),
    path("p/<str:pid>/participants/import/", imports.import_upload, name="import_upload"),
    path("p/<str:pid>/participants/import/<str:iid>/", imports.import_map, name="import_map"),
    path("p/<str:pid>/participants/import/<str:iid>/rows-to-fix.xlsx", imports.import_rejected,
         name="import_rejected"),
    path("p/<str:pid>/participants/<str:ppid>/", participants.participant_detail, name="participant_detail"),
    path("p/<str:pid>/participants/<str:ppid>/edit/", participants.participant_form, name="participant_edit"),
    path("p/<str:pid>/participants/<str:ppid>/reopen/", participants.outcomes_reopen, name="outcomes_reopen"),
    path("p/<str:pid>/participants/<str:ppid>/outcomes-on-behalf/", participants.outcomes_on_behalf,
         name="outcomes_on_behalf"),
    path("p/<str:pid>/participants/<str:ppid>/confirm-data-on-behalf/", participants.data_confirm_on_behalf,
         name="data_confirm_on_behalf"),
    path("p/<str:pid>/participants/<str:ppid>/supervisor/", supervisors.supervisor_invite, name="supervisor_invite"),
    path("p/<str:pid>/participants/<str:ppid>/preview.pdf", certificates.certificate_preview,
         name="certificate_preview"),
    path("p/<str:pid>/participants/<str:ppid>/issue/", certificates.certificate_issue, name="certificate_issue"),
    path("p/<str:pid>/participants/<str:ppid>/certificate.pdf", certificates.certificate_download,
         name="certificate_download"),
    path("p/<str:pid>/certificates/issue/", certificates.batch_start, name="batch_start"),
    path("p/<str:pid>/certificates/batches/<str:bid>/", certificates.batch_detail, name="batch_detail"),
    path("p/<str:pid>/certificates.zip", certificates.certificates_zip, name="certificates_zip"),
    path("p/<str:pid>/finalise/", projects.project_finalise, name="project_finalise"),
    path("p/<str:pid>/reminders/", projects.reminder_list, name="reminder_list"),
    path("p/<str:pid>/organiser-reminders/", projects.organiser_reminders_update, name="organiser_reminders"),
    # Links e-mailed before the one invitation mechanism (issue 10) keep working: the token is the same.
    path("editor-invitation/<str:token>/", OLD_INVITATION_LINK, name="editor_invitation"),
    path("invitation/<str:token>/", OLD_INVITATION_LINK, name="invitation"),
    path("supervisor/<str:token>/", OLD_INVITATION_LINK, name="supervisor_invitation"),
    path("assess/<str:ppid>/", supervisors.supervisor_assess, name="supervisor_assess"),
    path("me/<str:ppid>/", learner.learner_data, name="learner_data"),
    path("me/<str:ppid>/outcomes/", learner.learner_outcomes, name="learner_outcomes"),
    path("me/<str:ppid>/outcomes/draft/", learner.learner_outcomes_draft, name="learner_outcomes_draft"),
    path("me/<str:ppid>/journal/", learner.learner_journal, name="learner_journal"),
    path("me/<str:ppid>/journal/<str:kind>/<str:eid>/", learner.learner_journal_entry, name="learner_journal_entry"),
]

# The public help pages, mounted under /help/ (namespace "help") by agnitio/urls.py.
help_urlpatterns = (
    [
        path("youthpass/organisers/", help.organisers, name="youthpass_organisers"),
        path("youthpass/participants/", help.participants, name="youthpass_participants"),
        path("youthpass/sample-certificate.pdf", help.sample_certificate, name="youthpass_sample"),
    ],
    "help",
)
