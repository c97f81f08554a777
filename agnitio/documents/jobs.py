"""The registry of bulk-job handlers: what the documents job engine does with each item of a job.

The engine (`services.job_create`, `job_enqueue_pending`, `job_item_process`, `job_process_chunk`, `job_finalise`,
`job_resume`, `job_resume_stalled`) owns the rows, the chunking, the idempotence, the progress, the sweep of stalled
jobs and the ZIP. A handler owns one item's work. Documents registers "render" (render and seal one PDF from the
item's data); another app registers its own handler in its `AppConfig.ready`, so documents never imports it::

    job_handler_register(JobHandler(name="youthpass.certificate", process=..., may_manage=...))

`process(*, job, item, done)` does one item's work. It raises `ApplicationError` (recorded as the item's failure
reason) or any other exception (logged; recorded as an unexpected error); otherwise it calls
`done(outcome="", file="")` exactly once, from inside the transaction that records its work if it has one.
`done` marks the item finished only while it is still waiting and raises `JobItemFinishedElsewhere` when a
re-delivered task finished it first, which rolls that transaction back: nothing is done twice.

`may_manage(actor, organisation, scope)` says whether the actor may start, follow and resume such a job
(`scope` is the handler's own key of what the job belongs to, e.g. a project's public id).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

RENDER = "render"


class JobItemFinishedElsewhere(Exception):
    """Raised by `done` when another run of the item finished it first; the caller's transaction is rolled back."""


@dataclass(frozen=True)
class JobHandler:
    name: str
    process: Callable[..., None]
    may_manage: Callable[[Any, Any, str], bool]
    makes_files: bool = False  # True: each done item has a file, and the finished job a ZIP of them


_HANDLERS: dict[str, JobHandler] = {}


def job_handler_register(handler: JobHandler) -> None:
    """Register (or, on a second `ready()`, replace) the handler for jobs whose `handler` is `handler.name`."""
    _HANDLERS[handler.name] = handler


def job_handler_get(name: str) -> JobHandler:
    try:
        return _HANDLERS[name]
    except KeyError:
        raise LookupError(f"No bulk-job handler is registered as {name!r}.") from None
