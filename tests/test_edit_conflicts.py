"""Issue 8, point 8: no silent lost updates. Two people open the same edit form; the second save shows a conflict
with both versions instead of overwriting the first person's change. The same through the JSON API (If-Match)."""

import datetime

import pytest
from django.urls import reverse

from agnitio.apikeys.services import api_token_create
from agnitio.core import versioning
from agnitio.core.errors import ApplicationError
from agnitio.invitations.services import invitation_accept
from agnitio.organisations.models import Organisation, Signatory
from agnitio.organisations.services import signatory_create
from agnitio.youthpass import services as yp
from agnitio.youthpass.models import Activity, Participant, Project


@pytest.fixture
def project(owner, organisation):
    return yp.project_create(
        actor=owner, organisation=organisation, grant_number="2022-1-LV01-KA153-YOU-000000001",
        programme="erasmus_youth", project_type="youth_workers_mobility", title="Original title",
        start_date=datetime.date(2026, 5, 1), end_date=datetime.date(2026, 5, 31))


@pytest.fixture
def participant(owner, project):
    return yp.participant_create(actor=owner, project=project, first_name="Anna", last_name="Bērziņa",
                                 email="anna@example.org", country="LV", language="lv")


def _form_data(response) -> dict:
    """What the browser would send back unchanged: every field of the rendered form with its shown value."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False or name.endswith("_upload") or name == "logo":
            continue
        data[name] = "on" if value is True else value
    return data


def _open(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    data = _form_data(response)
    assert data["version"], "the edit form carries the row's version"
    return data


# --- HTML forms ------------------------------------------------------------------------------------------------

def test_project_edit_conflict_shows_both_versions_and_saves_nothing(client, owner, admin, project):
    url = reverse("youthpass:project_edit", args=[project.public_id])
    mine = _open(client, owner, url)
    # Meanwhile the admin changes the title.
    theirs = _open(client, admin, url)
    assert client.post(url, {**theirs, "title": "Their title"}).status_code == 302
    # The owner saves their own change on top of the version they opened.
    client.force_login(owner)
    response = client.post(url, {**mine, "title": "My title"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed this in the meantime" in page
    assert "My title" in page and "Their title" in page and "admin@tilts.example" in page
    assert Project.objects.get(pk=project.pk).title == "Their title"  # nothing overwritten
    conflict = response.context["form"].conflict
    assert [d["name"] for d in conflict.differences] == ["title"]
    # Saving again (the form now carries the current version) replaces theirs knowingly.
    again = _form_data(response)
    assert again["version"].startswith(versioning.version_of(Project.objects.get(pk=project.pk)) + "~")
    assert client.post(url, again).status_code == 302
    assert Project.objects.get(pk=project.pk).title == "My title"


def test_project_edit_without_a_concurrent_change_saves(client, owner, project):
    url = reverse("youthpass:project_edit", args=[project.public_id])
    data = _open(client, owner, url)
    assert client.post(url, {**data, "title": "New"}).status_code == 302
    assert Project.objects.get(pk=project.pk).title == "New"


def test_participant_edit_conflict(client, owner, editor, project, participant):
    url = reverse("youthpass:participant_edit", args=[project.public_id, participant.public_id])
    mine = _open(client, owner, url)
    theirs = _open(client, owner, url)
    client.post(url, {**theirs, "place_of_birth": "Cēsis"})
    response = client.post(url, {**mine, "place_of_birth": "Valmiera"})
    assert response.status_code == 200
    assert Participant.objects.get(pk=participant.pk).place_of_birth == "Cēsis"
    differences = response.context["form"].conflict.differences
    assert differences == [{"name": "place_of_birth", "label": "Place of birth", "yours": "Valmiera",
                            "theirs": "Cēsis"}]


def test_unrelated_change_meanwhile_is_no_conflict(client, owner, project, participant):
    """The participant was invited (status, token) after the form opened: the fields in the form are untouched."""
    url = reverse("youthpass:participant_edit", args=[project.public_id, participant.public_id])
    mine = _open(client, owner, url)
    yp.participant_invite(actor=owner, participants=[Participant.objects.get(pk=participant.pk)])
    assert client.post(url, {**mine, "last_name": "Kalniņa"}).status_code == 302
    assert Participant.objects.get(pk=participant.pk).last_name == "Kalniņa"


def test_activity_edit_conflict(client, owner, project):
    activity = yp.activity_create(actor=owner, project=project, activity_type="training_course", title="TC",
                                  start_date=datetime.date(2026, 5, 3), end_date=datetime.date(2026, 5, 8))
    url = reverse("youthpass:activity_edit", args=[project.public_id, activity.public_id])
    mine = _open(client, owner, url)
    yp.activity_update(actor=owner, activity=Activity.objects.get(pk=activity.pk), data={"venue_city": "Rīga"})
    response = client.post(url, {**mine, "title": "Mine"})
    assert response.status_code == 200 and "Someone else changed this" in response.content.decode()
    assert Activity.objects.get(pk=activity.pk).title == "TC"


def test_organisation_edit_conflict(client, owner, admin, organisation):
    url = reverse("organisations:edit", args=[organisation.public_id])
    mine = _open(client, owner, url)
    theirs = _open(client, admin, url)
    assert client.post(url, {**theirs, "address": "Their address 1"}).status_code == 302
    client.force_login(owner)
    response = client.post(url, {**mine, "address": "My address 2"})
    assert response.status_code == 200
    assert Organisation.objects.get(pk=organisation.pk).address == "Their address 1"
    assert [d["name"] for d in response.context["form"].conflict.differences] == ["address"]


def test_signatory_edit_conflict(client, owner, organisation):
    signatory = signatory_create(actor=owner, organisation=organisation, full_name="Jānis", position="Valdes loceklis",
                                 pages=["legal_representative"])
    url = reverse("organisations:signatory_edit", args=[organisation.public_id, signatory.public_id])
    mine = _open(client, owner, url)
    theirs = _open(client, owner, url)
    client.post(url, {**theirs, "position": "Priekšsēdētājs"})
    response = client.post(url, {**mine, "position": "Direktors"})
    assert response.status_code == 200
    assert Signatory.objects.get(pk=signatory.pk).position == "Priekšsēdētājs"


# --- the shared helper -------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_expected_version_unit(owner, project):
    version = versioning.version_of(project)
    with versioning.expected_version(project, version, data={"title": "A"}) as current:
        assert current.pk == project.pk
    yp.project_update(actor=owner, project=Project.objects.get(pk=project.pk), data={"title": "B"})
    with pytest.raises(versioning.EditConflict) as caught, versioning.expected_version(
            project, version, data={"title": "A", "venue": ""}):
        pytest.fail("must not run")
    assert caught.value.status == 409 and caught.value.code == "conflict"
    assert caught.value.differences == [{"name": "title", "label": "title", "yours": "A", "theirs": "B"}]
    assert caught.value.version == versioning.version_of(Project.objects.get(pk=project.pk))
    assert isinstance(caught.value, ApplicationError)
    # With the digests of what the editor was shown: only fields changed meanwhile can conflict.
    seen = versioning.shown_digests(project, ["title", "venue"])
    with pytest.raises(versioning.EditConflict), versioning.expected_version(
            project, version, data={"title": "A"}, seen=seen):
        pass
    with versioning.expected_version(project, version, data={"title": "B", "venue": "Cēsis"}, seen=seen):
        pass  # title: the same value as saved now; venue: not changed by anyone else
    with versioning.expected_version(project, None, data={"title": "C"}):
        pass  # no version given: not checked


# --- JSON API ----------------------------------------------------------------------------------------------------

def _api(client, owner):
    _token, secret = api_token_create(actor=owner, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_api_patch_with_a_stale_if_match_gets_409(client, owner, project):
    auth = _api(client, owner)
    url = f"/api/v1/youthpass/projects/{project.public_id}"
    etag = client.get(url, **auth)["ETag"]
    assert etag
    first = client.patch(url, {"title": "First"}, content_type="application/json", HTTP_IF_MATCH=etag, **auth)
    assert first.status_code == 200 and first["ETag"] != etag
    stale = client.patch(url, {"title": "Second"}, content_type="application/json", HTTP_IF_MATCH=etag, **auth)
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert Project.objects.get(pk=project.pk).title == "First"
    fresh = client.patch(url, {"title": "Second"}, content_type="application/json", HTTP_IF_MATCH=first["ETag"],
                         **auth)
    assert fresh.status_code == 200 and Project.objects.get(pk=project.pk).title == "Second"


def test_api_participant_and_organisation_if_match(client, owner, organisation, project, participant):
    auth = _api(client, owner)
    url = f"/api/v1/youthpass/projects/{project.public_id}/participants/{participant.public_id}"
    etag = client.get(url, **auth)["ETag"]
    yp.participant_update(actor=owner, participant=Participant.objects.get(pk=participant.pk),
                          data={"place_of_birth": "Cēsis"})
    response = client.patch(url, {"place_of_birth": "Rīga"}, content_type="application/json", HTTP_IF_MATCH=etag,
                            **auth)
    assert response.status_code == 409
    org_url = f"/api/v1/organisations/{organisation.public_id}"
    etag = client.get(org_url, **auth)["ETag"]
    Organisation.objects.filter(pk=organisation.pk).update(short_name="X", updated_at=datetime.datetime.now(
        datetime.UTC))
    response = client.patch(org_url, {"short_name": "Y"}, content_type="application/json", HTTP_IF_MATCH=etag,
                            **auth)
    assert response.status_code == 409
    assert Organisation.objects.get(pk=organisation.pk).short_name == "X"


# --- My account, signature settings, the learner's outcomes (issue 8, point 8, the remaining edit forms) ---------

def _second_session(user):
    from django.test import Client

    other = Client()
    other.force_login(user)
    return other


def test_profile_edit_conflict_between_two_sessions(client, owner):
    from agnitio.accounts.models import User

    url = reverse("accounts:detail")
    mine = _open(client, owner, url)  # session A (e.g. a laptop)
    other = _second_session(owner)  # session B (e.g. a phone) saves another name meanwhile
    theirs = _form_data(other.get(url))
    assert other.post(url, {**theirs, "full_name": "Their Name"}).status_code == 302
    response = client.post(url, {**mine, "full_name": "My Name"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed this in the meantime" in page and "My Name" in page and "Their Name" in page
    assert User.objects.get(pk=owner.pk).full_name == "Their Name"  # nothing overwritten
    assert [d["name"] for d in response.context["form"].conflict.differences] == ["full_name"]
    again = _form_data(response)
    assert again["full_name"] == "My Name"
    assert client.post(url, again).status_code == 302  # saved knowingly
    assert User.objects.get(pk=owner.pk).full_name == "My Name"


def test_profile_sign_in_elsewhere_or_other_saves_are_no_conflict(client, owner):
    """A sign-in in another session (last_login), or a save of the row that leaves the shown fields alone, moves
    nothing the form shows: saving the form is no conflict."""
    from agnitio.accounts.models import User

    url = reverse("accounts:detail")
    mine = _open(client, owner, url)
    before = User.objects.get(pk=owner.pk)
    _second_session(owner)  # last_login
    User.objects.get(pk=owner.pk).save()  # e.g. allauth saving the user: updated_at moves on
    after = User.objects.get(pk=owner.pk)
    assert after.updated_at > before.updated_at and after.last_login != before.last_login
    response = client.post(url, {**mine, "full_name": "New Name"})
    assert response.status_code == 302
    assert User.objects.get(pk=owner.pk).full_name == "New Name"


def test_profile_save_moves_the_version(owner):
    from agnitio.accounts.models import User
    from agnitio.accounts.services import user_update

    user = User.objects.get(pk=owner.pk)
    version = versioning.version_of(user)
    assert version
    user_update(actor=user, user=user, data={"full_name": "Other"})
    assert versioning.version_of(User.objects.get(pk=owner.pk)) != version


@pytest.fixture
def signature(admin, organisation):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from agnitio.organisations import images, services

    out = io.BytesIO()
    Image.new("RGB", (200, 100), (255, 255, 255)).save(out, format="PNG")
    checked = images.check_image(SimpleUploadedFile("s.png", out.getvalue(), content_type="image/png"),
                                 formats=("PNG",), max_bytes=10**7, max_pixels=10**7)
    image = services.signature_upload(actor=admin, organisation=organisation, kind="signature", label="Chair",
                                      checked=checked)
    services.signature_crop(actor=admin, signature=image, box=(0, 0, 200, 100))
    image.refresh_from_db()
    return image


def _settings_data(response) -> dict:
    form = response.context["settings_form"]
    data = {"action": "settings"}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else getattr(value, "public_id", value)
    assert data["version"]
    return data


def test_signature_settings_conflict(client, owner, admin, organisation, signature):
    from agnitio.organisations.models import SignatureImage

    url = reverse("organisations:signature", args=[organisation.public_id, signature.public_id])
    client.force_login(owner)
    mine = _settings_data(client.get(url))
    other = _second_session(admin)
    assert other.post(url, {**_settings_data(other.get(url)), "label": "Their label"}).status_code == 302
    response = client.post(url, {**mine, "label": "My label", "is_active": "on"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed this in the meantime" in page and "My label" in page and "Their label" in page
    saved = SignatureImage.objects.get(pk=signature.pk)
    assert saved.label == "Their label" and not saved.is_active  # nothing overwritten
    assert [d["name"] for d in response.context["settings_form"].conflict.differences] == ["label"]
    again = _settings_data(response)
    assert again["label"] == "My label" and again["is_active"] == "on"
    assert client.post(url, again).status_code == 302
    saved = SignatureImage.objects.get(pk=signature.pk)
    assert saved.label == "My label" and saved.is_active


def test_signature_crop_meanwhile_is_no_settings_conflict(client, owner, admin, organisation, signature):
    from agnitio.organisations import services
    from agnitio.organisations.models import SignatureImage

    url = reverse("organisations:signature", args=[organisation.public_id, signature.public_id])
    client.force_login(owner)
    mine = _settings_data(client.get(url))
    services.signature_crop(actor=admin, signature=SignatureImage.objects.get(pk=signature.pk), box=(0, 0, 100, 50))
    assert client.post(url, {**mine, "label": "Renamed"}).status_code == 302
    assert SignatureImage.objects.get(pk=signature.pk).label == "Renamed"


FIELD = "o__key_competences_2018__multilingual__lv"


@pytest.fixture
def learner_participant(owner, participant, make_user):
    learner = make_user("anna@example.org", language="lv")
    yp.participant_invite(actor=owner, participants=[participant])
    invitation_accept(user=learner, token=participant._token)
    yp.outcomes_save(actor=learner, participant=Participant.objects.get(pk=participant.pk),
                     texts={("key_competences_2018", "multilingual", "lv"): "Original"})
    return learner, Participant.objects.get(pk=participant.pk)


def _outcomes_page(client, url) -> dict:
    response = client.get(url + "?write=lv")
    assert response.status_code == 200
    version = response.context["version"]
    assert version and f'name="version" id="outcomes-version" value="{version}"' in response.content.decode()
    values = {f["name"]: f["value"] for s in response.context["sections"] for e in s["entries"] for f in e["fields"]}
    return {**values, "write": "lv", "version": version}


def test_learner_outcomes_form_conflict(client, learner_participant):
    from agnitio.youthpass.models import LearningOutcome

    learner, participant = learner_participant
    url = reverse("youthpass:learner_outcomes", args=[participant.public_id])
    client.force_login(learner)
    mine = _outcomes_page(client, url)  # A opens the page (no JavaScript: the plain form)
    assert mine[FIELD] == "Original"
    other = _second_session(learner)  # B, on another device, changes the same text
    assert other.post(url, {**_outcomes_page(other, url), FIELD: "Their text", "save": "1"}).status_code == 302
    response = client.post(url, {**mine, FIELD: "My text", "save": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed this in the meantime" in page and "My text" in page and "Their text" in page
    assert LearningOutcome.objects.get(participant=participant).text == "Their text"  # nothing overwritten
    assert [d["name"] for d in response.context["conflict"].differences] == [FIELD]
    # The page keeps my text and carries the version of theirs: saving again replaces it knowingly.
    again = {**mine, FIELD: "My text", "save": "1", "version": response.context["version"]}
    assert ">My text</textarea>" in page
    assert client.post(url, again).status_code == 302
    assert LearningOutcome.objects.get(participant=participant).text == "My text"


def test_learner_outcomes_autosave_conflict(client, learner_participant):
    from agnitio.youthpass.models import LearningOutcome

    learner, participant = learner_participant
    url = reverse("youthpass:learner_outcomes", args=[participant.public_id])
    draft = reverse("youthpass:learner_outcomes_draft", args=[participant.public_id])
    client.force_login(learner)
    mine = _outcomes_page(client, url)
    # A's own autosaves move A's version on (out of band), so they never conflict with each other.
    response = client.post(draft, {**mine, FIELD: "A1"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Draft saved" in body and 'hx-swap-oob="true"' in body
    version = response.context["version"]
    assert version != mine["version"] and f'id="outcomes-version" value="{version}" hx-swap-oob="true"' in body
    response = client.post(draft, {**mine, FIELD: "A2", "version": version}, HTTP_HX_REQUEST="true")
    assert "Draft saved" in response.content.decode()
    version = response.context["version"]
    assert LearningOutcome.objects.get(participant=participant).text == "A2"
    # B changes the text on another device; A's next autosave answers the conflict instead of overwriting.
    other = _second_session(learner)
    assert other.post(draft, {**_outcomes_page(other, url), FIELD: "B text"}).status_code == 200
    assert LearningOutcome.objects.get(participant=participant).text == "B text"
    response = client.post(draft, {**mine, FIELD: "A3", "version": version}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Draft saved" not in body and "Not saved" in body
    assert '<div id="outcomes-conflict" hx-swap-oob="true">' in body and "A3" in body and "B text" in body
    assert LearningOutcome.objects.get(participant=participant).text == "B text"
    # Autosave keeps refusing (the version is not moved on by a conflict) …
    response = client.post(draft, {**mine, FIELD: "A4", "version": version}, HTTP_HX_REQUEST="true")
    assert "Not saved" in response.content.decode()
    assert LearningOutcome.objects.get(participant=participant).text == "B text"
    # … while a text nobody else changed saves (only changed texts conflict).
    response = client.post(draft, {**mine, FIELD: "B text", "version": version}, HTTP_HX_REQUEST="true")
    assert "Draft saved" in response.content.decode()


def test_learner_outcomes_other_error_keeps_the_version_and_locked_says_so(client, learner_participant):
    from agnitio.youthpass.models import LearningOutcome

    learner, participant = learner_participant
    url = reverse("youthpass:learner_outcomes", args=[participant.public_id])
    client.force_login(learner)
    mine = _outcomes_page(client, url)
    other_field = next(name for name in mine if name.startswith("o__") and name != FIELD)
    # A text the policy refuses (a control character): the page keeps the version it was shown with …
    response = client.post(url, {**mine, other_field: "Zvans \x07", "save": "1"})
    assert response.status_code == 200 and response.context["conflict"] is None and response.context["error"]
    assert response.context["version"] == mine["version"]
    # … so a change made meanwhile on another device is still a conflict when A saves again.
    other = _second_session(learner)
    assert other.post(url, {**_outcomes_page(other, url), FIELD: "Their text", "save": "1"}).status_code == 302
    response = client.post(url, {**mine, FIELD: "My text", other_field: "Zvans", "save": "1",
                                 "version": response.context["version"]})
    assert response.status_code == 200 and response.context["conflict"] is not None
    assert LearningOutcome.objects.get(participant=participant, competence_id="multilingual").text == "Their text"
    # Once submitted, a stale page is told the outcomes are submitted (not a conflict), and nothing changes.
    assert other.post(url, {**_outcomes_page(other, url), "submit": "1"}).status_code == 302
    response = client.post(url, {**mine, FIELD: "My text", "save": "1"})
    assert response.context["conflict"] is None and "submitted" in response.context["error"]
    assert LearningOutcome.objects.get(participant=participant, competence_id="multilingual").text == "Their text"
