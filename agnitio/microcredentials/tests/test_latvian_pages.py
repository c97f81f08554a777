"""Latvian is a first language: the micro-credential pages -- the provider's, the public catalogue's and the
learner's -- rendered in Latvian hold no English interface text, with data filled in and with form errors shown
(the scanner is `core.testing.english_left`). The specification's own texts are the provider's words, so the test
data here is Latvian."""

import json

import pytest
from django.conf import settings
from django.urls import reverse

from agnitio.core.testing import english_left
from agnitio.microcredentials.models import ProviderProfile
from agnitio.microcredentials.services import awards as award_services
from agnitio.microcredentials.services import recognition as recognition_services
from agnitio.microcredentials.services.specifications import specification_create, specification_publish

LATVIAN = {"title": "Starpkultūru mācīšanās vadīšana", "description": "Īss kurss jaunatnes darbiniekiem.",
           "learning_outcomes": "Izplāno starpkultūru mācību nodarbību\nVada pārrunas jauktā grupā",
           "assessment_description": "Divi treneri izvērtē nodarbības plānu.",
           "quality_assurance_description": "Mācību komiteja pārskata katru gadu.",
           "prerequisites": "Pieredze jaunatnes darbā.", "grading_description": "Ieskaitīts vai neieskaitīts",
           "stackability_description": "Ieskaita jaunatnes darbinieka sertifikātā.",
           "further_information": "Notiek divreiz gadā.", "renewal": "Jāapgūst atsvaidzināšanas modulis.",
           "issuer_regions": "Rīga"}


@pytest.fixture
def lv_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "lv"
    return client


@pytest.fixture
def spec(owner, organisation, complete_data):
    specification = specification_create(actor=owner, organisation=organisation,
                                         data={**complete_data, **LATVIAN})
    return specification_publish(actor=owner, specification=specification)


@pytest.fixture
def award(owner, spec):
    return award_services.award_issue(actor=owner, specification=spec, learner=award_services.LearnerIn(
        name="Anna Bērziņa", email="anna@example.org", grade="Ieskaitīts"))


@pytest.fixture
def anna(make_user):
    return make_user("anna@example.org", language="lv")


def _latvian(response, what):
    assert response.status_code == 200, (what, response.status_code)
    assert english_left(response.content.decode()) == [], what


def test_the_scanner_finds_english_on_an_english_page(client, owner, spec):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(owner)
    page = client.get(reverse("microcredentials:specification_detail", args=[spec.public_id])).content.decode()
    assert len(english_left(page)) > 5


def test_the_providers_pages_are_latvian(lv_client, owner, organisation, spec, award):
    lv_client.force_login(owner)
    for name in ("specification_list", "specification_create", "recognition_submit", "learner_awards"):
        _latvian(lv_client.get(reverse(f"microcredentials:{name}")), name)
    for name in ("specification_detail", "award_issue", "import_upload", "award_prior_learning",
                 "specification_feedback", "composition_edit", "stack_qualifiers"):
        _latvian(lv_client.get(reverse(f"microcredentials:{name}", args=[spec.public_id])), name)
    for name in ("provider_edit", "recognition_list"):
        _latvian(lv_client.get(reverse(f"microcredentials:{name}", args=[organisation.public_id])), name)
    _latvian(lv_client.get(reverse("microcredentials:award_detail", args=[award.public_id])), "award")


def test_form_errors_are_latvian(lv_client, owner, organisation, spec):
    lv_client.force_login(owner)
    refused = lv_client.post(reverse("microcredentials:specification_create"), {
        "title": "", "credits_ects": "-3", "workload_hours": "abc", "eqf_level": "12", "participation": "x",
        "further_information_url": "ne-adrese"})
    _latvian(refused, "specification errors")
    issue = lv_client.post(reverse("microcredentials:award_issue", args=[spec.public_id]),
                           {"name": "", "email": "nav-adrese", "date_of_birth": "vakar"})
    _latvian(issue, "issue errors")
    draft = specification_create(actor=owner, organisation=organisation, data={"title": "Melnraksts"})
    missing = lv_client.post(reverse("microcredentials:specification_publish", args=[draft.public_id]), follow=True)
    _latvian(missing, "publish refused")


def test_the_public_catalogue_is_latvian(lv_client, organisation, spec):
    ProviderProfile.objects.update_or_create(organisation=organisation, defaults={
        "quality_assurance": "Ārējs novērtējums ik pēc trim gadiem.",
        "recognition_policy": "Atzīstam kvalitātes nodrošinātus mikrokvalifikāciju apliecinājumus."})
    _latvian(lv_client.get(reverse("microcredentials:catalogue")), "catalogue")
    _latvian(lv_client.get(reverse("microcredentials:catalogue") + "?q=starpkultūru&eqf=5"), "catalogue search")
    _latvian(lv_client.get(reverse("microcredentials:catalogue_detail", args=[spec.public_id])), "entry")
    _latvian(lv_client.get(reverse("microcredentials:provider_detail", args=[organisation.public_id])), "provider")


def test_the_learners_pages_are_latvian(lv_client, anna, award, other_organisation):
    ProviderProfile.objects.create(organisation=other_organisation, recognition_policy="Atzīstam EQF 4+.")
    request = recognition_services.recognition_submit(
        actor=anna, provider_public_id=other_organisation.public_id,
        raw=json.dumps(award.credential.credential).encode())
    lv_client.force_login(anna)
    _latvian(lv_client.get(reverse("microcredentials:learner_awards")), "my awards")
    _latvian(lv_client.get(reverse("microcredentials:feedback_give", args=[award.public_id])), "feedback")
    _latvian(lv_client.get(reverse("microcredentials:recognition_submit")), "recognition form")
    _latvian(lv_client.get(reverse("microcredentials:recognition_detail", args=[request.public_id])), "recognition")
    _latvian(lv_client.get(reverse("credentials:wallet")), "wallet")
