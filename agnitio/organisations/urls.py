from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("switch/", views.organisation_switch, name="switch"),
    # Links e-mailed before the invitations app: same token, one page (invitations:accept).
    path("invitations/<str:token>/", RedirectView.as_view(pattern_name="invitations:accept", query_string=True),
         name="invitation"),
    path("<str:public_id>/", views.organisation_detail, name="detail"),
    path("<str:public_id>/edit/", views.organisation_edit, name="edit"),
    path("<str:public_id>/logo/", views.organisation_logo, name="logo"),
    path("<str:public_id>/members/", views.member_list, name="members"),
    path("<str:public_id>/members/invite/", views.invitation_create, name="invite"),
    path("<str:public_id>/members/<str:membership_id>/role/", views.member_role, name="member_role"),
    path("<str:public_id>/members/<str:membership_id>/revoke/", views.member_revoke, name="member_revoke"),
    path("<str:public_id>/signatories/", views.signatory_list, name="signatories"),
    path("<str:public_id>/signatories/new/", views.signatory_edit, name="signatory_create"),
    path("<str:public_id>/signatories/<str:signatory_id>/", views.signatory_edit, name="signatory_edit"),
    path("<str:public_id>/signatories/<str:signatory_id>/delete/", views.signatory_delete, name="signatory_delete"),
    path("<str:public_id>/signatures/", views.signature_list, name="signatures"),
    path("<str:public_id>/signatures/upload/", views.signature_upload, name="signature_upload"),
    path("<str:public_id>/signatures/<str:signature_id>/", views.signature_detail, name="signature"),
    path("<str:public_id>/signatures/<str:signature_id>/delete/", views.signature_delete, name="signature_delete"),
    path("<str:public_id>/signatures/<str:signature_id>/<str:variant>.png", views.signature_file,
         name="signature_file"),
    path("<str:public_id>/history/", views.audit_list, name="history"),
]
