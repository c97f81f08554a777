"""The youthpass template's layout (issue 11 point 3): three pages for a typical certificate, each part ending with
its own signatures, the seal note in the footer so that no page holds only a notice."""

import re

import pytest

from agnitio.documents.sample import youthpass_sample, youthpass_typical
from agnitio.documents.services import document_render

from .conftest import pdf_info, pdf_text

NOTICE = "This document is sealed electronically by the issuing organisation."


def pages(pdf: bytes) -> int:
    return int(re.search(r"Pages:\s+(\d+)", pdf_info(pdf)).group(1))


def body(text: str) -> str:
    """A page's text without the running header and footer lines."""
    footer = ("Document number", "Check this document", "sealed electronically", "Youthpass certificate",
              "Jaunatnes Tilts", "issuing organisation")
    return "\n".join(line for line in text.splitlines() if line.strip() and not any(f in line for f in footer))


@pytest.mark.parametrize("languages", [["en"], ["lv", "en"]])
def test_a_typical_certificate_is_three_pages_one_per_part(languages):
    pdf = document_render(kind="youthpass", data=youthpass_typical(), languages=languages)
    assert pages(pdf) == 3
    first, second, third = (pdf_text(pdf, page=n) for n in (1, 2, 3))
    assert "Elīna Kalniņa" in first and "Līga Bērziņa" in first and "Andris Mērs" in first
    assert "Part 2: Description of the project and activities" in second and "Jānis Ozols" in second
    assert "Part 3: Learning outcomes" in third and "Ilze Mentore" in third
    assert "online" in first and "online" in second


@pytest.mark.parametrize("make", [youthpass_typical, youthpass_sample])
def test_no_page_holds_only_a_notice(make):
    """Even the sample whose hostile strings overflow part 1 has content on every page; the seal note is in the
    footer of each page."""
    pdf = document_render(kind="youthpass", data=make(), languages=["en"])
    for page in range(1, pages(pdf) + 1):
        text = pdf_text(pdf, page=page)
        assert NOTICE in text
        assert len(body(text)) > 80, (page, text)


def test_each_part_shows_only_its_signatories():
    data = youthpass_typical(images=False)
    data["signatories"].append({"name": "Old Style", "position": "Mentor", "part3": True})  # the older contract
    pdf = document_render(kind="youthpass", data=data, languages=["en"])
    assert "Old Style" in pdf_text(pdf, page=3) and "Old Style" not in pdf_text(pdf, page=1)
    data["signatories"][-1] = {"name": "Bad", "position": "X", "part": 7}
    from agnitio.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        document_render(kind="youthpass", data=data, languages=["en"])
