"""Help on every step (issue 11 point 6): the "how this step works" panel on each page of the path, the public help
pages in Latvian and English, and the sample certificate."""

from pathlib import Path

import pytest
from django.urls import reverse

from agnitio.documents.sample import HOSTILE, youthpass_demo
from agnitio.youthpass.help import STEPS

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "youthpass"
# every page of the organiser and participant path, with its step
PATH_TEMPLATES = {
    "project_list": "project_list", "project_start": "project_start", "project_form": "project_form",
    "project_detail": "project", "editor_list": "editors", "activity_form": "activity",
    "participant_list": "participants", "participant_detail": "participant", "participant_form": "participant",
    "import_upload": "import", "import_map": "import", "project_finalise": "finalise", "batch_detail": "batch",
    "reminder_list": "reminders", "learner_data": "learner_data", "learner_outcomes": "learner_outcomes",
    "learner_journal": "learner_journal", "supervisor_assess": "supervisor",
}


def url(name, *args):
    return reverse(f"youthpass:{name}", args=args)


def test_every_path_template_has_its_panel_and_every_step_is_used():
    for name, step in PATH_TEMPLATES.items():
        assert f'{{% youthpass_help "{step}" %}}' in (TEMPLATES / f"{name}.html").read_text(), name
    assert set(PATH_TEMPLATES.values()) == set(STEPS)


def _panel(response, step):
    assert response.status_code == 200
    content = response.content.decode()
    assert f'data-help-step="{step}"' in content
    assert f'aria-labelledby="help-{step}-title"' in content and "<details>" in content
    return content


def test_organiser_pages_render_their_panel(client, owner, project, activity, participant):
    client.force_login(owner)
    pid, ppid = project.public_id, participant.public_id
    pages = {
        url("project_list"): "project_list", url("project_create"): "project_start",
        url("project_edit", pid): "project_form", url("project_detail", pid): "project",
        url("editor_list", pid): "editors", url("activity_create", pid): "activity",
        url("activity_edit", pid, activity.public_id): "activity", url("participant_list", pid): "participants",
        url("participant_create", pid): "participant", url("participant_detail", pid, ppid): "participant",
        url("participant_edit", pid, ppid): "participant", url("import_upload", pid): "import",
        url("project_finalise", pid): "finalise", url("reminder_list", pid): "reminders",
    }
    for path, step in pages.items():
        content = _panel(client.get(path, HTTP_ACCEPT_LANGUAGE="en"), step)
        assert "How this step works" in content and reverse("help:youthpass_organisers") in content, path
        assert reverse("help:youthpass_sample") in content


def test_learner_pages_render_their_panel_in_latvian(client, accepted, learner):
    client.force_login(learner)
    for name, step in (("learner_data", "learner_data"), ("learner_outcomes", "learner_outcomes"),
                       ("learner_journal", "learner_journal")):
        content = _panel(client.get(url(name, accepted.public_id), HTTP_ACCEPT_LANGUAGE="lv"), step)
        assert "Kā notiek šis solis" in content and reverse("help:youthpass_participants") in content


def test_supervisor_page_renders_its_panel(client, owner, project, participant, make_user):
    from agnitio.notifications.models import OutboxEmail

    client.force_login(owner)
    client.post(url("supervisor_invite", project.public_id, participant.public_id),
                {"full_name": "Ilze Mentore", "email": "mentore@example.org", "position": "Mentore",
                 "language": "en"})
    body = OutboxEmail.objects.get(to="mentore@example.org").body_text
    path = next(x for x in body.split() if "/invitations/" in x).split("127.0.0.1:8000")[-1]
    client.force_login(make_user("mentore@example.org"))
    _panel(client.get(client.post(path)["Location"]), "supervisor")


@pytest.mark.parametrize(("language", "organisers", "participants", "competence"), [
    ("en", "The three parts of the certificate", "Key competences and self-assessment", "Citizenship competence"),
    ("lv", "Sertifikāta trīs daļas", "Pamatkompetences un pašnovērtējums", "Pilsoniskā kompetence"),
])
def test_help_pages_are_public_in_both_languages(client, db, language, organisers, participants, competence):
    page = client.get(reverse("help:youthpass_organisers"), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    content = page.content.decode()
    assert f'<html lang="{language}">' in content and organisers in content
    assert reverse("help:youthpass_sample") in content and reverse("help:youthpass_participants") in content
    page = client.get(reverse("help:youthpass_participants"), HTTP_ACCEPT_LANGUAGE=language)
    content = page.content.decode()
    assert page.status_code == 200 and participants in content and competence in content


def test_help_pages_are_linked_from_the_footer(client, db):
    content = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("help:youthpass_organisers") in content and reverse("help:youthpass_participants") in content


def test_sample_certificate_holds_no_real_or_hostile_data():
    for language in ("lv", "en"):
        data = youthpass_demo(language=language)
        text = repr(data)
        assert not any(h in text for h in HOSTILE if len(h) > 1)  # ("[" and "]" are in any repr of a list)
        assert data["number"] in ("SAMPLE", "PARAUGS") and "code" not in data and "verification_url" not in data
        assert data["organisation"]["website"].endswith("example.org")
        assert len(data["outcomes"]) == 3


def test_sample_certificate_is_served_publicly_and_rendered_once(client, db, monkeypatch):
    from agnitio.documents import services as document_services

    calls = []
    real = document_services.document_render

    def counting(**kwargs):
        calls.append(kwargs["languages"])
        return real(**kwargs)

    monkeypatch.setattr(document_services, "document_render", counting)
    for _ in range(2):
        response = client.get(reverse("help:youthpass_sample"), HTTP_ACCEPT_LANGUAGE="lv")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF") and "public" in response["Cache-Control"]
    assert calls == [["lv"]]  # the second request came from the cache
    assert client.get(reverse("help:youthpass_sample"), HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    assert calls == [["lv"], ["en"]]
