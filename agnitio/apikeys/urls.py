from django.urls import path

from . import views

app_name = "apikeys"

urlpatterns = [
    path("", views.token_list, name="list"),
    path("<str:public_id>/revoke", views.token_revoke, name="revoke"),
]
