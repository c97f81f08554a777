"""The personal-data export and the account erasure (accounts/privacy.py) reach each app through this registry
instead of importing it: an app registers, in its AppConfig.ready, what it holds about a person (docs/retention.md).

* `export(user) -> (section_name, data, files)`: `data` goes into `personal-data.json` under `section_name`;
  `files` are `(path in the archive, file)` pairs, each file read through the storage API (`file.open("rb")`).
* `erase(user, pseudonym, now) -> files`: runs inside the erasure's transaction, before the account row is
  deleted; returns the `(storage, name)` pairs of files to delete once the erasure is committed (a rollback must
  not leave records without their files)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ExportFiles = list[tuple[str, Any]]
Exporter = Callable[[Any], tuple[str, Any, ExportFiles]]
Eraser = Callable[[Any, str, datetime.datetime], list[tuple[Any, str]]]


@dataclass(frozen=True)
class PrivacyHandler:
    name: str
    export: Exporter
    erase: Eraser


_HANDLERS: dict[str, PrivacyHandler] = {}


def privacy_handler_register(*, name: str, export: Exporter, erase: Eraser) -> None:
    """Register (or replace, so a reloaded app registers once) the handler of one app."""
    _HANDLERS[name] = PrivacyHandler(name=name, export=export, erase=erase)


def privacy_handlers() -> list[PrivacyHandler]:
    return list(_HANDLERS.values())


def iso(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value
