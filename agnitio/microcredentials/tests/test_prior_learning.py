"""Validation of prior learning: awarded from a recorded assessment (context, method, date, assessor, criteria,
result) that shows on the award and goes into the signed achievement and the EDC export (still conforming to
EDC-generic-no-cv.ttl); every part required and bounded; a failed issue leaves nothing; only members may."""

import datetime
import json

import pytest
from django.urls import reverse

from agnitio.core.errors import ApplicationError, NotFound, PermissionDenied
from agnitio.microcredentials.models import Award, PriorLearningAssessment
from agnitio.microcredentials.services import awards as award_services
from agnitio.microcredentials.services import prior_learning as services

LEARNER = award_services.LearnerIn(name="Jānis Ozols", email="janis@example.org",
                                   evidence_links=["https://portfolio.example/janis"])


def _assessment(**changes):
    data = {"learning_context": "informal", "method": "portfolio", "assessed_on": datetime.date(2026, 11, 2),
            "assessor": "Ilze Liepa, youth work trainer", "criteria": "The learning outcomes of the specification",
            "result": "All outcomes demonstrated"}
    data.update(changes)
    return services.AssessmentIn(**data)


@pytest.fixture
def award(owner, published):
    return services.award_issue_prior_learning(actor=owner, specification=published, learner=LEARNER,
                                               assessment=_assessment())


def test_awarded_from_an_assessment_recorded_and_signed(award):
    assert award.status == Award.Status.ISSUED and award.basis == Award.Basis.PRIOR_LEARNING
    record = PriorLearningAssessment.objects.get(award=award)
    assert record.assessor == "Ilze Liepa, youth work trainer"
    award.refresh_from_db()
    assert award.assessed_on == datetime.date(2026, 11, 2) and award.evidence.count() == 1
    prior = award.credential.achievement["prior_learning"]
    assert prior["method"] == "portfolio" and prior["learning_context"] == "informal"
    assert award.credential.achievement["basis"] == "prior_learning"


def test_shown_on_the_award_page(client, owner, award):
    client.force_login(owner)
    page = client.get(reverse("microcredentials:award_detail", args=[award.public_id])).content.decode()
    assert "Validation of prior learning" in page and "Ilze Liepa, youth work trainer" in page


def test_edc_carries_the_assessment_and_conforms(client, owner, award):
    import pyshacl  # a dev dependency: missing, the test fails
    from django.conf import settings
    from rdflib import Graph

    from agnitio.credentials.signing.loader import canonize

    client.force_login(owner)
    document = json.loads(client.get(reverse("credentials:issued_edc", args=[award.credential.public_id])).content)
    assessment = document["credentialSubject"]["hasClaim"]["provenBy"]
    # what the platform writes is in every language of the credential; what the provider typed, as typed
    assert award.credential.languages == ["lv", "en"]
    assert assessment["description"] == {"lv": "Ikdienējās mācīšanās atzīšana", "en": "Validation of informal learning"}
    note = assessment["additionalNote"][0]["noteLiteral"]
    assert note == {
        "lv": "Metode: portfolio izvērtēšana. Novērtēja Ilze Liepa, youth work trainer 2026-11-02. Kritēriji: The "
              "learning outcomes of the specification. Rezultāts: All outcomes demonstrated",
        "en": "Method: portfolio review. Assessed on 2026-11-02 by Ilze Liepa, youth work trainer. Criteria: The "
              "learning outcomes of the specification. Result: All outcomes demonstrated"}
    graph = Graph().parse(data=canonize(document), format="nt")
    shapes = Graph().parse(settings.BASE_DIR / "agnitio" / "credentials" / "shapes" / "EDC-generic-no-cv.ttl",
                           format="turtle")
    conforms, _graph, report = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    assert conforms, report


@pytest.mark.parametrize("changes", [
    {"learning_context": "formal"}, {"method": "guess"}, {"assessed_on": None},
    {"assessed_on": datetime.date.today() + datetime.timedelta(days=2)}, {"assessor": " "},
    {"assessor": "x" * 201}, {"criteria": ""}, {"result": "x" * 2001},
])
def test_every_part_of_the_assessment_is_required_and_bounded(owner, published, changes):
    with pytest.raises(ApplicationError):
        services.award_issue_prior_learning(actor=owner, specification=published, learner=LEARNER,
                                            assessment=_assessment(**changes))
    assert not Award.objects.exists() and not PriorLearningAssessment.objects.exists()


def test_a_failed_issue_leaves_nothing(owner, published, monkeypatch):
    def fail(**kwargs):
        raise ApplicationError("signing failed")

    monkeypatch.setattr("agnitio.credentials.services.credential_issue", fail)
    with pytest.raises(ApplicationError):
        services.award_issue_prior_learning(actor=owner, specification=published, learner=LEARNER,
                                            assessment=_assessment())
    assert not Award.objects.exists() and not PriorLearningAssessment.objects.exists()


def test_outsiders_cannot(client, outsider, published):
    with pytest.raises((NotFound, PermissionDenied)):
        services.award_issue_prior_learning(actor=outsider, specification=published, learner=LEARNER,
                                            assessment=_assessment())
    client.force_login(outsider)
    url = reverse("microcredentials:award_prior_learning", args=[published.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "X", "email": "x@example.org"}).status_code == 404
    assert not Award.objects.exists() and not PriorLearningAssessment.objects.exists()


def test_the_page_issues_without_javascript(client, owner, published):
    client.force_login(owner)
    url = reverse("microcredentials:award_prior_learning", args=[published.public_id])
    page = client.get(url).content.decode()
    for name in ("learning_context", "method", "prior_assessed_on", "assessor", "criteria", "result"):
        assert f'id="id_{name}"' in page and f'for="id_{name}"' in page
    response = client.post(url, {"name": "Jānis Ozols", "email": "janis@example.org", "languages": "lv+en",
                                 "learning_context": "non_formal", "method": "interview",
                                 "prior_assessed_on": "2026-11-01", "assessor": "Ilze Liepa",
                                 "criteria": "Outcomes", "result": "Demonstrated"})
    assert response.status_code == 302, response.content.decode()[:2000]
    award = Award.objects.get()
    assert award.basis == Award.Basis.PRIOR_LEARNING and award.prior_learning.method == "interview"
