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


def europass_sample(*, kind: str = "europass_certificate", language: str = "en", try_out: bool = False,
                    hostile: bool = False, images: bool = True, esco: bool = True, virtual: bool = False,
                    host_country: str = "EE", mobility_id: bool = False) -> dict:
    """A realistic Europass Mobility document (documents/europass.py shape): a VET learner from Valmiera on a
    four-week work placement in a youth centre in Tartu. `hostile` puts the strings that must print literally into
    the free-text fields; `mobility_id` numbers it as an Erasmus+ KA1 mobility (Beneficiary Module ID)."""
    lv = language == "lv"
    h = (" " + " ".join(HOSTILE)) if hostile else ""
    agreement = kind == "europass_agreement"
    host_city = {"EE": "Tartu", "FI": "Tampere", "DE": "Leipzig", "LV": "Cēsis"}.get(host_country, "Tartu")
    esco_cook = [{"uri": "http://data.europa.eu/esco/skill/0fbcd6c9-a1b1-4bf6-8a2a-4e2d4a5f2d42",
                  "label": "plan menus" if not lv else "plānot ēdienkartes"},
                 {"uri": "http://data.europa.eu/esco/skill/9d0c4d1e-b8a4-4b31-8d3f-2a1b0c6f4a77",
                  "label": "comply with food safety and hygiene"
                  if not lv else "ievērot pārtikas drošības un higiēnas prasības"}]
    outcomes = [
        {"framework": "A", "framework_name": "Key competences for lifelong learning (2018)",
         "text": ("Spēj skaidri sazināties angļu valodā ar kolēģiem un apmeklētājiem ikdienas darba situācijās."
                  if lv else "Communicates clearly in English with colleagues and visitors in everyday work "
                  "situations.") + h},
        {"framework": "B", "framework_name": "ESCO",
         "text": ("Patstāvīgi sagatavo nedēļas ēdienkarti 40 apmeklētājiem, ievērojot higiēnas prasības."
                  if lv else "Prepares a weekly menu for 40 visitors on their own, following the hygiene "
                  "rules."),
         "esco": esco_cook if esco else []},
        {"framework": "C", "framework_name": "Latvijas profesiju standarts: pavārs (3. PKL)" if lv
         else "Latvian occupational standard: cook (LQF 3)",
         "text": "Organizē savu darba vietu un plāno darba laiku maiņas laikā." if lv
         else "Organises their workstation and plans their time during a shift."},
    ]
    if not esco:
        outcomes[1] = {**outcomes[1], "framework": "C", "framework_name": "School curriculum"}
    sig_img = _png("signature") if images else None
    stamp = _png("STAMP", size=(160, 160), colour=(40, 70, 160)) if images else None
    signatures = [
        {"party": "sending", "name": "Inese Liepiņa", "position": "Direktore" if lv else "Director",
         "organisation": "Valmieras tehnikums", "place": "Valmiera", "date": "2027-02-05",
         "signature": sig_img, "stamp": stamp},
    ]
    if agreement:
        signatures += [
            {"party": "host", "name": "Kadri Tamm", "position": "Noortekeskuse juht", "organisation":
             f"Tartu Noortekeskus{h}", "place": host_city, "date": "2026-12-14", "signature": sig_img},
            {"party": "participant", "name": "Elīna Kalniņa", "place": "Valmiera", "date": "2026-12-10"},
            {"party": "legal_representative", "name": "Dace Kalniņa", "place": "Valmiera", "date": "2026-12-10"},
        ]
        for s in signatures:
            s["date"] = "2026-12-10"
    doc: dict = {
        "kind": kind,
        "language": language,
        "try_out": try_out,
        "participant": {"first_name": "Elīna" + h, "surname": "Kalniņa", "birth_date": "2008-04-12",
                        "nationality": "LV", "address": "Rīgas iela 12, Valmiera, LV-4201",
                        "email": "elina.kalnina@example.org",
                        "photo": _png("photo", size=(240, 300), colour=(90, 90, 90)) if images else None},
        "sending": {"name": "Valmieras tehnikums", "address": "Vadu iela 1, Valmiera, LV-4201", "country": "LV",
                    "contact_name": "Jānis Ozols",
                    "contact_position": "Projektu koordinators" if lv else "Project coordinator",
                    "email": "projekti@tehnikums.example", "phone": "+371 64200000",
                    "website": "https://tehnikums.example", "logo": sample_logo() if images else None},
        "host": {"name": f"Tartu Noortekeskus{h}", "type": "Jauniešu centrs" if lv else "Youth centre",
                 "country": host_country, "address": f"Rüütli 2, {host_city}",
                 "mentor": {"name": "Kadri Tamm", "position": "Noortekeskuse juht / Head of the centre",
                            "phone": "+372 5550000", "email": "kadri.tamm@noortekeskus.example"}},
        "project": {
            "programme": "Erasmus+",
            "project_number": "2026-1-LV01-KA121-VET-000123456",
            "activity_type": "Erasmus+ Learning mobility of VET learners (short-term)" if not lv
            else "Erasmus+ profesionālās izglītības audzēkņu mobilitāte (īstermiņa)",
            "stay": "virtual" if virtual else "physical",
            "place": "" if virtual else host_city,
            "purpose": ("Darba vidē balstītas mācības jauniešu centra virtuvē" if lv
                        else "Work-based learning in a youth centre kitchen") + h,
            "start": "2027-01-04", "end": "2027-01-29",
            "status_at_sending": "Ēdināšanas pakalpojumi, 2. kurss" if lv else "Catering services, 2nd year",
            "workload_hours": 140,
        },
        "outcomes": outcomes,
        "activities": ("Ēdienkartes plānošana, produktu pasūtīšana, ēdienu gatavošana un pasniegšana, virtuves "
                       "uzkopšana." if lv else "Planning menus, ordering produce, cooking and serving meals, "
                       "cleaning the kitchen.") + h,
        "mentoring": ("Mentors tiekas ar dalībnieci katru piektdienu; nosūtītājorganizācija sazinās reizi nedēļā."
                      if lv else "The mentor meets the participant every Friday; the sending organisation calls "
                      "once a week."),
        "evaluation": ("Uzņēmējorganizācija novērtē praksi; tehnikums to atzīst kā kvalifikācijas prakses daļu."
                       if lv else "The host organisation assesses the placement; the school recognises it as part "
                       "of the qualification placement.") + h,
        "group_programme": {"reference": "GLP-2027-VT-01",
                            "title": "Valmiera–Tartu ēdināšanas prakse" if lv else "Valmiera–Tartu catering "
                            "placement",
                            "summary": "Four learners follow the same programme in two kitchens." if not lv
                            else "Četri audzēkņi mācās pēc vienas programmas divās virtuvēs."},
        "signatures": signatures,
        "issued_on": "2027-02-05",
        "place": "Valmiera",
    }
    if agreement:
        doc["additional_terms"] = ("Dalībniece dzīvo viesģimenē; vakaros pēc 22:00 jābūt mājās." if lv
                                   else "The participant lives with a host family and is home by 22:00.") + h
        doc["contact"] = [
            {"role": "Nosūtītājorganizācija" if lv else "Sending organisation", "name": "Jānis Ozols",
             "phone": "+371 64200000", "email": "projekti@tehnikums.example"},
            {"role": "Uzņēmējorganizācija" if lv else "Host organisation", "name": "Kadri Tamm",
             "phone": "+372 5550000", "email": "kadri.tamm@noortekeskus.example"},
            {"role": "Dalībniece" if lv else "Participant", "name": "Elīna Kalniņa", "phone": "+371 20000000",
             "email": "elina.kalnina@example.org"},
        ]
    if mobility_id:
        # the Beneficiary Module's Unique Erasmus+ Mobility ID of the 42nd short-term mobility in the project above
        doc["mobility_id"] = "2026-SHORT-0042-KA121-VET-000123456"
    elif try_out:
        doc["europass_number"] = "TRY-OUT-2027-0001"
    else:
        doc["europass_number"] = "LV/2027/0001234"
    return doc
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
