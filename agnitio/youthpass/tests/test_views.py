import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from agnitio.notifications.models import OutboxEmail
from agnitio.organisations.models import Signatory
from agnitio.youthpass import services
from agnitio.youthpass.models import LearningOutcome, Participant, Project


def url(name, *args):
    return reverse(f"youthpass:{name}", args=args)


def test_start_project_with_wrong_then_right_number(client, owner, organisation):
    client.force_login(owner)
    response = client.post(url("project_create"), {"grant_number": "2022-1-LV01-KA153-YOU-0000",
                                                   "programme": "erasmus_youth", "project_type": "youth_exchange"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Part 6" in content and "YYYY-R-CCNN-ACTION-FIELD-NNNNNNNNN" in content
    assert 'value="2022-1-LV01-KA153-YOU-0000"' in content  # nothing entered is lost
    assert not Project.objects.exists()
    response = client.post(url("project_create"), {"grant_number": "2022-1-LV01-KA152-YOU-000000000",
                                                   "programme": "erasmus_youth", "project_type": "youth_exchange"})
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == url("project_edit", project.public_id)
    listing = client.get(url("project_list")).content.decode()
    assert "2022-1-LV01-KA152-YOU-000000000" in listing


def test_project_edit_activity_and_partner(client, owner, project):
    client.force_login(owner)
    response = client.post(url("project_edit", project.public_id), {
        "grant_number": project.grant_number, "programme": "erasmus_youth", "project_type": "youth_workers_mobility",
        "title": "Jauniešu līdzdalība", "description": "Apraksts", "aims": "", "start_date": "2026-05-01",
        "end_date": "2026-05-31", "venue": "Cēsis"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Jauniešu līdzdalība"
    assert "Jauniešu līdzdalība" in client.get(url("project_list")).content.decode()
    response = client.post(url("activity_create", project.public_id), {
        "activity_type": "training_course", "title": "TC", "start_date": "2026-05-03", "end_date": "2026-05-02",
        "format": "onsite"})
    assert response.status_code == 200 and not project.activities.exists()  # end before start: form again
    client.post(url("activity_create", project.public_id), {
        "activity_type": "training_course", "title": "TC", "start_date": "2026-05-03", "end_date": "2026-05-08",
        "format": "blended", "venue_city": "Cēsis", "venue_country": "LV"})
    assert project.activities.get().format == "blended"
    client.post(url("partner_add", project.public_id), {"name": "Asociația Tinerilor", "country": "RO"})
    assert project.partners.get().country == "RO"


def test_outsider_and_learner_get_404(client, outsider, learner, project, participant):
    for user in (outsider, learner):
        client.force_login(user)
        for name, args in [("project_detail", [project.public_id]), ("participant_list", [project.public_id]),
                           ("participant_detail", [project.public_id, participant.public_id]),
                           ("project_finalise", [project.public_id])]:
            assert client.get(url(name, *args)).status_code == 404
        response = client.post(url("participant_list", project.public_id),
                               {"selected": [participant.public_id], "action": "delete", "confirm_delete": "on"})
        assert response.status_code == 404
    assert Participant.objects.filter(pk=participant.pk).exists()


def test_participant_list_filters_and_constant_queries(client, owner, project, activity,
                                                       django_assert_max_num_queries):
    client.force_login(owner)
    for i in range(3):
        services.participant_create(actor=owner, project=project, activities=[activity], first_name=f"A{i}",
                                    last_name="X", role="team_member" if i == 0 else "participant")
    with django_assert_max_num_queries(30) as few:
        client.get(url("participant_list", project.public_id))
    for i in range(20):
        services.participant_create(actor=owner, project=project, activities=[activity], first_name=f"B{i}",
                                    last_name="Y")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("participant_list", project.public_id))
    assert response.content.decode().count('name="selected"') == 23
    filtered = client.get(url("participant_list", project.public_id), {"role": "team_member"}).content.decode()
    assert filtered.count('name="selected"') == 1


def test_bulk_invite_message_and_delete(client, owner, project, participant):
    client.force_login(owner)
    response = client.post(url("participant_list", project.public_id), {
        "selected": [participant.public_id], "action": "invite", "personal_message": "Gaidām!"})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.status == "invited"
    assert "Gaidām!" in OutboxEmail.objects.get().body_text
    client.post(url("participant_list", project.public_id), {
        "selected": [participant.public_id], "action": "message", "personal_message": "Rīt 9:00"})
    detail = client.get(url("participant_detail", project.public_id, participant.public_id)).content.decode()
    assert "Rīt 9:00" in detail and "History of communication" in detail
    client.post(url("participant_list", project.public_id), {"selected": [participant.public_id], "action": "delete"})
    assert Participant.objects.filter(pk=participant.pk).exists()  # not confirmed
    client.post(url("participant_list", project.public_id), {
        "selected": [participant.public_id], "action": "delete", "confirm_delete": "on"})
    assert not Participant.objects.filter(pk=participant.pk).exists()


def _xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "dalibnieki.xlsx"
    return buffer


def test_import_upload_map_preview_and_commit(client, owner, project, activity, django_capture_on_commit_callbacks):
    client.force_login(owner)
    upload = _xlsx([["Vārds", "Uzvārds", "Piezīmes", "E-pasts"], ["Līga", "Ozoliņa", "x", "liga@example.org"],
                    ["Pēteris", "Kalns", "", "bad-mail"]])
    response = client.post(url("import_upload", project.public_id), {"file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "bad-mail" in page and "Import 2 people" not in page  # an error row blocks the import
    upload = _xlsx([["Vārds", "Uzvārds", "Piezīmes", "E-pasts"], ["Līga", "Ozoliņa", "x", "liga@example.org"],
                    ["Pēteris", "Kalns", "", "peteris@example.org"]])
    map_url = client.post(url("import_upload", project.public_id), {"file": upload})["Location"]
    assert "Import 2 people" in client.get(map_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(map_url, {"col_0": "first_name", "col_1": "last_name", "col_2": "", "col_3": "email",
                                         "default_role": "team_member", "activities": [activity.pk], "commit": "1"})
    assert response.status_code == 302
    assert set(project.participants.values_list("last_name", "role")) == {("Ozoliņa", "team_member"),
                                                                         ("Kalns", "team_member")}
    assert activity.participants.count() == 2
    from django.core.files.storage import default_storage

    done = project.imports.get(status="imported")
    assert not default_storage.exists(done.file.name)  # the table is not kept after the import


def test_import_rejects_a_non_table(client, owner, project):
    client.force_login(owner)
    fake = io.BytesIO(b"%PDF-1.7 not a table")
    fake.name = "list.xlsx"
    response = client.post(url("import_upload", project.public_id), {"file": fake})
    assert response.status_code == 200 and "not a spreadsheet" in response.content.decode()
    assert not project.imports.exists()


@pytest.mark.parametrize(("language", "heading"), [("lv", "Vārds"), ("en", "First name")])
def test_example_table_download(client, owner, language, heading):
    client.force_login(owner)
    response = client.get(url("import_example"), HTTP_ACCEPT_LANGUAGE=language)
    assert load_workbook(io.BytesIO(response.content)).active["A1"].value == heading


def test_export_neutralises_formulas(client, owner, project):
    services.participant_create(actor=owner, project=project, first_name="=cmd|' /C calc'!A0", last_name="X")
    client.force_login(owner)
    sheet = load_workbook(io.BytesIO(client.get(url("participant_export", project.public_id)).content)).active
    assert sheet["A2"].value == "'=cmd|' /C calc'!A0"


def test_learner_path_invitation_data_autosave_submit(client, owner, project, participant, learner):
    services.participant_invite(actor=owner, participants=[participant])
    invite_url = reverse("invitations:accept", args=[participant._token])
    page = client.get(invite_url).content.decode()
    assert "Sign in to accept" in page  # the learner has an account with the invited address
    client.force_login(learner)
    response = client.post(invite_url)
    assert response.status_code == 302 and response["Location"] == url("learner_data", participant.public_id)
    response = client.post(url("learner_data", participant.public_id), {
        "first_name": "Anna", "last_name": "Bērziņa", "email": "anna@example.org", "country": "LV",
        "date_of_birth": "2004-02-29", "place_of_birth": "Valmiera"})
    assert response.status_code == 302
    page = client.get(url("learner_outcomes", participant.public_id)).content.decode()
    assert "Daudzvalodu kompetence" in page or "Multilingual competence" in page
    assert 'hx-trigger="input changed delay:1s"' in page
    field = "o__key_competences_2018__multilingual__lv"
    free = "o__other__-__en"
    assert f'name="{field}"' in page and 'name="o__other__-__lv"' in page
    response = client.post(url("learner_outcomes_draft", participant.public_id),
                           {field: "Runāju angliski.", free: "Cooking"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Draft saved" in response.content.decode()
    assert dict(LearningOutcome.objects.values_list("competence_id", "text")) == {
        "multilingual": "Runāju angliski.", "": "Cooking"}
    client.post(url("learner_outcomes_draft", participant.public_id), {free: ""})
    response = client.post(url("learner_outcomes", participant.public_id), {field: "Runāju angliski labi.",
                                                                            "submit": "1", "write": "lv"})
    participant.refresh_from_db()
    assert response.status_code == 302 and participant.status == "outcomes_submitted"
    response = client.post(url("learner_outcomes_draft", participant.public_id), {field: "Mainīts"})
    assert "submitted" in response.content.decode()
    assert LearningOutcome.objects.get().text == "Runāju angliski labi."


def test_used_invitation_link_shows_a_clear_page(client, owner, participant, learner):
    services.participant_invite(actor=owner, participants=[participant])
    client.force_login(learner)
    link = reverse("invitations:accept", args=[participant._token])
    client.post(link)
    assert "already been used" in client.get(link).content.decode()
    services.participant_invite(actor=owner, participants=[participant])  # a new link: the old one is dead
    response = client.get(reverse("youthpass:invitation", args=[participant._token]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("invitations:accept", args=[participant._token])


def test_editor_invitation_through_the_pages(client, owner, editor, project):
    client.force_login(owner)
    client.post(url("editor_list", project.public_id), {"email": editor.email, "full_name": "Eva", "language": "lv"})
    mail = OutboxEmail.objects.get(to=editor.email)
    link = next(line for line in mail.body_text.splitlines() if "/invitations/" in line).strip()
    path = link[link.index("/invitations/"):]
    client.force_login(editor)
    assert client.get(url("project_detail", project.public_id)).status_code == 404
    assert client.post(path).status_code == 302
    assert client.get(url("project_detail", project.public_id)).status_code == 200
    editor_row = project.editors.get()
    client.force_login(owner)
    client.post(url("editor_revoke", project.public_id, editor_row.public_id))
    client.force_login(editor)
    assert client.get(url("project_detail", project.public_id)).status_code == 404


def test_finalise_issue_download(client, owner, organisation, project, accepted, learner):
    services.outcomes_save(actor=learner, participant=accepted, submit=True,
                           texts={("key_competences_2018", "digital", "lv"): "Veidoju video."})
    signatory = Signatory.objects.create(organisation=organisation, full_name="Līga", position="Valdes locekle")
    client.force_login(owner)
    response = client.post(url("project_finalise", project.public_id), {
        "signing_place": "Rīga", "signing_date": "2026-06-01", "signatory_page1": signatory.pk,
        "signatory_part2": signatory.pk, "certificate_language": "lv"})
    assert response.status_code == 302
    preview = client.get(url("certificate_preview", project.public_id, accepted.public_id))
    assert preview["Content-Type"] == "application/pdf" and preview.content.startswith(b"%PDF")
    client.post(url("certificate_issue", project.public_id, accepted.public_id))
    accepted.refresh_from_db()
    assert accepted.status == "certificate_issued"
    pdf = client.get(url("certificate_download", project.public_id, accepted.public_id))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert client.get(url("certificates_zip", project.public_id)).content.startswith(b"PK")
    first = accepted.certificate.number
    client.post(url("certificate_issue", project.public_id, accepted.public_id),  # re-issue after a correction
                {"replace": accepted.certificate.public_id})
    page = client.get(url("participant_detail", project.public_id, accepted.public_id)).content.decode()
    assert "Earlier certificates" in page and first in page


def test_reminders_page_opt_in_and_edit(client, owner, project):
    client.force_login(owner)
    client.post(url("reminder_list", project.public_id), {"opt": "in"})
    project.refresh_from_db()
    assert project.yans_opt_in and project.reminders.count() == 4
    reminder = project.reminders.order_by("send_on").first()
    p = reminder.public_id
    client.post(url("reminder_list", project.public_id), {"reminder": p, f"{p}-send_on": "2026-04-20",
                                                          f"{p}-subject": "Mērķi", f"{p}-body": "Teksts"})
    reminder.refresh_from_db()
    assert reminder.subject == "Mērķi" and reminder.send_on == datetime.date(2026, 4, 20)


def test_new_person_signs_up_through_the_invitation_link(client, owner, participant):
    from agnitio.accounts.models import User

    services.participant_invite(actor=owner, participants=[participant])
    invite_url = reverse("invitations:accept", args=[participant._token])
    page = client.get(invite_url)
    signup_url = page.context["signup_url"]
    assert "email=anna%40example.org" in signup_url
    response = client.post(signup_url, {"email": "anna@example.org", "password1": "Jauna-parole-2026!",
                                        "password2": "Jauna-parole-2026!", "full_name": "Anna Bērziņa",
                                        "language": "lv"})
    assert response.status_code == 302 and response["Location"] == invite_url  # no extra e-mail round trip
    assert client.post(invite_url).status_code == 302
    participant.refresh_from_db()
    assert participant.user == User.objects.get(email="anna@example.org")


def test_supervisor_pages(client, owner, project, participant, make_user):
    client.force_login(owner)
    client.post(url("supervisor_invite", project.public_id, participant.public_id),
                {"full_name": "Ilze Mentore", "email": "mentore@example.org", "position": "Mentore",
                 "language": "en"})
    participant.refresh_from_db()
    body = OutboxEmail.objects.get(to="mentore@example.org").body_text
    link = next(x for x in body.split() if "/invitations/" in x)
    path = link[link.index("/invitations/"):]
    client.logout()
    assert "Sign up to accept" in client.get(path).content.decode()
    client.force_login(make_user("mentore@example.org"))
    response = client.post(path)
    assert response["Location"] == url("supervisor_assess", participant.public_id)
    client.post(response["Location"], {"assessment": "Strādāja patstāvīgi un rūpīgi.", "position": "Mentore"})
    participant.refresh_from_db()
    assert participant.supervisor_assessment == "Strādāja patstāvīgi un rūpīgi."


def test_list_pages_and_everyone_matching_the_filter(client, owner, project, monkeypatch):
    from agnitio.youthpass.views import participants as participant_views

    monkeypatch.setattr(participant_views, "PAGE_SIZE", 2)
    for i in range(5):
        services.participant_create(actor=owner, project=project, first_name=f"P{i}", last_name=f"L{i}",
                                    email=f"p{i}@example.org", role="team_member" if i < 3 else "participant")
    client.force_login(owner)
    first = client.get(url("participant_list", project.public_id), {"role": "team_member"}).content.decode()
    assert first.count('name="selected"') == 2 and "for all 3 people matching the filter" in first
    next_link = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    assert "role=team_member" in next_link and "cursor=" in next_link
    assert client.get(next_link).content.decode().count('name="selected"') == 1
    client.post(url("participant_list", project.public_id) + "?role=team_member",
                {"all_matching": "1", "action": "invite"})
    assert set(Participant.objects.filter(status="invited").values_list("role", flat=True)) == {"team_member"}
    assert Participant.objects.filter(status="invited").count() == 3
    # everyone matching on one page: counted from the page (no COUNT query), the same number
    monkeypatch.setattr(participant_views, "PAGE_SIZE", 10)
    single = client.get(url("participant_list", project.public_id), {"role": "team_member"}).content.decode()
    assert single.count('name="selected"') == 3 and "for all 3 people matching the filter" in single
    assert "for all 5 people matching the filter" in client.get(url("participant_list", project.public_id)
                                                                ).content.decode()


def test_pending_editor_invitation_is_sent_again_from_the_editor_list(client, owner, project, editor):
    from agnitio.invitations.models import Invitation

    invited = services.project_editor_invite(actor=owner, project=project, email=editor.email, full_name="Eva",
                                             language="en")
    invitation = Invitation.objects.get(target_id=invited.pk, kind="youthpass_project_editor")
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=invitation.sent_at - datetime.timedelta(minutes=5))
    client.force_login(owner)
    resend = reverse("invitations:manage", args=[invitation.public_id, "resend"])
    assert resend in client.get(url("editor_list", project.public_id)).content.decode()
    response = client.post(resend)
    assert response.status_code == 302 and response["Location"] == url("editor_list", project.public_id)
    assert OutboxEmail.objects.filter(to=editor.email).count() == 2
    assert client.get(reverse("invitations:accept", args=[invited._token])).status_code == 404  # old link dead
    client.force_login(editor)  # not on the project before accepting: no page at all
    assert client.get(url("editor_list", project.public_id)).status_code == 404
