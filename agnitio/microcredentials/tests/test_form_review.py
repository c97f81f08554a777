"""The review of the micro-credential forms: the numbers of a specification in the same range on the page, in the
service and in the API; e-mails bounded by what the column holds; awarding bodies refused rather than cut;
a learner's or an assessment's problems beside the field each is about, with what was typed kept; evidence errors
beside the file. Text lengths and choices of every column: tests/test_form_bounds.py."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from agnitio.core.errors import ApplicationError
from agnitio.microcredentials import forms, forms_more
from agnitio.microcredentials.models import Award, Specification
from agnitio.microcredentials.services import awards as award_services
from agnitio.microcredentials.services import specifications as services

from .conftest import COMPLETE

pytestmark = pytest.mark.django_db



@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A page read in Latvian leaves it active in the thread: back to the default after each test."""
    yield
    translation.deactivate()


LONG_EMAIL = "a" * 60 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + ".lv"  # 255: valid, too long to store


def _form_data(**changes):
    data = {**COMPLETE, "esco_skills": "", "co_awarding_bodies": "", **changes}
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(("field", "value"), [
    ("credits_ects", "0"), ("credits_ects", "-2"), ("credits_ects", "1000"),
    ("workload_hours", "0"), ("workload_hours", "100001"),
    ("validity_months", "0"), ("validity_months", "601"),
])
def test_a_specifications_numbers_are_refused_out_of_range_on_the_page_the_service_and_the_api(
        client, owner, organisation, field, value):
    form = forms.SpecificationForm(data=_form_data(**{field: value}))
    assert not form.is_valid() and list(form.errors) == [field], form.errors
    with pytest.raises(ApplicationError) as error:
        services.specification_create(actor=owner, organisation=organisation,
                                      data={**COMPLETE, field: float(value) if field == "credits_ects" else int(value)})
    assert error.value.code == field
    from agnitio.apikeys.services import api_token_create

    token = api_token_create(actor=owner, name="t")[1]
    response = client.post("/api/v1/microcredentials/specifications",
                           {**COMPLETE, "credits_ects": 2.0, "organisation": organisation.public_id,
                            field: float(value) if field == "credits_ects" else int(value)},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 422
    assert not Specification.objects.exists()


def test_numbers_at_the_edges_are_taken(owner, organisation):
    form = forms.SpecificationForm(data=_form_data(credits_ects="0.1", workload_hours="100000", validity_months="600"))
    assert form.is_valid(), form.errors
    specification = services.specification_create(actor=owner, organisation=organisation,
                                                  data=form.data_for_service())
    assert (str(specification.credits_ects), specification.workload_hours, specification.validity_months) == (
        "0.1", 100_000, 600)


def test_awarding_bodies_too_long_are_refused_not_cut(owner, organisation):
    name = "Rīgas Tehniskās universitātes Mūžizglītības centrs " * 6  # over 255 characters
    form = forms.SpecificationForm(data=_form_data(co_awarding_bodies=f"{name}; 90000068977; LV"))
    assert not form.is_valid() and list(form.errors) == ["co_awarding_bodies"]
    with pytest.raises(ApplicationError) as error:
        services.specification_create(actor=owner, organisation=organisation, data={
            **COMPLETE, "co_awarding_bodies": [{"name": name, "legal_identifier": "90000068977", "country": "LV"}]})
    assert error.value.code == "co_awarding_bodies"
    assert not Specification.objects.exists()


def test_an_address_too_long_to_store_is_refused_on_the_page_and_in_the_service(owner, published):
    form = forms.AwardForm(data={"name": "Anna", "email": LONG_EMAIL, "languages": "lv"})
    assert not form.is_valid() and "at most 254 characters" in " ".join(form.errors["email"])
    assert not forms_more.StackIssueForm(data={"learner_email": LONG_EMAIL}).is_valid()
    with pytest.raises(ApplicationError) as error:
        award_services.award_issue(actor=owner, specification=published,
                                   learner=award_services.LearnerIn(name="Anna", email=LONG_EMAIL))
    assert set(error.value.extra["fields"]) == {"email"}
    assert not Award.objects.exists()


def test_the_award_page_shows_each_problem_beside_its_field_in_the_readers_language(client, owner, published):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "lv"
    client.force_login(owner)
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    response = client.post(reverse("microcredentials:award_issue", args=[published.public_id]), {
        "name": "Anna Bērziņa", "email": "anna@example.org", "languages": "lv", "grade": "9",
        "assessed_on": future, "evidence_links": "ftp://x y\nhttps://portfolio.example/anna"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"assessed_on", "evidence_links"}
    assert form.errors["assessed_on"] == ["Novērtēšanas datums nevar būt nākotnē."]
    html = response.content.decode()
    assert 'value="Anna Bērziņa"' in html and "https://portfolio.example/anna" in html and future in html
    assert not Award.objects.exists()


def test_the_prior_learning_page_shows_the_assessment_date_beside_its_field(client, owner, published):
    client.force_login(owner)
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(reverse("microcredentials:award_prior_learning", args=[published.public_id]), {
        "name": "Jānis Ozols", "email": "janis@example.org", "languages": "lv", "learning_context": "non_formal",
        "method": "portfolio", "prior_assessed_on": future, "assessor": "Ilze Kalniņa, vērtētāja",
        "criteria": "Mācīšanās rezultāti", "result": "Sasniegti"})
    form = response.context["form"]
    assert list(form.errors) == ["prior_assessed_on"], form.errors
    assert "Ilze Kalniņa, vērtētāja" in response.content.decode() and not Award.objects.exists()
    with pytest.raises(ApplicationError) as error:
        from agnitio.microcredentials.services import prior_learning

        prior_learning.assessment_clean(prior_learning.AssessmentIn(
            learning_context="non_formal", method="portfolio", assessed_on=datetime.date(202, 5, 1),
            assessor="X", criteria="Y", result="Z"))
    assert set(error.value.extra["fields"]) == {"assessed_on"} and "1950" in str(error.value)


def test_an_evidence_file_error_is_shown_beside_the_file(client, owner, published):
    from django.core.files.uploadedfile import SimpleUploadedFile

    award = award_services.award_issue(actor=owner, specification=published,
                                       learner=award_services.LearnerIn(name="Anna", email="anna@example.org"))
    client.force_login(owner)
    response = client.post(reverse("microcredentials:award_detail", args=[award.public_id]), {
        "add_file": "1", "file-title": "Portfolio", "file-file": SimpleUploadedFile("cv.docx", b"PK\x03\x04 docx")})
    assert response.status_code == 200
    form = response.context["file_form"]
    assert list(form.errors) == ["file"] and 'value="Portfolio"' in response.content.decode()
    assert not award.evidence.exists()
