"""Typst rendering: data in as JSON (`sys.inputs.data`), PDF bytes out.

User text reaches a template only as JSON string values that the template places as content; it is never
evaluated as Typst markup, so `#import`, `*`, `$`, `[`, `]`, `<`, back-slashes and any script print literally.

Fonts: Libertinus Serif (embedded in the `typst` package) for text, and Noto Emoji (OFL, shipped in `fonts/`)
as a fallback; system fonts are ignored, so a document looks the same on any machine.

Images (logo, signatures, stamps) are passed as bytes; they are written once into a per-process workspace under
a content hash and the template gets only that name. The QR code is an SVG string made by segno.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import shutil
import tempfile
import threading
from pathlib import Path

import segno
import typst
from django.utils import formats, translation

APP_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = APP_DIR / "typst"
FONTS_DIR = APP_DIR / "fonts"

_state: dict = {}
_lock = threading.Lock()


class RenderError(Exception):
    """The template failed to render the data (message from Typst)."""


def _workspace() -> Path:
    """A per-process directory holding the templates and the images of the documents rendered so far."""
    ws = _state.get("workspace")
    if ws is None:
        ws = Path(tempfile.mkdtemp(prefix="agnitio-typst-"))
        shutil.copytree(TEMPLATES_DIR, ws, dirs_exist_ok=True)
        (ws / "img").mkdir(exist_ok=True)
        _state["workspace"] = ws
    return ws


def _compiler(template: str) -> typst.Compiler:
    key = ("compiler", template)
    compiler = _state.get(key)
    if compiler is None:
        ws = _workspace()
        compiler = typst.Compiler(
            input=str(ws / template), root=str(ws), font_paths=[str(FONTS_DIR)], ignore_system_fonts=True,
        )
        _state[key] = compiler
    return compiler


_IMAGE_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg", b"GIF8": "gif"}


def image_ref(value) -> str | None:
    """Store image bytes (or a Django file) in the workspace; return the name the template loads, or None."""
    if not value:
        return None
    if isinstance(value, dict) and set(value) == {"$bytes"}:  # how bytes travel in JSON (bulk-job items)
        value = base64.b64decode(value["$bytes"], validate=True)
    elif isinstance(value, dict) and set(value) == {"storage"}:  # a file in Django's storage, by name
        from django.core.files.storage import default_storage

        with default_storage.open(value["storage"], "rb") as fh:
            value = fh.read()
    elif hasattr(value, "open") and hasattr(value, "read"):
        with value.open("rb") as fh:
            value = fh.read()
    if not isinstance(value, bytes | bytearray):
        raise ValueError("Images must be given as bytes, a file, {\"$bytes\": base64} or {\"storage\": name}.")
    data = bytes(value)
    ext = next((e for magic, e in _IMAGE_SIGNATURES.items() if data.startswith(magic)), None)
    if ext is None:
        head = data[:512].lstrip().lower()
        if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:2048].lower()):
            ext = "svg"
        else:
            raise ValueError("Unsupported image format (use PNG, JPEG, GIF or SVG).")
    name = f"img/{hashlib.sha256(data).hexdigest()}.{ext}"
    path = _workspace() / name
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return "/" + name


def qr_svg(url: str) -> str:
    """The QR code (SVG) of a verification address. Mask pattern 0 is fixed: every reader decodes any of the eight
    masks, and skipping segno's pure-Python mask scoring makes this ~4x faster (it was a third of a render)."""
    return segno.make(url, error="m", micro=False, mask=0, boost_error=False).svg_inline(
        dark="#1b2a4a", border=0, omitsize=True)


def _format_date(value, lang: str) -> str:
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    with translation.override(lang):
        return formats.date_format(value, "DATE_FORMAT")


def localised_dates(value, languages: list[str]) -> dict[str, str] | None:
    """A date (ISO string or date) formatted for each document language."""
    if not value:
        return None
    return {lang: _format_date(value, lang) for lang in languages}


def compile_pdf(*, template: str, payload: dict, timestamp: datetime.datetime | None = None) -> bytes:
    """Compile a template with `payload` as `sys.inputs.data` (JSON). One compiler per process and template."""
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)
    with _lock:
        compiler = _compiler(template)
        try:
            return compiler.compile(sys_inputs={"data": data}, format="pdf", timestamp=timestamp)
        except RuntimeError as exc:  # typst.TypstError is a RuntimeError
            raise RenderError(str(getattr(exc, "message", exc))) from exc
