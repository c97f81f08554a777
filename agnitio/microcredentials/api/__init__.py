"""JSON API for micro-credentials, one module per resource: specifications (describe, publish, versions), the
public catalogue (read-only, no account, throttled for anonymous clients) and awards (one learner, many learners as
data or as a spreadsheet, each with per-row errors). `agnitio.api` mounts `router` and `catalogue_router`."""

from __future__ import annotations

from ninja import Router

from . import awards, catalogue, feedback, recognition, specifications, stacking

router = Router(tags=["micro-credentials"])
for resource in (specifications, awards, feedback, stacking, recognition):
    router.add_router("", resource.router)
catalogue_router = catalogue.router
