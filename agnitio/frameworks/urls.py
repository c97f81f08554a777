from django.urls import path

from . import views

app_name = "frameworks"

urlpatterns = [
    path("search/", views.esco_search, name="esco_search"),
]
