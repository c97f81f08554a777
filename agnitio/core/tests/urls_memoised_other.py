"""The same URL name as agnitio/core/tests/urls_memoised.py, at another path."""

from django.urls import path

from .urls_memoised import view

urlpatterns = [path("elsewhere/<int:number>/", view, name="plain")]
