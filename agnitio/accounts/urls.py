from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account_detail, name="detail"),
    path("language/", views.set_language, name="set_language"),
    path("session/keep-alive/", views.keep_alive, name="keep_alive"),
    path("data/export/", views.data_export, name="data_export"),
    path("data/erase/", views.erase, name="erase"),
]

# Mounted under accounts/ before allauth's own URLs (agnitio/urls.py): the sign-up page with our limits.
signup_urlpatterns = [
    path("signup/", views.signup, name="account_signup"),
]
