"""JSON API for Youthpass: projects, activities, participants (incl. the spreadsheet import), learning outcomes
and certificates, one module per resource. Authentication and error bodies come from `agnitio.api` (API token or
session); `agnitio.api` mounts `router`, which holds the resources' routers in the order of the OpenAPI document."""

from __future__ import annotations

from ninja import Router

from . import activities, certificates, learner, participants, projects

router = Router(tags=["youthpass"])
for resource in (projects, activities, participants, learner, certificates):
    router.add_router("", resource.router)
