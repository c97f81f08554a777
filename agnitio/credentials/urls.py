from django.urls import path

from . import views

app_name = "credentials"

urlpatterns = [
    path(".well-known/did.json", views.platform_did, name="platform_did"),
    path("issuers/<str:org>/did.json", views.organisation_did, name="organisation_did"),
    path("issuers/<str:org>/profile", views.issuer_profile, name="issuer_profile"),
    path("issuers/<str:org>/status/<str:purpose>", views.status_list, name="status_list"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>", views.verify_code, name="verify_code"),
    path("credentials/issue", views.vc_api_issue, name="vc_api_issue"),
    path("credentials/verify", views.vc_api_verify, name="vc_api_verify"),
    path("presentations/verify", views.vc_api_presentation_verify, name="vc_api_presentation_verify"),
    path("credentials/organisation/<str:org>/", views.issued_list, name="issued_list"),
    path("credentials/organisation/<str:org>/keys/rotate", views.key_rotate, name="key_rotate"),
    path("credentials/<str:public_id>/revoke", views.issued_revoke, name="issued_revoke"),
    path("credentials/<str:public_id>/credential.json", views.issued_json, name="issued_json"),
    path("credentials/<str:public_id>/edc.jsonld", views.issued_edc, name="issued_edc"),
    path("credentials/<str:public_id>/document.pdf", views.issued_pdf, name="issued_pdf"),
    path("wallet/", views.wallet, name="wallet"),
    path("wallet/export.zip", views.wallet_export, name="wallet_export"),
    path("wallet/store", views.wallet_store, name="wallet_store"),
    path("wallet/received/<str:public_id>/delete", views.wallet_item_delete, name="wallet_item_delete"),
    path("wallet/offer/<str:public_id>/<str:decision>", views.wallet_offer_decide, name="wallet_offer_decide"),
    path("wallet/<str:public_id>/", views.wallet_detail, name="wallet_detail"),
    path("wallet/<str:public_id>/credential.json", views.wallet_json, name="wallet_json"),
    path("wallet/<str:public_id>/document.pdf", views.wallet_pdf, name="wallet_pdf"),
    path("wallet/<str:public_id>/share", views.share_create, name="share_create"),
    path("wallet/share/<str:public_id>/revoke", views.share_revoke, name="share_revoke"),
    path("shared/<str:token>", views.shared, name="shared"),
    path("shared/<str:token>/credential.json", views.shared_json, name="shared_json"),
    path("shared/<str:token>/document.pdf", views.shared_pdf, name="shared_pdf"),
]
