import datetime

import pytest

from agnitio.apikeys.services import api_token_create
from agnitio.core.tests.spreadsheet_files import xlsx
from agnitio.invitations.services import invitation_accept
from agnitio.organisations.models import Membership, Signatory
from agnitio.youthpass import services
from agnitio.youthpass.models import LearningOutcome, Participant, Project

API = "/api/v1/youthpass"


@pytest.fixture
def token(owner):
    return api_token_create(actor=owner, name="test")[1]


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_project_activity_participant_crud(client, token, organisation):
    response = client.post(f"{API}/projects", {"organisation": organisation.public_id,
                                               "grant_number": "2022-1-LV01-KA153-YOU-00000000X",
                                               "programme": "erasmus_youth", "project_type": "youth_workers_mobility"},
                           content_type="application/json", **auth(token))
    assert response.status_code == 400 and "Part 6" in response.json()["detail"]
    assert response.json()["code"] == "grant_number" and not Project.objects.exists()
    response = client.post(f"{API}/projects", {"organisation": organisation.public_id,
                                               "grant_number": "2022-1-LV01-KA153-YOU-000000000",
                                               "programme": "erasmus_youth", "project_type": "youth_workers_mobility"},
                           content_type="application/json", **auth(token))
    assert response.status_code == 201
    pid = response.json()["public_id"]
    assert response.json()["display_name"] == "2022-1-LV01-KA153-YOU-000000000"
    response = client.patch(f"{API}/projects/{pid}", {"title": "Līdzdalība"}, content_type="application/json",
                            **auth(token))
    assert response.json()["display_name"] == "Līdzdalība"
    response = client.post(f"{API}/projects/{pid}/activities", {
        "activity_type": "seminar", "title": "Seminārs", "start_date": "2026-05-01", "end_date": "2026-05-03",
        "venue_city": "Rīga", "venue_country": "LV"}, content_type="application/json", **auth(token))
    assert response.status_code == 201
    aid = response.json()["public_id"]
    response = client.post(f"{API}/projects/{pid}/participants", {
        "first_name": "Ieva", "last_name": "Kalniņa", "email": "ieva@example.org", "activities": [aid],
        "role": "team_member"}, content_type="application/json", **auth(token))
    assert response.status_code == 201 and response.json()["activities"] == [aid]
    listed = client.get(f"{API}/projects/{pid}/participants?role=team_member", **auth(token)).json()
    assert [p["last_name"] for p in listed["items"]] == ["Kalniņa"] and listed["next"] is None
    assert client.get(f"{API}/projects/{pid}/participants?role=participant", **auth(token)).json()["items"] == []
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/youthpass/projects/{pid}/participants/import" in schema["paths"]


def test_outsider_and_bound_token_see_nothing(client, owner, outsider, project, participant, other_organisation):
    outsider_token = api_token_create(actor=outsider, name="x")[1]
    assert client.get(f"{API}/projects", **auth(outsider_token)).json()["items"] == []
    assert client.get(f"{API}/projects/{project.public_id}", **auth(outsider_token)).status_code == 404
    response = client.patch(f"{API}/projects/{project.public_id}/participants/{participant.public_id}",
                            {"first_name": "Hacked"}, content_type="application/json", **auth(outsider_token))
    assert response.status_code == 404
    Membership.objects.create(organisation=other_organisation, user=owner, role="owner")
    bound = api_token_create(actor=owner, name="bound", organisation=other_organisation)[1]
    assert client.get(f"{API}/projects/{project.public_id}", **auth(bound)).status_code == 404
    assert client.get(f"{API}/projects", **auth(bound)).json()["items"] == []
    participant.refresh_from_db()
    assert participant.first_name == "Anna"
    assert client.get(f"{API}/projects").status_code == 401


def test_import_dry_run_errors_and_commit(client, token, project, activity):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = xlsx([["First name", "Last name", "Country"], ["A", "B", "Narnia"], ["C", "D", "LV"]])
    response = client.post(f"{API}/projects/{project.public_id}/participants/import",
                           {"file": SimpleUploadedFile("t.xlsx", bad), "dry_run": "true"}, **auth(token))
    body = response.json()
    assert response.status_code == 200 and body["preview"]["error_count"] == 1
    assert body["preview"]["errors"][0]["line"] == 2
    response = client.post(f"{API}/projects/{project.public_id}/participants/import",
                           {"file": SimpleUploadedFile("t.xlsx", bad)}, **auth(token))
    assert response.status_code == 400 and not project.participants.exists()
    good = xlsx([["Vārds", "Uzvārds", "Valsts"], ["A", "B", "Igaunija"], ["C", "D", "LV"]])
    response = client.post(f"{API}/projects/{project.public_id}/participants/import",
                           {"file": SimpleUploadedFile("t.xlsx", good), "activities": activity.public_id},
                           **auth(token))
    assert response.json() == {"imported": 2, "preview": None, "headers": [], "rejected": []}
    assert sorted(project.participants.values_list("country", flat=True)) == ["EE", "LV"]
    assert activity.participants.count() == 2


def test_invite_and_learner_outcomes_api(client, owner, token, project, participant, learner):
    response = client.post(f"{API}/projects/{project.public_id}/participants/invite",
                           {"participants": [participant.public_id], "personal_message": "Sveiki!"},
                           content_type="application/json", **auth(token))
    assert response.json() == {"done": 1, "skipped": []}
    participant.refresh_from_db()
    invitation_accept(user=learner, token=_last_token(participant))
    learner_token = api_token_create(actor=learner, name="me")[1]
    records = client.get("/api/v1/youthpass/me/youthpass", **auth(learner_token)).json()
    assert [r["public_id"] for r in records] == [participant.public_id]
    response = client.put(f"{API}/me/youthpass/{participant.public_id}/outcomes", {
        "outcomes": [{"framework": "key_competences_2018", "competence": "citizenship", "language": "lv",
                      "text": "Piedalījos vēlēšanu simulācijā."}], "submit": True},
        content_type="application/json", **auth(learner_token))
    assert response.status_code == 200 and response.json()[0]["competence"] == "citizenship"
    participant.refresh_from_db()
    assert participant.status == "outcomes_submitted"
    # the organiser's token cannot write as the learner
    response = client.put(f"{API}/me/youthpass/{participant.public_id}/outcomes", {"outcomes": []},
                          content_type="application/json", **auth(token))
    assert response.status_code == 404
    assert LearningOutcome.objects.count() == 1


def _last_token(participant):
    from agnitio.notifications.models import OutboxEmail

    body = OutboxEmail.objects.filter(to=participant.email).latest("id").body_text
    line = next(x for x in body.splitlines() if "/invitations/" in x)
    return line.strip().rstrip("/").rsplit("/", 1)[-1]


def test_issue_certificate_api(client, token, owner, organisation, project, accepted, learner):
    services.outcomes_save(actor=learner, participant=accepted, submit=True,
                           texts={("other", "", "en"): "Cooking for 30 people."})
    signatory = Signatory.objects.create(organisation=organisation, full_name="L", position="Chair")
    services.project_finalise(actor=owner, project=project, signing_place="Rīga",
                              signing_date=datetime.date(2026, 6, 1),
                              certificate_language="en", signatory_page1=signatory, signatory_part2=signatory)
    url = f"{API}/projects/{project.public_id}/participants/{accepted.public_id}/certificate"
    assert client.get(url, **auth(token)).status_code == 404
    first = client.post(url, content_type="application/json", **auth(token)).json()  # a first issue: no body
    assert first["status"] == "valid" and first["verification_url"].endswith(f"/verify/{first['code']}")
    assert client.get("/verify/" + first["verification_url"].rsplit("/verify/", 1)[1]).status_code == 200
    second = client.post(url, {"replace": first["public_id"]}, content_type="application/json",
                         **auth(token)).json()
    assert second["supersedes"] == first["number"]
    assert client.get(url, **auth(token)).json()["number"] == second["number"]
    assert Participant.objects.get(pk=accepted.pk).status == "certificate_issued"


def test_certificate_batch_api(client, token, owner, organisation, project, accepted, learner,
                               django_capture_on_commit_callbacks):
    services.outcomes_save(actor=learner, participant=accepted, submit=True,
                           texts={("other", "", "en"): "Cooking for 30 people."})
    signatory = Signatory.objects.create(organisation=organisation, full_name="L", position="Chair")
    services.project_finalise(actor=owner, project=project, signing_place="Rīga",
                              signing_date=datetime.date(2026, 6, 1), certificate_language="en",
                              signatory_page1=signatory, signatory_part2=signatory)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{API}/projects/{project.public_id}/certificates/batches", {},
                               content_type="application/json", **auth(token))
    assert response.status_code == 201 and response.json()["total"] == 1
    progress = client.get(f"{API}/projects/{project.public_id}/certificates/batches/{response.json()['public_id']}",
                          **auth(token)).json()
    assert progress["status"] == "finished" and progress["done"] == 1 and progress["failed"] == []


def test_the_lists_are_cursor_pages(client, owner, project):
    """GET /projects and /projects/{pid}/participants answer {"items", "next", "previous"}: following `next`
    gives every row once; a cursor that is not one of the list's is a 400, a size out of 1..200 a 422."""
    token = api_token_create(actor=owner, name="pages")[1]
    for i in range(5):
        services.participant_create(actor=owner, project=project, first_name=f"P{i}", last_name=f"L{i}")
    url, seen, cursor = f"{API}/projects/{project.public_id}/participants", [], None
    while True:
        body = client.get(url, {"size": 2, **({"cursor": cursor} if cursor else {})}, **auth(token)).json()
        seen += [p["last_name"] for p in body["items"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == ["L0", "L1", "L2", "L3", "L4"]
    assert client.get(url, {"cursor": "garbage"}, **auth(token)).status_code == 400
    assert client.get(url, {"size": 0}, **auth(token)).status_code == 422
    projects = client.get(f"{API}/projects", {"size": 1}, **auth(token)).json()
    assert [p["public_id"] for p in projects["items"]] == [project.public_id] and projects["next"] is None
