import re
import shutil
import subprocess

import pytest

BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:  # `make test` installs poppler-utils; failing loudly beats a silent skip
        pytest.fail(f"{tool} is missing: install Debian's poppler-utils (make system-deps)")
    return path


def pdf_text(pdf: bytes, *, page: int | None = None) -> str:
    """The PDF's text as poppler's pdftotext extracts it, without bidi control marks."""
    args = [_need("pdftotext"), "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    out = subprocess.run([*args, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return BIDI_CONTROLS.sub("", out)


def pdf_info(pdf: bytes) -> str:
    return subprocess.run([_need("pdfinfo"), "-"], input=pdf, capture_output=True, check=True).stdout.decode()


@pytest.fixture
def pdftext():
    return pdf_text
