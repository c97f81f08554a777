"""The input policy (issue 9 point 3; issue 8 points 7 and 10): control characters, bounded text, NUL, 413 and the
error pages — through every input path: HTML forms, models (services), the JSON API, the VC API and imports.
Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from agnitio.apikeys.services import api_token_create
from agnitio.core import validators
from agnitio.core.errors import ApplicationError
from agnitio.credentials.models import IssuedCredential
from agnitio.organisations.models import Signatory
from agnitio.youthpass import services
from agnitio.youthpass.models import Activity, LearningOutcome, Participant, Project
from agnitio.youthpass.services import imports

C0 = [chr(c) for c in range(0x20)] + ["\x7f"]
MULTILINE_ALLOWED = {"\t", "\n", "\r"}
API = "/api/v1/youthpass"
UNSIGNED = {
    "@context": ["https://www.w3.org/ns/credentials/v2",
                 "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    "type": ["VerifiableCredential", "AchievementCredential"],
    "validFrom": "2026-11-21T00:00:00Z",
    "credentialSubject": {
        "type": ["AchievementSubject"],
        "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                        "identityHash": "Jānis Ozols"}],
        "achievement": {"type": ["Achievement"], "name": "Digital skills", "description": "A 2 ECTS course.",
                        "criteria": {"narrative": "Passed."}},
    },
}


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def token(owner, organisation):
    return api_token_create(actor=owner, name="test", organisation=organisation)[1]


@pytest.fixture
def unsigned(organisation):
    """A VC API credential for the token's organisation (the VC API refuses any other issuer)."""
    from agnitio.credentials.dids import did_for

    return {**json.loads(json.dumps(UNSIGNED)), "issuer": did_for(organisation)}


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


# --- the validator module -------------------------------------------------------------------------------------

@pytest.mark.parametrize("char", C0)
def test_one_line_text_refuses_every_c0_control_and_del(char):
    problem = validators.text_problem(f"Jā{char}nis", label="First name")
    assert problem is not None and problem[0].startswith("First name")
    assert f"U+{ord(char):04X}" in problem[0] or problem[1] == "line_break"


@pytest.mark.parametrize("char", C0)
def test_multi_line_text_keeps_tab_and_line_breaks_only(char):
    problem = validators.text_problem(f"Line one{char}line two", label="Description", multiline=True)
    assert (problem is None) == (char in MULTILINE_ALLOWED)


def test_lengths_are_bounded_and_other_unicode_is_welcome():
    assert validators.text_problem("Ā" * 1000, label="x") is None
    assert validators.text_problem("Ā" * 1001, label="x")[1] == "max_length"
    assert validators.text_problem("x" * 10_000, label="x", multiline=True) is None
    assert validators.text_problem("x" * 10_001, label="x", multiline=True)[1] == "max_length"
    for text in ["Žydrūnas", "名前", "محمد", "Zoë 😀", "a\u200bb", "\u202eevil"]:  # inert in bidi-safe output
        assert validators.text_problem(text, label="x") is None


def test_json_problems_name_the_path():
    problem = validators.json_text_problem({"a": {"name": "x\x07", "description": "ok\nok"}},
                                           multiline_keys=frozenset({"description"}))
    assert problem is not None and problem[0].startswith("A.name")
    assert validators.json_text_problem({"a": [{"description": "x\ty"}]},
                                        multiline_keys=frozenset({"description"})) is None
    assert validators.json_text_problem({"bad\x01key": 1}) is not None
    assert validators.json_text_problem({"list": ["ok", "bad\x00"]}) is not None


# --- models: every full_clean() in a service ------------------------------------------------------------------

@pytest.mark.parametrize("char", ["\x00", "\x07", "\x0c", "\x1b", "\x7f", "\t", "\n"])
def test_services_refuse_control_characters_in_names_and_keep_nothing(owner, project, char):
    with pytest.raises((ValidationError, ApplicationError)) as info:
        services.participant_create(actor=owner, project=project, first_name=f"Jā{char}nis", last_name="Ozols")
    assert "first name" in str(info.value).lower()
    assert not Participant.objects.exists()


def test_multi_line_model_fields_keep_tab_and_newline(owner, project):
    services.project_update(actor=owner, project=project, data={"description": "Line 1\n\tLine 2\r\nLine 3"})
    project.refresh_from_db()
    assert project.description == "Line 1\n\tLine 2\r\nLine 3"
    with pytest.raises(ValidationError) as info:
        services.project_update(actor=owner, project=project, data={"description": "bell\x07"})
    assert "description" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.project_update(actor=owner, project=project, data={"description": "x" * 10_001})
    assert "description" in info.value.message_dict


def test_organisation_address_keeps_its_line_breaks_but_not_controls(organisation):
    organisation.address = "Rīgas iela 1\nCēsis"
    organisation.full_clean()
    organisation.address = "Rīgas iela 1\x0b"
    with pytest.raises(ValidationError):
        organisation.full_clean()


def test_self_assessment_is_bounded_and_names_the_competence(learner, accepted):
    key = ("key_competences_2018", "multilingual", "lv")
    assert services.outcomes_save(actor=learner, participant=accepted, texts={key: "a\tb\nc" + "x" * 9990}) == 1
    with pytest.raises(ApplicationError) as info:
        services.outcomes_save(actor=learner, participant=accepted, texts={key: "x" * 10_001})
    assert info.value.code == "max_length" and "10000" in str(info.value)
    with pytest.raises(ApplicationError) as info:
        services.outcomes_save(actor=learner, participant=accepted, texts={key: "bell\x07"})
    assert info.value.code == "control_character" and "U+0007" in str(info.value)
    assert LearningOutcome.objects.get().text.startswith("a\tb\nc")


# --- HTML forms -----------------------------------------------------------------------------------------------

def test_form_refuses_a_control_character_with_a_message_naming_the_field(client, owner, project):
    client.force_login(owner)
    url = reverse("youthpass:participant_create", args=[project.public_id])
    response = client.post(url, {"first_name": "Jā\x07\x0cnis", "last_name": "Ozols", "language": "lv",
                                 "role": "participant"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "First name contains an invisible control character (U+0007)" in page
    assert not Participant.objects.exists()


def test_textareas_carry_maxlength_for_the_counter(client, owner, project):
    client.force_login(owner)
    page = client.get(reverse("youthpass:project_edit", args=[project.public_id])).content.decode()
    assert 'maxlength="10000"' in page and "charcount.js" in page


def test_learner_outcome_textareas_carry_maxlength(client, learner, accepted):
    client.force_login(learner)
    page = client.get(reverse("youthpass:learner_outcomes", args=[accepted.public_id])).content.decode()
    assert f'maxlength="{validators.TEXT_MAX_LENGTH}"' in page


# --- JSON API -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("char", C0)
def test_api_refuses_every_control_character_in_a_name(client, token, project, char):
    response = client.post(f"{API}/projects/{project.public_id}/participants",
                           {"first_name": f"Jā{char}nis", "last_name": "Ozols"}, content_type="application/json",
                           **bearer(token))
    if char == "\x00":
        assert response.status_code == 400 and response.json()["code"] == "nul_character"
    else:
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"][-1] == "first_name"
        assert response.json()["detail"][0]["msg"].startswith("First name")
    assert not Participant.objects.exists()


def test_api_multi_line_fields_keep_tab_and_newline_and_are_bounded(client, token, project):
    url = f"{API}/projects/{project.public_id}"
    response = client.patch(url, {"description": "a\tb\nc"}, content_type="application/json", **bearer(token))
    assert response.status_code == 200 and response.json()["description"] == "a\tb\nc"
    response = client.patch(url, {"description": "a\x0bb"}, content_type="application/json", **bearer(token))
    assert response.status_code == 422
    response = client.patch(url, {"description": "x" * 10_001}, content_type="application/json", **bearer(token))
    assert response.status_code == 422
    document = client.get("/api/v1/openapi.json").json()
    assert document["components"]["schemas"]["ProjectPatch"]["properties"]["description"]["maxLength"] == 10_000


# --- VC API ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["name", "description", "identityHash"])
@pytest.mark.parametrize("char", ["\x01", "\x07", "\x0c", "\x1f", "\x7f"])
def test_vc_api_refuses_control_characters_in_string_values(client, token, unsigned, where, char):
    credential = unsigned
    if where == "identityHash":
        credential["credentialSubject"]["identifier"][0]["identityHash"] = f"Jā{char}nis"
    else:
        credential["credentialSubject"]["achievement"][where] = f"Digital{char} skills"
    response = client.post("/credentials/issue", json.dumps({"credential": credential}),
                           content_type="application/json", **bearer(token))
    assert response.status_code == 400, response.content
    assert where in response.json()["errors"][0]
    assert not IssuedCredential.objects.exists()


def test_vc_api_keeps_line_breaks_in_descriptions_and_refuses_them_in_names(client, token, unsigned):
    credential = unsigned
    credential["credentialSubject"]["achievement"]["description"] = "Line 1\nLine 2\twith a tab"
    response = client.post("/credentials/issue", json.dumps({"credential": credential}),
                           content_type="application/json", **bearer(token))
    assert response.status_code == 201, response.content
    credential["credentialSubject"]["achievement"]["name"] = "Digital\nskills"
    response = client.post("/credentials/issue", json.dumps({"credential": credential}),
                           content_type="application/json", **bearer(token))
    assert response.status_code == 400


# --- issuing: what was accepted never breaks it ---------------------------------------------------------------

@pytest.fixture
def signatories(organisation):
    legal = Signatory.objects.create(organisation=organisation, full_name="Līga Vadītāja", position="Valdes loceklis",
                                     pages=["legal_representative", "project_responsible"])
    return legal, legal


def test_the_reproduction_is_refused_and_accepted_multi_line_text_issues(client, owner, project, accepted, learner,
                                                                      signatories):
    """Issue 9 point 3: a first name with BEL and FF was saved and issuing failed with 500 in the seal's XMP step.
    Now the name is refused at every door, and what multi-line fields accept (tab, newlines) issues."""
    client.force_login(owner)
    edit = reverse("youthpass:participant_edit", args=[project.public_id, accepted.public_id])
    response = client.post(edit, {"first_name": "Anna\u0007\u000c", "last_name": "Bērziņa", "language": "lv",
                                  "role": "participant", "email": "anna@example.org"})
    assert response.status_code == 200 and b"U+0007" in response.content
    accepted.refresh_from_db()
    assert accepted.first_name == "Anna"
    services.outcomes_save(actor=learner, participant=accepted, submit=True, texts={
        ("key_competences_2018", "multilingual", "lv"): "Pirmā rinda\n\tOtrā rinda ar tabulāciju\r\nTrešā",
        ("other", "", "lv"): "Teksts\tar\ttabulācijām"})
    services.project_finalise(actor=owner, project=project, signing_place="Cēsis",
                              signing_date=datetime.date(2026, 6, 1), certificate_language="lv",
                              signatory_page1=signatories[0], signatory_part2=signatories[1])
    services.supervisor_assessment_update(actor=owner, participant=accepted, data={
        "supervisor_name": "Ilze Mentore", "supervisor_assessment": "Ļoti\tpatstāvīga.\nLabi."})
    response = client.post(reverse("youthpass:certificate_issue", args=[project.public_id, accepted.public_id]))
    assert response.status_code in (200, 302), response.content[:500]
    credential = IssuedCredential.objects.get()
    assert credential.pdf and credential.pdf.read().startswith(b"%PDF")
    accepted.refresh_from_db()
    assert accepted.status == "certificate_issued" and accepted.certificate == credential


# --- NUL on every path, and 413 -------------------------------------------------------------------------------

def test_nul_in_a_search_box_is_a_clear_400(client, owner, project):
    client.force_login(owner)
    response = client.get(reverse("youthpass:participant_list", args=[project.public_id]), {"q": "An\x00na"})
    assert response.status_code == 400 and "NUL" in response.content.decode()
    assert b"<main" in response.content


def test_nul_in_a_form_field_is_a_clear_400(client, owner, project):
    client.force_login(owner)
    response = client.post(reverse("youthpass:participant_create", args=[project.public_id]),
                           {"first_name": "An\x00na", "last_name": "Ozols", "language": "lv", "role": "participant"})
    assert response.status_code == 400 and not Participant.objects.exists()


def test_nul_in_a_multipart_form_field_is_a_clear_400(client, owner, project):
    client.force_login(owner)
    response = client.post(reverse("youthpass:activity_create", args=[project.public_id]),
                           {"title": "A\x00", "activity_type": "training_course", "start_date": "2026-05-03",
                            "end_date": "2026-05-04"}, format="multipart")
    assert response.status_code == 400 and not Activity.objects.exists()


def test_nul_in_a_json_value_is_a_clear_400(client, token, project):
    response = client.patch(f"{API}/projects/{project.public_id}", '{"title": "a\\u0000b"}',
                            content_type="application/json", **bearer(token))
    assert response.status_code == 400
    assert response.json() == {"detail": response.json()["detail"], "code": "nul_character"}
    project.refresh_from_db()
    assert project.title == ""


@pytest.mark.parametrize("path", ["/verify/YP%00123", "/api/v1/youthpass/projects/abc%00def",
                                  "/youthpass/p/abc%00/", "/credentials/abc%00/credential.json"])
def test_nul_in_a_url_path_parameter_is_a_clear_400(client, owner, path):
    client.force_login(owner)
    response = client.get(path)
    assert response.status_code == 400


def test_nul_in_a_query_string_of_the_api_is_a_json_400(client, token):
    response = client.get(f"{API}/projects?x=%00", **bearer(token))
    assert response.status_code == 400 and response.json()["code"] == "nul_character"


BIG = json.dumps({"credential": {"name": "x" * (1024 * 1024 + 100 * 1024)}})


@pytest.mark.parametrize("method, path", [
    ("post", "/credentials/issue"), ("post", "/credentials/verify"), ("post", "/presentations/verify"),
    ("post", f"{API}/projects"), ("patch", f"{API}/projects/any"), ("put", "/api/v1/me/youthpass/x/outcomes"),
    ("post", "/api/v1/unknown"),
])
def test_json_bodies_over_1_mb_get_413_with_a_json_error(client, token, method, path):
    assert len(BIG) > 1.05 * 1024 * 1024
    response = getattr(client, method)(path, BIG, content_type="application/json", **bearer(token))
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large" and response.json()["detail"]


def test_a_json_body_just_under_1_mb_is_parsed(client, token):
    body = json.dumps({"verifiableCredential": {"x": "y" * (1000 * 1000)}})
    response = client.post("/credentials/verify", body, content_type="application/json")
    assert response.status_code == 400 and "errors" in response.json()


# --- error pages ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("language, heading", [("en", "Page not found"), ("lv", "Lapa nav atrasta")])
def test_404_page_is_styled_translated_and_has_landmarks(client, language, heading):
    client.cookies["django_language"] = language
    response = client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    page = response.content.decode()
    assert heading in page
    for landmark in ("<header", "<nav", "<main", "<footer", "agnitio.css"):
        assert landmark in page


def test_403_and_429_pages(client, english):
    from django_ratelimit.exceptions import Ratelimited

    from agnitio.core import views

    request = RequestFactory().get("/somewhere/")
    forbidden = views.permission_denied(request, PermissionError())
    assert forbidden.status_code == 403 and b"<main" in forbidden.content
    throttled = views.permission_denied(request, Ratelimited())
    assert throttled.status_code == 429 and b"Too many requests" in throttled.content
    assert throttled["Retry-After"]


def test_allauth_rate_limit_uses_our_429_page(client, english):
    from allauth.core.ratelimit import respond_429

    request = RequestFactory().get("/accounts/login/")
    response = respond_429(request)
    assert response.status_code == 429 and b"Too many requests" in response.content and b"<main" in response.content


def test_500_page_needs_neither_the_database_nor_a_user(db, django_assert_num_queries, english):
    from agnitio.core import views

    request = RequestFactory().get("/broken/")  # no user, no session
    with django_assert_num_queries(0), connection.execute_wrapper(_no_database):
        response = views.server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page and "<main" in page and "<nav" in page


def _no_database(*args, **kwargs):
    raise AssertionError("the 500 page must not use the database")


def test_400_page_for_a_bad_request():
    from agnitio.core import views

    response = views.bad_request(RequestFactory().get("/x/"), Exception())
    assert response.status_code == 400 and b"<main" in response.content


def test_api_paths_get_json_errors_not_pages(client):
    response = client.get("/presentations/nothing-here")
    assert response.status_code in (404, 405)
    if response.status_code == 404:
        assert response.json()["code"] == "not_found"


# --- the hostile-input corpus: each refused cleanly (4xx) or inert, never 5xx ----------------------------------

CORPUS = [
    "\x00", "a\x00b", "\x07\x0c", "\x1b[31mred", "\x7f", "\r\n\r\n", "\t", "\ud7ff", "\ufeffBOM", "\u202eevil",
    "\u200b", "💥" * 50, "x" * 20_000, "<script>alert(1)</script>", "{{ 7*7 }}", "#set(text: red)", "' OR 1=1 --",
    "../../etc/passwd", "%00", "=HYPERLINK(\"http://x\")", "a/b", "\\", "\u0000\u0001\u0002",
]


@pytest.mark.parametrize("value", CORPUS)
def test_hostile_corpus_through_forms_api_vc_api_and_imports(client, owner, token, unsigned, project, value):
    client.force_login(owner)
    answers = []
    # HTML: a form and a search box
    answers.append(client.post(reverse("youthpass:participant_create", args=[project.public_id]),
                               {"first_name": value, "last_name": value, "language": "lv", "role": "participant"}))
    answers.append(client.get(reverse("youthpass:participant_list", args=[project.public_id]), {"q": value}))
    if "/" not in value:  # /verify/?number=a/b is another change's (issue 8 point 10, first part)
        answers.append(client.get("/verify/", {"number": value}))
    # JSON API and VC API
    answers.append(client.post(f"{API}/projects/{project.public_id}/participants",
                               {"first_name": value, "last_name": "Ozols"}, content_type="application/json",
                               **bearer(token)))
    answers.append(client.patch(f"{API}/projects/{project.public_id}", {"description": value},
                                content_type="application/json", **bearer(token)))
    credential = unsigned
    credential["credentialSubject"]["achievement"]["name"] = value
    answers.append(client.post("/credentials/issue", json.dumps({"credential": credential}),
                               content_type="application/json", **bearer(token)))
    answers.append(client.post("/credentials/verify", json.dumps({"verifiableCredential": credential}),
                               content_type="application/json"))
    for response in answers:
        assert response.status_code < 500, (response.status_code, response.content[:300])
    # imports: a row error or an inert value, never an exception other than ApplicationError
    data = ("Vārds;Uzvārds\r\n" + f'"{value.replace(chr(34), chr(34) * 2)}";Ozols\r\n').encode("utf-8", "surrogatepass")
    try:
        preview = imports.participants_import_preview(actor=owner, project=project, data=data)
    except ApplicationError:
        preview = None
    if preview is not None and preview.ok:
        stored = preview.rows[0].data["first_name"]
        assert validators.text_problem(stored, label="x", max_length=150) is None
    # whatever was stored holds no forbidden character and fits its field
    for person in Participant.objects.all():
        assert validators.text_problem(person.first_name, label="x", max_length=150) is None
    for item in Project.objects.all():
        assert validators.text_problem(item.description, label="x", multiline=True) is None


def test_rows_saved_before_the_policy_are_cleaned_by_the_migration_and_then_issue(owner, project, accepted, learner,
                                                                                 organisation, signatories):
    """The reproduction as it may already sit in a database: the data migration cleans it, then issuing works."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    migration = importlib.import_module("agnitio.core.migrations.0002_clean_control_characters")
    services.outcomes_save(actor=learner, participant=accepted, submit=True,
                           texts={("other", "", "lv"): "Teksts\tar tabulāciju\nun rindām"})
    services.project_finalise(actor=owner, project=project, signing_place="Cēsis",
                              signing_date=datetime.date(2026, 6, 1), certificate_language="lv",
                              signatory_page1=signatories[0], signatory_part2=signatories[1])
    Participant.objects.filter(pk=accepted.pk).update(first_name="Anna\u0007\u000c", place_of_birth="Rī\x1bga")
    Project.objects.filter(pk=project.pk).update(description="Viens\tdivi\nbell\x07")
    migration.clean(apps, SimpleNamespace(connection=connection))
    accepted.refresh_from_db()
    project.refresh_from_db()
    assert accepted.first_name == "Anna" and accepted.place_of_birth == "Rī ga"
    assert project.description == "Viens\tdivi\nbell"
    from agnitio.youthpass.services import certificates

    credential = certificates.certificate_issue(actor=owner, participant=accepted)
    assert credential.pdf and credential.holder_name.startswith("Anna ")
