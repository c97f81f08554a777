"""Absolute addresses of public catalogue pages (used in credentials, JSON-LD and datasets)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def catalogue_entry_url(specification) -> str:
    return absolute(reverse("microcredentials:catalogue_detail", args=[specification.public_id]))


def catalogue_entry_jsonld_url(specification) -> str:
    return absolute(reverse("microcredentials:catalogue_jsonld", args=[specification.public_id]))


def provider_url(organisation) -> str:
    return absolute(reverse("microcredentials:provider_detail", args=[organisation.public_id]))


def provider_dataset_url(organisation) -> str:
    return absolute(reverse("microcredentials:provider_dataset", args=[organisation.public_id]))
