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
             "signature": _png("L. Bērziņa") if images else None, "part": 1, "role": "legal_representative"},
            {"name": "Līga Bērziņa", "position": "Valdes priekšsēdētāja / Chair of the board",
             "signature": _png("L. Bērziņa") if images else None, "part": 2, "role": "project_responsible"},
            {"name": "Jānis Ozols", "position": "Projekta vadītājs / Project leader",
             "signature": _png("J. Ozols") if images else None, "part": 3, "role": "learning_supporter"},
        ],
        "stamp": None,
    }


def youthpass_typical(*, number: str = "YP-2026-LV-000043", code: str = SAMPLE_CODE, images: bool = True,
                      site_url: str = "https://agnitio.example") -> dict:
    """A typical Youthpass certificate as an organisation issues it: one online activity (its title and description
    stand for the project's), a normal amount of learning outcomes in Latvian and English, all four signatories
    (legal representative and an additional official signatory on part 1, the person responsible for the project on
    part 2, the person who supported the learning on part 3). Such a certificate has three pages."""
    outcomes = [
        ("Daudzvalodu kompetence", "Multilingual competence",
         "Katru dienu runāju angliski ar dalībniekiem no piecām valstīm un iemācījos skaidrot savas domas arī tad, "
         "kad man pietrūka vārdu. Tagad bez bailēm vadu sarunu tiešsaistē svešvalodā.",
         "Every day I spoke English with participants from five countries and learned to explain my thoughts even "
         "when I lacked the words. Now I lead an online conversation in a foreign language without fear."),
        ("Digitālā kompetence", "Digital competence",
         "Iemācījos plānot un vadīt tiešsaistes darbnīcu: sagatavoju interaktīvu tāfeli, sadalīju dalībniekus grupās "
         "un sekoju, lai visi tiek uzklausīti.",
         "I learned to plan and run an online workshop: I prepared an interactive board, split the participants into "
         "groups and made sure everyone was heard."),
        ("Personīgā, sociālā un mācīšanās mācīties kompetence", "Personal, social and learning to learn competence",
         "Katru vakaru rakstīju mācīšanās dienasgrāmatu un kopā ar mentoru pārrunāju, ko esmu iemācījusies un ko "
         "vēlos mācīties tālāk.",
         "Every evening I kept a learning diary and discussed with my mentor what I had learned and what I want to "
         "learn next."),
        ("Citas kompetences", "Other competences",
         "Kopā ar komandu sagatavoju projekta noslēguma prezentāciju vietējai jauniešu padomei.",
         "Together with my team I prepared the project's closing presentation for the local youth council."),
    ]
    return {
        "number": number,
        "code": code,
        "verification_url": f"{site_url}/verify/{code}",
        "issued_on": "2026-11-20",
        "place": {"lv": "Valmiera, Latvija", "en": "Valmiera, Latvia"},
        "organisation": {"name": "Biedrība “Jaunatnes Tilts”", "address": "Rīgas iela 1, Valmiera, LV-4201",
                         "website": "https://tilts.example", "logo": sample_logo() if images else None},
        "holder": {"name": "Elīna Kalniņa", "birth_date": "2005-09-12"},
        "project": {
            "title": "Digitālā līdzdalība / Digital participation",
            "number": "2026-1-LV02-KA154-YOU-000321",
            "programme": {"lv": "Erasmus+: Jaunatne", "en": "Erasmus+ Youth"},
            "action": {"lv": "Jauniešu līdzdalības aktivitātes", "en": "Youth participation activities"},
            "start": "2026-09-01", "end": "2026-09-05",
            "format": {"lv": "tiešsaistē", "en": "online"}, "online": True,
            "description": {
                "lv": "Piecas dienas tiešsaistes darbnīcu, kurās jaunieši no Latvijas, Igaunijas un Somijas "
                      "mācījās, kā iesaistīties vietējo lēmumu pieņemšanā un kā rīkot savas kampaņas.",
                "en": "Five days of online workshops in which young people from Latvia, Estonia and Finland learned "
                      "how to take part in local decision-making and how to run their own campaigns.",
            },
            "partners": ["Noorteühing Sild (EE)", "Nuorisoyhdistys Silta (FI)"],
        },
        "activities": [{
            "title": "Digitālā līdzdalība / Digital participation", "start": "2026-09-01", "end": "2026-09-05",
            "place": None, "format": {"lv": "tiešsaistē", "en": "online"},
            "description": "Darbnīcas, diskusijas ar deputātiem un kampaņu plānošana mazās grupās.",
        }],
        "outcomes": [{"competence": {"lv": lv, "en": en}, "text": {"lv": text_lv, "en": text_en}}
                     for lv, en, text_lv, text_en in outcomes],
        "signatories": [
            {"name": "Līga Bērziņa", "position": "Valdes priekšsēdētāja / Chair of the board",
             "signature": _png("L. Bērziņa") if images else None, "part": 1, "role": "legal_representative"},
            {"name": "Andris Mērs", "position": "Valmieras novada domes priekšsēdētājs / Mayor of Valmiera",
             "signature": None, "part": 1, "role": "extra_signatory"},
            {"name": "Jānis Ozols", "position": "Projekta vadītājs / Project leader",
             "signature": _png("J. Ozols") if images else None, "part": 2, "role": "project_responsible"},
            {"name": "Ilze Mentore", "position": "Mentore / Mentor", "signature": None, "part": 3,
             "role": "learning_supporter"},
        ],
        "stamp": None,
    }


def youthpass_demo(*, language: str) -> dict:
    """The public sample Youthpass certificate (help pages): a fictional person and project, no real personal
    data, the key competences' real titles, marked SAMPLE instead of a number and without a verification code."""
    from agnitio.frameworks.selectors import KEY_COMPETENCES, framework_get

    competences = {c.id: c for c in framework_get(framework_id=KEY_COMPETENCES).competences}
    lv = language == "lv"

    def pick(en: str, lv_text: str) -> str:
        return lv_text if lv else en

    outcomes = [
        ("multilingual", "I spoke English every day in a group of five countries and learned to explain my ideas "
                         "simply, with examples.",
         "Katru dienu runāju angliski piecu valstu grupā un iemācījos vienkārši, ar piemēriem izskaidrot savas "
         "idejas."),
        ("personal_social_learning", "At the start I set two learning goals with my mentor; every evening I wrote "
                                     "in my diary what I had learned and what I wanted to try next.",
         "Sākumā kopā ar mentoru izvirzīju divus mācīšanās mērķus; katru vakaru dienasgrāmatā pierakstīju, ko "
         "iemācījos un ko vēlos izmēģināt tālāk."),
        ("citizenship", "I know why waste is sorted and how it affects nature, I can sort it correctly, and I now "
                        "sort it at home and ask my friends to do the same.",
         "Zinu, kāpēc jāšķiro atkritumi un kā tas ietekmē dabu, protu tos pareizi šķirot, un tagad šķiroju mājās "
         "un aicinu to darīt arī draugus."),
    ]
    return {
        "number": pick("SAMPLE", "PARAUGS"),
        "issued_on": "2026-07-12",
        "place": pick("Valmiera, Latvia", "Valmiera, Latvija"),
        "organisation": {"name": pick("Example Youth Association", "Biedrība “Jauniešu piemērs”"),
                         "address": pick("Example street 1, Valmiera, Latvia", "Parauga iela 1, Valmiera, Latvija"),
                         "website": "https://example.org", "logo": None},
        "holder": {"name": "Anna Paraudziņa", "birth_date": "2005-01-01"},
        "project": {
            "title": pick("Water connects us", "Ūdens mūs vieno"),
            "number": "2026-1-LV01-KA152-YOU-000000000",
            "programme": pick("Erasmus+ Youth", "Erasmus+ jaunatnes joma"),
            "action": pick("Youth exchange", "Jauniešu apmaiņa"),
            "start": "2026-07-01",
            "end": "2026-07-10",
            "venue": pick("Valmiera, Latvia", "Valmiera, Latvija"),
            "description": pick(
                "Thirty young people from five countries explored how water shapes their towns, through workshops, "
                "field visits and a closing exhibition.",
                "Trīsdesmit jaunieši no piecām valstīm darbnīcās, izbraukumos un noslēguma izstādē pētīja, kā ūdens "
                "veido viņu pilsētas."),
            "partners": [pick("Example Partner (FR)", "Parauga partneris (FR)")],
        },
        "activities": [{
            "title": pick("Youth exchange “Water connects us”", "Jauniešu apmaiņa “Ūdens mūs vieno”"),
            "start": "2026-07-01", "end": "2026-07-10", "place": pick("Valmiera, Latvia", "Valmiera, Latvija"),
            "description": pick("Workshops, field visits, daily reflection groups.",
                                "Darbnīcas, izbraukumi, ikdienas refleksijas grupas."),
        }],
        "outcomes": [{"competence": competences[cid].title(language), "text": pick(en, lv_text)}
                     for cid, en, lv_text in outcomes],
        "signatories": [
            {"name": "Ilze Paraudziņa", "position": pick("Chair of the board", "Valdes priekšsēdētāja"),
             "signature": None},
            {"name": "Jānis Piemērs", "position": pick("Project coordinator", "Projekta koordinators"),
             "signature": None, "part3": True},
        ],
        "stamp": None,
    }


def microcredential_sample(*, number: str = "MC-2026-LV-000007", code: str = SAMPLE_CODE,
                           images: bool = True) -> dict:
    """A micro-credential with every Annex I element (kind "microcredential"), as the micro-credentials app hands
    it over; the description carries markup that must print literally."""
    return {
        "number": number, "code": code, "verification_url": f"https://agnitio.example/verify/{code}",
        "issued_on": "2026-11-20", "valid_until": "2029-11-20",
        "organisation": {"name": "Biedrība “Jaunatnes Tilts”", "address": "Brīvības iela 1, Rīga",
                         "logo": sample_logo() if images else None},
        "holder": {"name": "Līga Kalniņa", "birth_date": "2001-05-14", "national_id": "140501-12345"},
        "grade": "Pass", "assessed_on": "2026-11-12",
        "specification": {
            "title": "Facilitating intercultural learning", "version": 2,
            "description": "Plans and runs sessions. Literal: #import \"x\" *bold* $x$ [link] \\ 🌍",
            "outcomes": [{"name": "Designs an intercultural learning session"},
                         {"name": "Facilitates a debriefing in a mixed group"}],
            "esco_skills": [{"uri": "http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9",
                             "label": "stimulate creativity in the team"}],
            "credits_ects": "2", "workload_hours": 50, "eqf_level": 5, "qf_ehea_cycle": "short",
            "national_level": "LKI 5", "assessment_type": "project",
            "assessment_description": "A facilitation plan reviewed by two trainers.", "participation": "blended",
            "quality_assurance_type": "internal", "quality_assurance_description": "Reviewed yearly.",
            "prerequisites": "Experience in youth work.", "supervision": "supervised_onsite_id",
            "grading_scheme": "pass_fail", "grading_description": "", "stackability": "stackable",
            "stackability_description": "Counts towards the Youth Worker Certificate.",
            "further_information": "Runs twice a year.", "further_information_url": "https://tilts.example/icl",
            "issuer_countries": ["LV"], "issuer_regions": "Rīga",
            "awarding_bodies": [{"name": "Biedrība “Jaunatnes Tilts”", "legal_identifier": "E10000001",
                                 "country": "LV"}],
        },
    }
