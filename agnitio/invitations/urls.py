from django.urls import path

from . import views

app_name = "invitations"

urlpatterns = [
    path("manage/<str:public_id>/<str:action>/", views.invitation_manage, name="manage"),
    path("<str:token>/", views.invitation_accept, name="accept"),
]
