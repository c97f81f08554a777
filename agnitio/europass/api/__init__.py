"""JSON API for Europass Mobility: the own institution, applications (and the NEC's decisions), documents with
their missing-fields list. Authentication and error bodies come from `agnitio.api`, which mounts `router`."""

from __future__ import annotations

from ninja import Router

from . import access, applications, documents, institutions, issue

router = Router(tags=["europass"])
for resource in (institutions, applications, documents, access, issue):
    router.add_router("", resource.router)
