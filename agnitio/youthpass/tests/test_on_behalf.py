"""Issue 11 point 1: an organiser or editor writes a participant's self-assessment on their behalf (people without
e-mail, or who worked on paper); the history says so; such a participant is finalised and certified like any
other; a participant without e-mail is never a dead end."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from agnitio.core import versioning
from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.models import AuditEvent
from agnitio.core.permissions import allowed
from agnitio.organisations.models import Signatory
from agnitio.youthpass import services
from agnitio.youthpass.models import LearningOutcome, Participant, ProjectEditor
from agnitio.youthpass.services import certificates

FIELD = "o__key_competences_2018__multilingual__lv"
KEY = ("key_competences_2018", "multilingual", "lv")


def url(name, *args):
    return reverse(f"youthpass:{name}", args=args)


@pytest.fixture
def paper(owner, project, activity):
    """A participant without e-mail, who wrote their self-assessment on paper."""
    return services.participant_create(actor=owner, project=project, activities=[activity], first_name="Ilze",
                                       last_name="Kalniņa", country="LV", language="lv")


def test_permission_is_for_the_projects_editors(owner, editor, outsider, project, paper, learner):
    assert allowed(owner, "youthpass.write_outcomes_for", paper)
    assert not allowed(outsider, "youthpass.write_outcomes_for", paper)
    assert not allowed(editor, "youthpass.write_outcomes_for", paper)  # a member not on the project
    ProjectEditor.objects.create(organisation=project.organisation, project=project, user=editor,
                                 status=ProjectEditor.Status.ACTIVE)
    assert allowed(editor, "youthpass.write_outcomes_for", paper)
    assert not allowed(learner, "youthpass.write_outcomes_for", paper)
    with pytest.raises(NotFound):
        services.outcomes_save_on_behalf(actor=outsider, participant=paper, texts={KEY: "x"})
    assert not LearningOutcome.objects.exists()


def test_on_behalf_save_submit_history_and_certificate(owner, project, paper, signatory_ready):
    changed = services.outcomes_save_on_behalf(actor=owner, participant=paper, texts={KEY: "Runāju angliski."})
    assert changed == 1 and LearningOutcome.objects.get().text == "Runāju angliski."
    event = AuditEvent.objects.filter(object_id=paper.public_id, verb="learning outcomes entered on behalf").get()
    assert event.actor == owner and event.changes["on behalf of"] == [None, "Ilze Kalniņa"]
    # the edit-conflict check holds as for the learner
    stale = services.outcomes_version(participant=paper, names=[FIELD])
    services.outcomes_save_on_behalf(actor=owner, participant=paper, texts={KEY: "Runāju angliski labi."})
    with pytest.raises(versioning.EditConflict):
        services.outcomes_save_on_behalf(actor=owner, participant=paper, texts={KEY: "Cits"}, version=stale)
    services.participant_personal_data_confirm_on_behalf(actor=owner, participant=paper)
    paper.refresh_from_db()
    assert paper.data_confirmed_at and paper.status == Participant.Status.DATA_COMPLETED
    services.outcomes_save_on_behalf(actor=owner, participant=paper, texts={}, submit=True)
    paper.refresh_from_db()
    assert paper.status == Participant.Status.OUTCOMES_SUBMITTED and paper.outcomes_locked
    with pytest.raises(ApplicationError) as info:
        services.outcomes_save_on_behalf(actor=owner, participant=paper, texts={KEY: "vēl"})
    assert info.value.code == "locked"
    verbs = set(AuditEvent.objects.filter(object_id=paper.public_id).values_list("verb", flat=True))
    assert {"learning outcomes submitted on behalf", "personal data confirmed on behalf"} <= verbs
    # finalised and certified like anyone else
    legal, responsible = signatory_ready
    services.project_finalise(actor=owner, project=project, signing_place="Cēsis",
                              signing_date=datetime.date(2026, 6, 1), certificate_language="lv",
                              signatory_page1=legal, signatory_part2=responsible)
    paper.refresh_from_db()
    assert certificates.certificate_missing(participant=paper) == []
    certificate = certificates.certificate_issue(actor=owner, participant=paper)
    paper.refresh_from_db()
    assert paper.status == Participant.Status.CERTIFICATE_ISSUED and paper.certificate == certificate


@pytest.fixture
def signatory_ready(organisation):
    legal = Signatory.objects.create(organisation=organisation, full_name="Līga Vadītāja", position="Valdes "
                                     "priekšsēdētāja", pages=["legal_representative", "project_responsible"])
    responsible = Signatory.objects.create(organisation=organisation, full_name="Jānis Projekts",
                                           position="Projekta vadītājs", pages=["project_responsible"])
    return legal, responsible


def test_view_walk_editor_writes_confirms_and_history_shows_it(client, owner, project, paper):
    client.force_login(owner)
    pid, ppid = project.public_id, paper.public_id
    detail = client.get(url("participant_detail", pid, ppid)).content.decode()
    assert "cannot be invited" in detail and url("outcomes_on_behalf", pid, ppid) in detail
    assert "Write learning outcomes on behalf of Ilze Kalniņa" in detail
    page = client.get(url("outcomes_on_behalf", pid, ppid) + "?write=lv").content.decode()
    assert f'name="{FIELD}"' in page
    version = services.outcomes_version(participant=paper, names=[FIELD])
    response = client.post(url("outcomes_on_behalf", pid, ppid),
                           {FIELD: "Uzrakstīts uz papīra.", "write": "lv", "save": "1", "version": version})
    assert response.status_code == 302
    assert LearningOutcome.objects.get(participant=paper).text == "Uzrakstīts uz papīra."
    # submitting asks for a confirmation first and only saves the draft
    response = client.post(url("outcomes_on_behalf", pid, ppid), {FIELD: "Uzrakstīts uz papīra, labots.",
                                                                  "write": "lv", "submit": "1"})
    assert response.status_code == 200 and 'name="confirm_submit"' in response.content.decode()
    assert "Uzrakstīts uz papīra, labots." in response.content.decode()
    paper.refresh_from_db()
    assert paper.status == Participant.Status.NOT_INVITED
    response = client.post(url("outcomes_on_behalf", pid, ppid), {"confirm_submit": "1"})
    assert response.status_code == 302 and response["Location"] == url("participant_detail", pid, ppid)
    paper.refresh_from_db()
    assert paper.status == Participant.Status.OUTCOMES_SUBMITTED
    response = client.post(url("data_confirm_on_behalf", pid, ppid))
    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.data_confirmed_at is not None
    detail = client.get(url("participant_detail", pid, ppid)).content.decode()
    assert "Learning outcomes entered by" in detail and "on behalf of Ilze Kalniņa" in detail
    assert "Learning outcomes submitted by" in detail and "Personal data confirmed by" in detail
    assert "The participant has not submitted their learning outcomes." not in detail
    # locked now: the page says so and offers no submit button
    page = client.get(url("outcomes_on_behalf", pid, ppid)).content.decode()
    assert 'name="submit"' not in page and "readonly" in page


def test_latvian_history_line(client, owner, project, paper):
    services.outcomes_save_on_behalf(actor=owner, participant=paper, texts={KEY: "Teksts"})
    client.force_login(owner)
    detail = client.get(url("participant_detail", project.public_id, paper.public_id),
                        HTTP_ACCEPT_LANGUAGE="lv").content.decode()
    assert "Ilze Kalniņa vārdā" in detail


def test_list_and_bulk_actions_explain_the_missing_email(client, owner, project, paper, participant):
    client.force_login(owner)
    pid = project.public_id
    page = client.get(url("participant_list", pid)).content.decode()
    assert url("outcomes_on_behalf", pid, paper.public_id) in page
    assert "no e-mail, so no invitation" in page
    response = client.post(url("participant_list", pid), {"selected": [paper.public_id, participant.public_id],
                                                          "action": "invite", "personal_message": ""})
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Invitations sent: 1" in t for t in texts)
    explained = [t for t in texts if "No e-mail address" in t]
    assert explained and "Ilze Kalniņa" in explained[0] and "on their behalf" in explained[0]
    assert not any(t.startswith("Not done for") for t in texts)  # the reason is given instead


def test_the_learner_still_cannot_use_the_editor_service(accepted, learner):
    with pytest.raises(NotFound):
        services.outcomes_save_on_behalf(actor=learner, participant=accepted, texts={KEY: "x"})
