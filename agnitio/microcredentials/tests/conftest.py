"""Fixtures of the micro-credential tests: a complete specification (every Annex I element), published or not; an
award of it to Anna, her account, and another provider that receives recognition requests. Users are named after
their roles (`owner`, `admin`, `editor`, `outsider` come from the root conftest)."""

import pytest

COMPLETE = {
    "title": "Facilitating intercultural learning",
    "description": "A short course for youth workers on planning and facilitating intercultural learning.",
    "languages": ["en", "lv"],
    "issuer_countries": ["LV"],
    "issuer_regions": "Rīga",
    "isced_field": "011",
    "learning_outcomes": "Designs an intercultural learning session\nFacilitates a debriefing in a mixed group",
    "esco_skills": [{"uri": "http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9",
                     "label": "stimulate creativity in the team"}],
    "credits_ects": "2",
    "workload_hours": 50,
    "eqf_level": 5,
    "qf_ehea_cycle": "short",
    "national_level": "LKI 5",
    "assessment_type": "project",
    "assessment_description": "A facilitation plan reviewed by two trainers.",
    "participation": "blended",
    "quality_assurance_type": "internal",
    "quality_assurance_description": "Reviewed yearly by the training committee.",
    "prerequisites": "Experience in youth work.",
    "supervision": "supervised_onsite_id",
    "grading_scheme": "pass_fail",
    "grading_description": "Pass or fail",
    "stackability": "stackable",
    "stackability_description": "Counts towards the Youth Worker Certificate.",
    "further_information": "Runs twice a year.",
    "further_information_url": "https://tilts.example/courses/icl",
    "validity_months": 36,
    "renewal": "Take the refresher module.",
}


@pytest.fixture
def complete_data():
    return {k: (list(v) if isinstance(v, list) else v) for k, v in COMPLETE.items()}


@pytest.fixture
def draft(owner, organisation, complete_data):
    from agnitio.microcredentials.services.specifications import specification_create

    return specification_create(actor=owner, organisation=organisation, data=complete_data)


@pytest.fixture
def published(owner, draft):
    from agnitio.microcredentials.services.specifications import specification_publish

    return specification_publish(actor=owner, specification=draft)


@pytest.fixture
def award(owner, published):
    """`published` awarded to Anna Bērziņa (anna@example.org, grade "Pass") by the owner; a test module needing
    another award (other learner data, prior learning) defines its own `award`."""
    from agnitio.microcredentials.services import awards as award_services

    return award_services.award_issue(actor=owner, specification=published,
                                      learner=award_services.LearnerIn(name="Anna Bērziņa", email="anna@example.org",
                                                                       grade="Pass"))


@pytest.fixture
def anna(make_user):
    """The learner's account (the e-mail address of `award`)."""
    return make_user("anna@example.org")


@pytest.fixture
def receiver(other_organisation):
    """The other provider (its owner is `outsider` to the issuing organisation) with a recognition policy, so it
    receives recognition requests."""
    from agnitio.microcredentials.models import ProviderProfile

    ProviderProfile.objects.create(organisation=other_organisation,
                                   recognition_policy="We recognise quality-assured micro-credentials at EQF 4+.")
    return other_organisation
