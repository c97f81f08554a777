"""Sample document data, including hostile strings that must print literally (used by `document_sample`,
the tests and the benchmark)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

HOSTILE = [
    '#import "x"',
    "*bold*",
    "$x$",
    "<script>alert(1)</script>",
    "]",
    "[",
    "back\\slash \\\\ double",
    "שלום עולם",
    "مرحبا بالعالم",
    "😀🎉",
    "#eval(\"1+1\") @label _under_ `raw` // not a comment",
]
LATVIAN = "āčēģīķļņšūž ĀČĒĢĪĶĻŅŠŪŽ"
OTHER_EU = "Ελληνικά Български Čeština Słowo Größe Ørsted Ħaġa"


def _png(text: str, size=(360, 120), colour=(27, 42, 74)) -> bytes:
    img = Image.new("RGBA", size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    draw.line([(10, size[1] - 30), (size[0] - 10, 20)], fill=colour + (255,), width=5)
    draw.text((12, 8), text, fill=colour + (255,))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def sample_logo() -> bytes:
    img = Image.new("RGB", (240, 240), (27, 42, 74))
    draw = ImageDraw.Draw(img)
    draw.ellipse((40, 40, 200, 200), fill=(217, 100, 30))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


SAMPLE_CODE = "SAMP-1E00-DATA-000F"  # a well-formed verification code (check symbol included) that is never issued


def youthpass_sample(*, number: str = "YP-2026-LV-000042", code: str = SAMPLE_CODE, holder: str | None = None,
                     images: bool = True, site_url: str = "https://agnitio.example") -> dict:
    """A complete Youthpass document's data. Text fields carry the hostile strings."""
    hostile = " ".join(HOSTILE)
    logo = sample_logo() if images else None
    return {
        "number": number,
        "code": code,
        "verification_url": f"{site_url}/verify/{code}",
        "issued_on": "2026-11-20",
        "place": "Rīga",
        "organisation": {
            "name": "Biedrība “Jaunatnes Tilts” " + hostile,
            "address": "Brīvības iela 1, Rīga, LV-1010",
            "website": "https://tilts.example",
            "logo": logo,
        },
        "holder": {"name": holder or f"Ģirts Ķēniņš-Šūmane {hostile}", "birth_date": "2004-03-17"},
        "project": {
            "title": f"Jaunieši ceļā: Ūdens un Žēlsirdība {hostile}",
            "number": "2026-1-LV02-KA152-YOU-000123",
            "programme": "Erasmus+ Youth",
            "action": {"en": "Youth exchange", "lv": "Jauniešu apmaiņa"},
            "start": "2026-07-01",
            "end": "2026-07-10",
            "venue": "Cēsis, Latvija",
            "description": {
                "en": f"Ten days of workshops on water, nature and care. {hostile} {OTHER_EU}",
                "lv": f"Desmit dienu darbnīcas par ūdeni, dabu un rūpēm. {LATVIAN} {hostile}",
            },
            "partners": ["Association Autre (FR)", "Ένωση Νέων (GR)", "Младежка асоциация (BG)"],
        },
        "activities": [
            {"title": f"Darbnīca {i}: {h}", "start": f"2026-07-0{i + 1}", "end": f"2026-07-0{i + 1}",
             "place": "Cēsis", "description": f"Kopīga mācīšanās — {h} {LATVIAN}"}
            for i, h in enumerate(HOSTILE[:6])
        ],
        "outcomes": [
            {"competence": "Literacy competence / Lasītprasme",
             "text": f"I learned to present my ideas clearly. {LATVIAN} {hostile}"},
            {"competence": "Multilingual competence / Valodu kompetence",
             "text": f"I spoke English, French and some Greek every day. {OTHER_EU}"},
            {"competence": "Personal, social and learning to learn competence",
             "text": "I planned my own learning and reflected every evening with my group. " * 4},
            {"competence": "Citizenship competence", "text": f"We discussed local democracy. {hostile}"},
            {"competence": "Cultural awareness and expression competence",
             "text": "Music, dance and food from five countries. " * 3},
        ],
        "signatories": [
            {"name": "Līga Bērziņa", "position": "Valdes priekšsēdētāja / Chair of the board",
             "signature": _png("L. Bērziņa") if images else None},
            {"name": "Jānis Ozols", "position": "Projekta vadītājs / Project leader",
             "signature": _png("J. Ozols") if images else None, "part3": True},
        ],
        "stamp": None,
    }
