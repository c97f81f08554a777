"""Learner feedback: the invitation on issue (outbox e-mail, notice on the learner's page), one feedback per award
by the learner only (404 for anyone else, nothing changed), editable for a time then fixed, bounded; the
provider's aggregate (names only with consent), the catalogue's aggregate only from five ratings; the API."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agnitio.apikeys.services import api_token_create
from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.models import AuditEvent
from agnitio.microcredentials.models import Feedback
from agnitio.microcredentials.selectors import feedback_public_summary, feedback_summary
from agnitio.microcredentials.services import awards as award_services
from agnitio.microcredentials.services import feedback as services

API = "/api/v1/microcredentials"


def _learner(email, name="Anna Bērziņa"):
    return award_services.LearnerIn(name=name, email=email)


@pytest.fixture
def award(owner, published):
    return award_services.award_issue(actor=owner, specification=published, learner=_learner("anna@example.org"))


def test_issuing_invites_the_learner_by_email(owner, published, django_capture_on_commit_callbacks):
    from agnitio.notifications.models import OutboxEmail

    with django_capture_on_commit_callbacks(execute=False):
        award = award_services.award_issue(actor=owner, specification=published,
                                           learner=_learner("maris@example.org", "Māris"))
    email = OutboxEmail.objects.get(to="maris@example.org", template=services.INVITE_TEMPLATE)
    assert published.title in email.subject
    assert reverse("microcredentials:feedback_give", args=[award.public_id]) in email.body_text


def test_the_learner_sees_the_invitation_and_gives_feedback(client, anna, award):
    client.force_login(anna)
    page = client.get(reverse("microcredentials:learner_awards")).content.decode()
    assert "Rate the learning experience" in page and award.specification.title in page
    url = reverse("microcredentials:feedback_give", args=[award.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"rating": "4", "comment": "Useful and practical.", "show_name": ""})
    assert response.status_code == 302
    feedback = Feedback.objects.get(award=award)
    assert (feedback.rating, feedback.comment, feedback.show_name) == (4, "Useful and practical.", False)
    assert AuditEvent.objects.filter(verb="micro-credential feedback given").count() == 1
    page = client.get(reverse("microcredentials:learner_awards")).content.decode()
    assert "See or change your feedback" in page


def test_the_learner_is_found_whatever_the_case_of_the_addresses(owner, published, make_user):
    """Awarded to “Liga@Example.org” (stored normalised), the learner's confirmed address “LIGA@example.ORG”."""
    from agnitio.microcredentials.selectors import learner_award_get, learner_award_list

    award = award_services.award_issue(actor=owner, specification=published, learner=_learner("Liga@Example.org"))
    assert award.learner_email == "liga@example.org"
    liga = make_user("LIGA@example.ORG")
    assert list(learner_award_list(actor=liga)) == [award]
    assert learner_award_get(actor=liga, public_id=award.public_id) == award
    services.feedback_give(actor=liga, award_public_id=award.public_id, rating=5)
    assert Feedback.objects.get(award=award).rating == 5


def test_one_feedback_per_award_changeable_until_its_date(anna, award):
    first = services.feedback_give(actor=anna, award_public_id=award.public_id, rating=2)
    second = services.feedback_give(actor=anna, award_public_id=award.public_id, rating=5, comment="Better now")
    assert first.pk == second.pk and Feedback.objects.count() == 1
    assert Feedback.objects.get().rating == 5
    later = timezone.now() + datetime.timedelta(days=services.FEEDBACK_EDIT_DAYS + 1)
    with pytest.raises(ApplicationError) as error:
        services.feedback_give(actor=anna, award_public_id=award.public_id, rating=1, now=later)
    assert error.value.code == "closed" and Feedback.objects.get().rating == 5


@pytest.mark.parametrize("rating, comment", [(0, ""), (6, ""), (True, ""), ("5", ""), (3, "x" * 1001)])
def test_rating_and_comment_are_bounded(anna, award, rating, comment):
    with pytest.raises(ApplicationError):
        services.feedback_give(actor=anna, award_public_id=award.public_id, rating=rating, comment=comment)
    assert not Feedback.objects.exists()


def test_only_the_learner_gives_feedback(client, owner, outsider, award, make_user):
    unverified = make_user("other@example.org")
    for actor in (owner, outsider, unverified):
        with pytest.raises(NotFound):
            services.feedback_give(actor=actor, award_public_id=award.public_id, rating=5)
        client.force_login(actor)
        url = reverse("microcredentials:feedback_give", args=[award.public_id])
        assert client.get(url).status_code == 404
        assert client.post(url, {"rating": "5"}).status_code == 404
    assert not Feedback.objects.exists() and not AuditEvent.objects.filter(verb__contains="feedback").exists()


def test_provider_sees_the_aggregate_names_only_with_consent(client, owner, outsider, published, make_user):
    for i, (rating, consent) in enumerate([(5, True), (3, False), (4, False)]):
        email = f"learner{i}@example.org"
        award = award_services.award_issue(actor=owner, specification=published,
                                           learner=_learner(email, f"Learner {i}"))
        services.feedback_give(actor=make_user(email), award_public_id=award.public_id, rating=rating,
                               comment=f"comment {i}", show_name=consent)
    summary = feedback_summary(actor=owner, specification=published)
    assert summary["count"] == 3 and summary["average"] == 4.0
    assert summary["distribution"] == {1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    names = {c["comment"]: c["name"] for c in summary["recent"]}
    assert names == {"comment 0": "Learner 0", "comment 1": "", "comment 2": ""}
    client.force_login(owner)
    page = client.get(reverse("microcredentials:specification_feedback", args=[published.public_id]))
    assert page.status_code == 200 and "Learner 0" in page.content.decode()
    assert "Learner 1" not in page.content.decode()
    with pytest.raises(NotFound):
        feedback_summary(actor=outsider, specification=published)
    client.force_login(outsider)
    assert client.get(reverse("microcredentials:specification_feedback",
                              args=[published.public_id])).status_code == 404


def test_catalogue_shows_the_aggregate_only_from_five_ratings(client, owner, published, make_user):
    url = reverse("microcredentials:catalogue_detail", args=[published.public_id])
    for i in range(services.PUBLIC_MIN_COUNT):
        assert feedback_public_summary(specification=published, minimum=services.PUBLIC_MIN_COUNT) is None
        assert "Learners' rating" not in client.get(url).content.decode()
        email = f"l{i}@example.org"
        award = award_services.award_issue(actor=owner, specification=published, learner=_learner(email))
        services.feedback_give(actor=make_user(email), award_public_id=award.public_id, rating=4,
                               comment="secret words")
    public = feedback_public_summary(specification=published, minimum=services.PUBLIC_MIN_COUNT)
    assert public == {"count": 5, "average": 4.0, "distribution": {1: 0, 2: 0, 3: 0, 4: 5, 5: 0}}
    page = client.get(url).content.decode()
    assert "Learners' rating" in page and "secret words" not in page


def test_api_give_and_aggregate(client, owner, outsider, anna, award, published):
    _t, learner_secret = api_token_create(actor=anna, name="tests")
    _t, owner_secret = api_token_create(actor=owner, name="tests")
    _t, outsider_secret = api_token_create(actor=outsider, name="tests")
    url = f"{API}/mine/{award.public_id}/feedback"
    for body in ({"rating": "5"}, {"rating": 6}, {"rating": 5, "show_name": 1}):
        response = client.put(url, body, content_type="application/json",
                              HTTP_AUTHORIZATION=f"Bearer {learner_secret}")
        assert response.status_code == 422, body
    response = client.put(url, {"rating": 5, "comment": "Good"}, content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {outsider_secret}")
    assert response.status_code == 404 and not Feedback.objects.exists()
    response = client.put(url, {"rating": 5, "comment": "Good\nreally"}, content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {learner_secret}")
    assert response.status_code == 200, response.content
    assert response.json()["rating"] == 5 and response.json()["award"] == award.public_id
    response = client.get(f"{API}/specifications/{published.public_id}/feedback",
                          HTTP_AUTHORIZATION=f"Bearer {owner_secret}")
    assert response.status_code == 200
    assert response.json()["count"] == 1 and response.json()["distribution"]["5"] == 1
    assert response.json()["recent"][0]["name"] == ""
    response = client.get(f"{API}/specifications/{published.public_id}/feedback",
                          HTTP_AUTHORIZATION=f"Bearer {outsider_secret}")
    assert response.status_code == 404


def test_another_learner_and_anonymous_clients_change_nothing(client, owner, published, award, anna, make_user):
    """A learner of another award of the same micro-credential cannot give or read feedback on this one; a client
    that is not signed in is sent to sign in (page) or refused (API); nothing changes."""
    other_award = award_services.award_issue(actor=owner, specification=published,
                                             learner=_learner("janis@example.org", "Jānis Ozols"))
    janis = make_user("janis@example.org")
    janis_token = api_token_create(actor=janis, name="t")[1]
    services.feedback_give(actor=anna, award_public_id=award.public_id, rating=4, comment="Useful")
    before = (list(Feedback.objects.values()), AuditEvent.objects.count())
    with pytest.raises(NotFound):
        services.feedback_give(actor=janis, award_public_id=award.public_id, rating=1, comment="Changed")
    url = reverse("microcredentials:feedback_give", args=[award.public_id])
    client.force_login(janis)
    assert client.get(url).status_code == 404
    assert client.post(url, {"rating": "1", "comment": "Changed"}).status_code == 404
    api = f"{API}/mine/{award.public_id}/feedback"
    assert client.put(api, {"rating": 1}, content_type="application/json").status_code == 404  # session
    response = client.put(api, {"rating": 1}, content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {janis_token}")
    assert response.status_code == 404
    assert "Useful" not in client.get(reverse("microcredentials:learner_awards")).content.decode()
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert client.post(url, {"rating": "1"}).status_code == 302
    assert client.put(api, {"rating": 1}, content_type="application/json").status_code == 401
    assert (list(Feedback.objects.values()), AuditEvent.objects.count()) == before
    assert not Feedback.objects.filter(award=other_award).exists()
