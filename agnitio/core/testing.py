"""Helpers for tests."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def shared_dir() -> Path:
    """The project's shared reference data: `../shared` beside the project directory (`BASE_DIR`).
    `AGNITIO_SHARED_DIR` points elsewhere, e.g. from a git worktree that does not sit beside it."""
    return Path(os.environ.get("AGNITIO_SHARED_DIR") or Path(settings.BASE_DIR).parent / "shared")
