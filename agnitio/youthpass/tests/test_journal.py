"""Issue 11 point 8 (seed 001, DOMAIN D1–D2): a participant sets learning goals and keeps dated reflection notes,
each private or shared with their supervisor/mentor; sees them beside the outcome form; the mentor sees only what
was shared with them; nobody else (organisers and editors included) sees any of it. In ESC jobs and traineeships
the participant's role reads "trainee" / "employee" (lv: "stažieris" / "nodarbinātais")."""

import datetime
import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from agnitio.accounts.privacy import account_erase, personal_data_export
from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.models import AuditEvent
from agnitio.core.permissions import allowed
from agnitio.invitations.services import invitation_accept
from agnitio.youthpass import selectors, services
from agnitio.youthpass.models import LearningGoal, Participant, ProjectEditor, ReflectionNote
from agnitio.youthpass.services.journal import GOALS_MAX

PASSWORD = "correct-horse-battery"


def url(name, *args):
    return reverse(f"youthpass:{name}", args=args)


@pytest.fixture
def mentor(make_user):
    return make_user("mentor@example.org", full_name="Māris Mentors")


def _supervised(owner, participant, mentor_user):
    participant = services.supervisor_invite(actor=owner, participant=participant, full_name="Māris Mentors",
                                             email=mentor_user.email)
    invitation_accept(user=mentor_user, token=participant._supervisor_token)
    participant.refresh_from_db()
    return participant


@pytest.fixture
def supervised(owner, accepted, mentor):
    """Anna (the learner, invitation accepted) with Māris as her mentor (supervisor invitation accepted)."""
    return _supervised(owner, accepted, mentor)


@pytest.fixture
def other_learner(make_user):
    return make_user("juris@example.org")


@pytest.fixture
def other_mentor(make_user):
    return make_user("other.mentor@example.org")


@pytest.fixture
def other_record(owner, project, activity, other_learner, other_mentor):
    """Another participant of the same project (their own account) with their own mentor."""
    other = services.participant_create(actor=owner, project=project, activities=[activity], first_name="Juris",
                                        last_name="Liepa", email="juris@example.org", country="LV")
    services.participant_invite(actor=owner, participants=[other])
    invitation_accept(user=other_learner, token=other._token)
    other.refresh_from_db()
    return _supervised(owner, other, other_mentor)


@pytest.fixture
def journal(supervised, learner):
    """A private and a shared goal, a private and a shared note."""
    day = timezone.localdate()
    return {
        "private_goal": services.learning_goal_add(actor=learner, participant=supervised,
                                                   text="Slepenais mērķis: pārvarēt bailes runāt."),
        "shared_goal": services.learning_goal_add(actor=learner, participant=supervised, shared=True,
                                                  text="Kopīgais mērķis: vadīt darba grupu."),
        "private_note": services.reflection_note_add(actor=learner, participant=supervised,
                                                     written_on=day - datetime.timedelta(days=2),
                                                     text="Privātas pārdomas par strīdu komandā."),
        "shared_note": services.reflection_note_add(actor=learner, participant=supervised, shared=True,
                                                    written_on=day - datetime.timedelta(days=1),
                                                    text="Kopīgas pārdomas: pirmo reizi vadīju sapulci."),
    }


def _state():
    return (sorted(LearningGoal.objects.values_list("public_id", "text", "shared")),
            sorted(ReflectionNote.objects.values_list("public_id", "text", "shared", "written_on")))


# --- rules -------------------------------------------------------------------------------------------------------

def test_rules_only_the_learner_keeps_the_journal_and_only_their_mentor_reads_the_shared(
        supervised, learner, mentor, owner, admin, editor, outsider, other_record, other_learner, other_mentor,
        project):
    from django.contrib.auth.models import AnonymousUser

    ProjectEditor.objects.create(organisation=project.organisation, project=project, user=editor,
                                 status=ProjectEditor.Status.ACTIVE)
    assert allowed(learner, "youthpass.keep_learning_journal", supervised)
    assert allowed(mentor, "youthpass.view_shared_journal", supervised)
    assert not allowed(mentor, "youthpass.keep_learning_journal", supervised)
    for someone in (owner, admin, editor, outsider, other_learner, other_mentor, AnonymousUser()):
        assert not allowed(someone, "youthpass.keep_learning_journal", supervised), someone
        assert not allowed(someone, "youthpass.view_shared_journal", supervised), someone
    assert not allowed(learner, "youthpass.view_shared_journal", other_record)
    assert not allowed(mentor, "youthpass.view_shared_journal", other_record)


def test_a_new_supervisor_invitation_ends_the_old_mentors_access(supervised, owner, mentor, journal):
    services.supervisor_invite(actor=owner, participant=supervised, full_name="Cits Mentors",
                               email="new.mentor@example.org")
    supervised.refresh_from_db()
    with pytest.raises(NotFound):
        selectors.reflection_note_list(actor=mentor, participant=supervised)


# --- services ----------------------------------------------------------------------------------------------------

def test_learner_adds_goals_and_notes_with_audit_events_that_do_not_hold_the_text(supervised, learner, journal):
    assert LearningGoal.objects.filter(participant=supervised).count() == 2
    assert ReflectionNote.objects.filter(participant=supervised).count() == 2
    events = AuditEvent.objects.filter(verb__in=["learning goal added", "reflection note added"], actor=learner)
    assert events.count() == 4
    assert all("mērķis" not in json.dumps(e.changes, ensure_ascii=False) + e.object_repr
               and "pārdomas" not in json.dumps(e.changes, ensure_ascii=False) + e.object_repr for e in events)
    # not in the participant's history that the organisers read
    assert not AuditEvent.objects.filter(object_id=supervised.public_id, verb__contains="note").exists()


def test_note_is_dated_today_unless_given_and_never_in_the_future(supervised, learner):
    note = services.reflection_note_add(actor=learner, participant=supervised, text="Šodien mācījos.")
    assert note.written_on == timezone.localdate() and note.shared is False
    with pytest.raises(ApplicationError) as error:
        services.reflection_note_add(actor=learner, participant=supervised, text="Rīt.",
                                     written_on=timezone.localdate() + datetime.timedelta(days=1))
    assert error.value.code == "date"
    assert ReflectionNote.objects.count() == 1


@pytest.mark.parametrize(("text", "code"), [("   ", "empty"), ("a\x00b", None), ("x" * 10_001, None)])
def test_note_text_follows_the_text_policy(supervised, learner, text, code):
    with pytest.raises(ApplicationError) as error:
        services.reflection_note_add(actor=learner, participant=supervised, text=text)
    if code:
        assert error.value.code == code
    assert not ReflectionNote.objects.exists()


def test_goal_text_is_bounded_and_the_number_of_goals_too(supervised, learner):
    with pytest.raises(ApplicationError):
        services.learning_goal_add(actor=learner, participant=supervised, text="x" * 2_001)
    for n in range(GOALS_MAX):
        services.learning_goal_add(actor=learner, participant=supervised, text=f"Mērķis {n}")
    with pytest.raises(ApplicationError) as error:
        services.learning_goal_add(actor=learner, participant=supervised, text="Vēl viens")
    assert error.value.code == "too_many" and LearningGoal.objects.count() == GOALS_MAX


def test_learner_shares_makes_private_and_removes(supervised, learner, journal):
    goal, note = journal["private_goal"], journal["shared_note"]
    services.journal_entry_share(actor=learner, participant=supervised, kind="goal", public_id=goal.public_id,
                                 shared=True)
    services.journal_entry_share(actor=learner, participant=supervised, kind="note", public_id=note.public_id,
                                 shared=False)
    goal.refresh_from_db()
    note.refresh_from_db()
    assert goal.shared is True and note.shared is False
    assert AuditEvent.objects.filter(verb="learning goal shared").exists()
    assert AuditEvent.objects.filter(verb="reflection note made private").exists()
    services.journal_entry_delete(actor=learner, participant=supervised, kind="note", public_id=note.public_id)
    assert not ReflectionNote.objects.filter(pk=note.pk).exists()
    assert AuditEvent.objects.filter(verb="reflection note removed").exists()


@pytest.mark.parametrize("who", ["owner", "admin", "editor", "outsider", "other_learner", "mentor", "other_mentor",
                                 "anonymous"])
def test_nobody_else_writes_shares_or_removes(request, who, supervised, journal, other_record, project):
    from django.contrib.auth.models import AnonymousUser

    if who == "editor":
        ProjectEditor.objects.create(organisation=project.organisation, project=project,
                                     user=request.getfixturevalue("editor"), status=ProjectEditor.Status.ACTIVE)
    actor = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    before = _state()
    audit_count = AuditEvent.objects.count()
    attempts = [
        lambda: services.learning_goal_add(actor=actor, participant=supervised, text="Svešs mērķis"),
        lambda: services.reflection_note_add(actor=actor, participant=supervised, text="Svešas pārdomas"),
        lambda: services.journal_entry_share(actor=actor, participant=supervised, kind="note",
                                             public_id=journal["private_note"].public_id, shared=True),
        lambda: services.journal_entry_delete(actor=actor, participant=supervised, kind="goal",
                                              public_id=journal["private_goal"].public_id),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()
    assert _state() == before and AuditEvent.objects.count() == audit_count


def test_an_entry_of_another_participant_is_not_found(supervised, learner, other_record, other_learner):
    theirs = services.reflection_note_add(actor=other_learner, participant=other_record, text="Jura pārdomas")
    with pytest.raises(NotFound):  # Anna's own record, Juris's note
        services.journal_entry_delete(actor=learner, participant=supervised, kind="note", public_id=theirs.public_id)
    assert ReflectionNote.objects.filter(pk=theirs.pk).exists()


# --- selectors ---------------------------------------------------------------------------------------------------

def test_learner_reads_all_mentor_only_the_shared(supervised, learner, mentor, journal):
    assert {g.text for g in selectors.learning_goal_list(actor=learner, participant=supervised)} == {
        journal["private_goal"].text, journal["shared_goal"].text}
    assert selectors.reflection_note_list(actor=learner, participant=supervised).count() == 2
    assert [g.pk for g in selectors.learning_goal_list(actor=mentor, participant=supervised)] == [
        journal["shared_goal"].pk]
    assert [n.pk for n in selectors.reflection_note_list(actor=mentor, participant=supervised)] == [
        journal["shared_note"].pk]


@pytest.mark.parametrize("who", ["owner", "admin", "outsider", "other_learner", "other_mentor"])
def test_others_read_nothing(request, who, supervised, journal, other_record):
    actor = request.getfixturevalue(who)
    with pytest.raises(NotFound):
        selectors.learning_goal_list(actor=actor, participant=supervised)
    with pytest.raises(NotFound):
        selectors.reflection_note_list(actor=actor, participant=supervised)


# --- pages -------------------------------------------------------------------------------------------------------

def test_journal_page_works_without_javascript(client, supervised, learner):
    client.force_login(learner)
    page = client.get(url("learner_journal", supervised.public_id))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="goal-goal_text"' in html and 'name="note-note_text"' in html and "<script" not in html.split(
        "<main")[1].split("</main>")[0]
    response = client.post(url("learner_journal", supervised.public_id),
                           {"add": "goal", "goal-goal_text": "Iemācīties vadīt sapulces", "goal-goal_shared": "on"})
    assert response.status_code == 302
    goal = LearningGoal.objects.get()
    assert goal.text == "Iemācīties vadīt sapulces" and goal.shared
    response = client.post(url("learner_journal", supervised.public_id),
                           {"add": "note", "note-written_on": "2026-05-04", "note-note_text": "Pirmā diena."})
    assert response.status_code == 302
    note = ReflectionNote.objects.get()
    assert note.written_on == datetime.date(2026, 5, 4) and not note.shared
    response = client.post(url("learner_journal_entry", supervised.public_id, "note", note.public_id),
                           {"action": "share"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.shared
    html = client.get(url("learner_journal", supervised.public_id)).content.decode()
    assert "Iemācīties vadīt sapulces" in html and "Pirmā diena." in html


def test_journal_form_errors_are_shown_and_nothing_saved(client, supervised, learner):
    client.force_login(learner)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    page = client.post(url("learner_journal", supervised.public_id),
                       {"add": "note", "note-written_on": future, "note-note_text": "Nākotnē."})
    assert page.status_code == 200 and "not in the future" in page.content.decode()
    assert not ReflectionNote.objects.exists()


@pytest.mark.parametrize("who", ["owner", "other_learner", "mentor", "other_mentor"])
def test_journal_pages_of_someone_else_are_404_and_change_nothing(client, request, who, supervised, journal,
                                                                 other_record):
    client.force_login(request.getfixturevalue(who))
    before = _state()
    assert client.get(url("learner_journal", supervised.public_id)).status_code == 404
    assert client.post(url("learner_journal", supervised.public_id),
                       {"add": "goal", "goal-goal_text": "Svešs"}).status_code == 404
    for action in ("share", "private", "delete"):
        assert client.post(url("learner_journal_entry", supervised.public_id, "goal",
                               journal["private_goal"].public_id), {"action": action}).status_code == 404
    assert _state() == before


def test_anonymous_is_sent_to_sign_in_and_nothing_changes(client, supervised, journal):
    before = _state()
    response = client.post(url("learner_journal_entry", supervised.public_id, "goal",
                               journal["private_goal"].public_id), {"action": "delete"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert _state() == before


def test_outcomes_page_shows_goals_and_notes_beside_the_form(client, supervised, learner, journal):
    client.force_login(learner)
    html = client.get(url("learner_outcomes", supervised.public_id)).content.decode()
    assert 'id="outcomes-form"' in html
    aside = html.split("yp-journal-aside")[1].split("</aside>")[0]
    for entry in journal.values():
        assert entry.text in aside
    assert url("learner_journal", supervised.public_id) in aside


def test_mentor_sees_only_what_was_shared(client, supervised, mentor, journal):
    client.force_login(mentor)
    html = client.get(url("supervisor_assess", supervised.public_id)).content.decode()
    assert journal["shared_goal"].text in html and journal["shared_note"].text in html
    assert journal["private_goal"].text not in html and journal["private_note"].text not in html


def test_mentor_of_another_participant_sees_nothing_of_it(client, supervised, other_mentor, journal, other_record):
    client.force_login(other_mentor)
    assert client.get(url("supervisor_assess", supervised.public_id)).status_code == 404
    html = client.get(url("supervisor_assess", other_record.public_id)).content.decode()
    assert all(entry.text not in html for entry in journal.values())


def test_organiser_pages_show_no_goals_or_notes(client, owner, project, supervised, journal):
    client.force_login(owner)
    for page in (url("participant_detail", project.public_id, supervised.public_id),
                 url("outcomes_on_behalf", project.public_id, supervised.public_id)):
        html = client.get(page).content.decode()
        assert all(entry.text not in html for entry in journal.values()), page


def test_journal_page_is_one_page_of_notes_at_the_same_query_count_at_3_and_40(client, supervised, learner):
    day = timezone.localdate()
    client.force_login(learner)
    page_url = url("learner_journal", supervised.public_id)
    client.get(page_url)  # warm up (session, site)
    counts = {}
    for n, start in ((3, 0), (40, 3)):
        ReflectionNote.objects.bulk_create(
            ReflectionNote(organisation=supervised.organisation, participant=supervised, text=f"Pārdomas {i}",
                           written_on=day - datetime.timedelta(days=i)) for i in range(start, n))
        with CaptureQueriesContext(connection) as captured:
            html = client.get(page_url).content.decode()
        counts[n] = len(captured)
        assert sum(f"Pārdomas {i}<" in html for i in range(n)) == min(n, 20)
        assert ('rel="next"' in html) == (n > 20)
    assert counts[3] == counts[40], counts


def test_next_page_of_notes_follows_the_cursor(client, supervised, learner):
    day = timezone.localdate()
    ReflectionNote.objects.bulk_create(
        ReflectionNote(organisation=supervised.organisation, participant=supervised, text=f"Pārdomas {i}",
                       written_on=day - datetime.timedelta(days=i)) for i in range(25))
    client.force_login(learner)
    first = client.get(url("learner_journal", supervised.public_id)).content.decode()
    next_url = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    second = client.get(next_url).content.decode()
    assert "Pārdomas 24<" in second and "Pārdomas 0<" not in second


# --- personal data export and erasure ----------------------------------------------------------------------------

def test_export_holds_goals_and_notes_and_erasure_removes_them(supervised, learner, journal):
    data = json.loads(zipfile.ZipFile(io.BytesIO(personal_data_export(actor=learner))).read("personal-data.json"))
    [participation] = data["participations"]
    assert {g["text"] for g in participation["learning_goals"]} == {journal["private_goal"].text,
                                                                    journal["shared_goal"].text}
    assert {(n["text"], n["shared_with_supervisor"]) for n in participation["reflection_notes"]} == {
        (journal["private_note"].text, False), (journal["shared_note"].text, True)}
    account_erase(actor=learner)
    assert not LearningGoal.objects.exists() and not ReflectionNote.objects.exists()
    assert Participant.objects.filter(pk=supervised.pk).exists()  # the record stays, pseudonymised


def test_other_peoples_goals_stay_after_an_erasure(supervised, learner, other_record, other_learner):
    services.learning_goal_add(actor=other_learner, participant=other_record, text="Jura mērķis")
    services.learning_goal_add(actor=learner, participant=supervised, text="Annas mērķis")
    account_erase(actor=learner)
    assert list(LearningGoal.objects.values_list("text", flat=True)) == ["Jura mērķis"]


# --- role labels in ESC jobs and traineeships (D2) ---------------------------------------------------------------

@pytest.fixture
def traineeship_project(owner, organisation):
    return services.project_create(
        actor=owner, organisation=organisation, grant_number="2020-1-LV02-ESC21-TRA-000000001", programme="esc",
        project_type="traineeship_job", title="Stažēšanās", start_date=datetime.date(2026, 5, 1),
        end_date=datetime.date(2026, 10, 31))


def _traineeship_people(owner, project):
    day = datetime.date(2026, 5, 4)
    trainee_activity = services.activity_create(actor=owner, project=project, activity_type="traineeship",
                                                title="Stažēšanās birojā", start_date=day, end_date=day)
    job_activity = services.activity_create(actor=owner, project=project, activity_type="job", title="Darbs",
                                            start_date=day, end_date=day)
    trainee = services.participant_create(actor=owner, project=project, activities=[trainee_activity],
                                          first_name="Laura", last_name="Stažiere", country="LV")
    employee = services.participant_create(actor=owner, project=project, activities=[job_activity],
                                           first_name="Kārlis", last_name="Darbinieks", country="LV")
    return trainee, employee


@pytest.mark.parametrize(("language", "trainee", "employee", "either"), [
    ("en", "trainee", "employee", "trainee or employee"),
    ("lv", "stažieris", "nodarbinātais", "stažieris vai nodarbinātais"),
])
def test_traineeship_roles_read_trainee_and_employee(client, owner, traineeship_project, language, trainee,
                                                     employee, either):
    intern, worker = _traineeship_people(owner, traineeship_project)
    owner.language = language
    owner.save(update_fields=["language"])
    client.force_login(owner)
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    listing = client.get(url("participant_list", traineeship_project.public_id), **headers).content.decode()
    assert f"<td>{trainee}</td>" in listing and f"<td>{employee}</td>" in listing
    assert f">{either}</option>" in listing  # the role filter
    detail = client.get(url("participant_detail", traineeship_project.public_id, intern.public_id),
                        **headers).content.decode()
    assert f"<dd>{trainee}</dd>" in detail
    form = client.get(url("participant_edit", traineeship_project.public_id, worker.public_id),
                      **headers).content.decode()
    assert either in form
    with translation.override(language):
        assert worker.role_label == employee and intern.role_label == trainee
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(services.participant_export_xlsx(actor=owner, project=traineeship_project)))
        roles = {row[1]: row[5] for row in sheet.active.iter_rows(min_row=2, values_only=True)}
        assert roles == {"Stažiere": trainee, "Darbinieks": employee}


def test_other_project_types_keep_participant(owner, project, participant):
    with translation.override("en"):
        assert participant.role_label == "participant"
        assert dict(Participant.role_choices(project.project_type))["participant"] == "participant"


# --- JSON API (the participant's own) ----------------------------------------------------------------------------

API = "/api/v1/youthpass/me/youthpass"


def _bearer(user):
    from agnitio.apikeys.services import api_token_create

    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=user, name='journal')[1]}"}


def test_api_the_participant_writes_reads_shares_and_removes(client, supervised, learner):
    me, base = _bearer(learner), f"{API}/{supervised.public_id}"
    response = client.post(f"{base}/goals", {"text": "Vadīt sapulces", "shared": True},
                           content_type="application/json", **me)
    assert response.status_code == 201 and response.json()["shared"] is True
    goal_id = response.json()["public_id"]
    for i in range(3):
        response = client.post(f"{base}/notes", {"text": f"Pārdomas {i}", "written_on": f"2026-05-0{i + 1}"},
                               content_type="application/json", **me)
        assert response.status_code == 201
    page = client.get(f"{base}/notes?size=2", **me).json()
    assert [n["text"] for n in page["items"]] == ["Pārdomas 2", "Pārdomas 1"] and page["next"]
    rest = client.get(f"{base}/notes?size=2&cursor={page['next']}", **me).json()
    assert [n["text"] for n in rest["items"]] == ["Pārdomas 0"]
    note_id = rest["items"][0]["public_id"]
    response = client.patch(f"{base}/notes/{note_id}", {"shared": True}, content_type="application/json", **me)
    assert response.status_code == 200 and response.json()["shared"] is True
    assert client.delete(f"{base}/goals/{goal_id}", **me).status_code == 204
    assert [g["text"] for g in client.get(f"{base}/goals", **me).json()] == []
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(f"{base}/notes", {"text": "Rīt", "written_on": future}, content_type="application/json",
                           **me)
    assert response.status_code == 400 and response.json()["code"] == "date"


@pytest.mark.parametrize("who", ["owner", "mentor", "other_learner"])
def test_api_others_get_404_and_change_nothing(client, request, who, supervised, journal, other_record):
    them, base = _bearer(request.getfixturevalue(who)), f"{API}/{supervised.public_id}"
    before = _state()
    assert client.get(f"{base}/goals", **them).status_code == 404
    assert client.get(f"{base}/notes", **them).status_code == 404
    assert client.post(f"{base}/notes", {"text": "Svešs"}, content_type="application/json",
                       **them).status_code == 404
    assert client.patch(f"{base}/notes/{journal['private_note'].public_id}", {"shared": True},
                        content_type="application/json", **them).status_code == 404
    assert client.delete(f"{base}/goals/{journal['private_goal'].public_id}", **them).status_code == 404
    assert _state() == before


def test_api_anonymous_is_refused(client, supervised, journal):
    before = _state()
    assert client.get(f"{API}/{supervised.public_id}/notes").status_code == 401
    assert client.delete(f"{API}/{supervised.public_id}/goals/{journal['private_goal'].public_id}").status_code == 401
    assert _state() == before
