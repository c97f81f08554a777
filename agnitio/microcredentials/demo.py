"""Demo data for `manage.py demo_data`: the demo organisation as a micro-credential provider with its quality
assurance and recognition policy and two published micro-credentials. Idempotent: nothing is added when the
provider already has a micro-credential."""

from __future__ import annotations

DEMO_SPECIFICATIONS = [
    {
        "title": "Starpkultūru mācīšanās vadīšana / Facilitating intercultural learning",
        "description": "Īss kurss jaunatnes darbiniekiem par starpkultūru mācīšanās plānošanu un vadīšanu.",
        "languages": ["lv", "en"], "issuer_countries": ["LV"], "issuer_regions": "Rīga", "isced_field": "011",
        "learning_outcomes": ("Izstrādā starpkultūru mācīšanās nodarbības plānu ar mērķiem un metodēm\n"
                              "Vada refleksiju jauktā starptautiskā grupā"),
        "esco_skills": [{"uri": "http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9",
                         "label": "stimulate creativity in the team"}],
        "credits_ects": "2", "workload_hours": 50, "eqf_level": 5, "national_level": "LKI 5",
        "assessment_type": "project", "assessment_description": "Nodarbības plānu izvērtē divi treneri.",
        "participation": "blended", "quality_assurance_type": "internal",
        "quality_assurance_description": "Mācību komiteja programmu pārskata katru gadu.",
        "prerequisites": "Vismaz gada pieredze jaunatnes darbā.", "supervision": "supervised_onsite_id",
        "grading_scheme": "pass_fail", "stackability": "stackable",
        "stackability_description": "Ieskaitās jaunatnes darbinieka sertifikātā.",
        "further_information_url": "https://agnitio.example/courses/icl", "validity_months": 36,
        "renewal": "Apgūstot atsvaidzināšanas moduli.",
    },
    {
        "title": "Digitālā jaunatnes darba pamati / Basics of digital youth work",
        "description": "Tiešsaistes kurss par digitālo rīku drošu lietošanu darbā ar jauniešiem.",
        "languages": ["lv"], "issuer_countries": ["LV"], "isced_field": "061",
        "learning_outcomes": "Izvēlas piemērotu digitālo rīku jauniešu grupas darbam\nIevēro datu aizsardzības "
                             "prasības tiešsaistes nodarbībās",
        "workload_hours": 25, "level_not_applicable": True, "assessment_type": "online_test",
        "participation": "online", "quality_assurance_type": "internal", "supervision": "unsupervised_no_id",
        "grading_scheme": "numeric", "grading_description": "1–10, sekmīgi no 6", "stackability": "standalone",
    },
]


def load(*, owner, organisation, stdout) -> None:
    from .selectors import specification_list
    from .services.specifications import (
        provider_profile_update,
        specification_create,
        specification_publish,
    )

    if specification_list(actor=owner, organisation=organisation).exists():
        return
    if not organisation.identifier:
        stdout.write("Micro-credentials demo skipped: the demo organisation has no legal identifier.")
        return
    provider_profile_update(actor=owner, organisation=organisation, data={
        "quality_assurance": "Programmas izstrādā un katru gadu pārskata mācību komiteja; izglītojamo atsauksmes "
                             "tiek apkopotas pēc katra kursa.",
        "recognition_policy": "Citu sniedzēju mikroapliecinājumus atzīstam, ja tie apraksta mācīšanās rezultātus, "
                              "darba slodzi un līmeni un tos var pārbaudīt.",
        "listed": True})
    for data in DEMO_SPECIFICATIONS:
        specification = specification_create(actor=owner, organisation=organisation, data=data)
        specification_publish(actor=owner, specification=specification)
    stdout.write("Micro-credentials: a provider page with two published micro-credentials.")
