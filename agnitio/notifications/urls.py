from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.outbox_list, name="outbox"),
    path("<str:public_id>/retry/", views.outbox_retry, name="retry"),
]
