"""Assembles the JSON API (django-ninja) from each app's api.py router."""

from ninja import NinjaAPI

api = NinjaAPI(title="Agnitio API", version="1", urls_namespace="api")
