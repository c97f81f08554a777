from django.urls import path

from .views import help as views

app_name = "help"

urlpatterns = [
    path("youthpass/organisers/", views.organisers, name="youthpass_organisers"),
    path("youthpass/participants/", views.participants, name="youthpass_participants"),
    path("youthpass/sample-certificate.pdf", views.sample_certificate, name="youthpass_sample"),
]
