"""Agnitio: recognised, verifiable documents for learning in European mobility and non-formal education."""

from .celery import app as celery_app

__all__ = ["celery_app"]
