from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<str:public_id>/", views.job_detail, name="job_detail"),
    path("jobs/<str:public_id>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<str:public_id>/download/", views.job_download, name="job_download"),
    path("jobs/<str:public_id>/documents/<int:number>/", views.job_item_download, name="job_item_download"),
    path("jobs/<str:public_id>/resume/", views.job_resume, name="job_resume"),
    path("seal/", views.seal_detail, name="seal"),
    path("seal/reset/", views.seal_reset, name="seal_reset"),
    path("seal/ca.pem", views.ca_certificate, name="ca_certificate"),
]
