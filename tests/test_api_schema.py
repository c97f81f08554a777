"""Property-based tests of the JSON API against its own OpenAPI document (schemathesis).

The document is loaded from the application in-process (WSGI, no network) and every operation is called with
generated requests carrying a valid API token. Schemathesis' checks then require: no 5xx, documented status
codes and content types, bodies conforming to the declared schemas, invalid input rejected, and requests
without credentials refused.

Every operation runs twice: once with generated path parameters (mostly ids of nothing: the 404 paths), and once
with its path parameters pointed at real objects of every resource the API has — an organisation the token's user
owns, a finalised project with an activity, a participant who is that same user (so the learner's own endpoints
answer too) holding an issued certificate, a certificate batch and the code of an issued document — so 200s,
writes and deletes on existing objects are exercised as well.
"""

import datetime

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from agnitio.apikeys.services import api_token_create
from agnitio.invitations.services import invitation_accept
from agnitio.organisations.models import Membership, Organisation, Signatory

ORGANISATION_ID = "schemathesis-organisation"  # fixed, so generated cases can be pointed at a real one

wsgi_app = WSGIHandler()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)


@pytest.fixture
def api_user(make_user):
    """A user who owns one organisation (a fixed public id)."""
    # The real WSGI handler closes the database connection around each request; inside the test's transaction
    # that would break the test, so do as Django's test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        user = make_user("schemathesis@tilts.example", full_name="Schema Thesis")
        organisation = Organisation.objects.create(
            public_id=ORGANISATION_ID, legal_name="Biedrība Shēma", country="LV", address="Rīga", email="s@s.example"
        )
        Membership.objects.create(organisation=organisation, user=user, role="owner")
        yield user, organisation
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_token(api_user):
    """A valid token for the organisation's owner."""
    _, secret = api_token_create(actor=api_user[0], name="schemathesis")
    return secret


@pytest.fixture
def real_objects(api_user):
    """One real object of every resource the API addresses by path, keyed by the path parameter that names it."""
    from agnitio.credentials.services import credential_issue
    from agnitio.youthpass import services
    from agnitio.youthpass.services import certificates

    user, organisation = api_user
    project = services.project_create(
        actor=user, organisation=organisation, grant_number="2022-1-LV01-KA153-YOU-000000001",
        programme="erasmus_youth", project_type="youth_workers_mobility",
        start_date=datetime.date(2026, 5, 1), end_date=datetime.date(2026, 5, 31))
    activity = services.activity_create(
        actor=user, project=project, activity_type="training_course", title="Apmācību kurss “Līdzdalība”",
        start_date=datetime.date(2026, 5, 3), end_date=datetime.date(2026, 5, 10), venue_city="Cēsis",
        venue_country="LV")
    # The token's user is also a participant of the project (the learner endpoints under /me/ need one).
    participant = services.participant_create(
        actor=user, project=project, activities=[activity], first_name="Schema", last_name="Thesis",
        email=user.email, country="LV", language="lv")
    services.participant_invite(actor=user, participants=[participant])
    invitation_accept(user=user, token=participant._token)
    participant.refresh_from_db()
    services.outcomes_save(actor=user, participant=participant, submit=True, texts={
        ("key_competences_2018", "multilingual", "lv"): "Iemācījos runāt angliski.",
        ("other", "", "lv"): "Ēdiena gatavošana."})
    signatory = Signatory.objects.create(organisation=organisation, full_name="Līga Vadītāja", position="Valde",
                                         pages=["legal_representative", "project_responsible"])
    services.project_finalise(actor=user, project=project, signing_place="Cēsis",
                              signing_date=datetime.date(2026, 6, 1), certificate_language="lv",
                              signatory_page1=signatory, signatory_part2=signatory)
    participant.refresh_from_db()
    certificates.certificate_issue(actor=user, participant=participant)
    batch = certificates.certificate_batch_start(actor=user, project=project, participants=[participant], reissue=True)
    document = credential_issue(
        actor=user, organisation=organisation, kind="microcredential", holder_name="Anna Bērziņa",
        holder_email="anna@example.org", achievement={"name": "Digital skills"}, languages=["en"],
        issued_on=datetime.date(2026, 11, 20), place="Rīga")
    goal = services.learning_goal_add(actor=user, participant=participant, text="Runāt angliski.")
    note = services.reflection_note_add(actor=user, participant=participant, text="Pirmā diena.")
    # Micro-credentials: a published specification of the organisation (a provider with a legal identifier), an
    # award issued for it with evidence (a link and a file), and a bulk job.
    from agnitio.microcredentials.services import awards as mc_awards
    from agnitio.microcredentials.services import specifications as mc_specifications

    organisation.identifier = "40000000000"
    organisation.save(update_fields=["identifier"])
    specification = mc_specifications.specification_create(actor=user, organisation=organisation, data={
        "title": "Digitālās prasmes", "languages": ["lv"], "issuer_countries": ["LV"], "isced_field": "061",
        "learning_outcomes": "Lieto digitālos rīkus", "workload_hours": 20, "eqf_level": 4,
        "assessment_type": "online_test", "participation": "online", "quality_assurance_type": "internal"})
    specification = mc_specifications.specification_publish(actor=user, specification=specification)
    award = mc_awards.award_issue(actor=user, specification=specification, learner=mc_awards.LearnerIn(
        name="Anna Bērziņa", email="anna@example.org", evidence_links=["https://portfolio.example/anna"]))
    from django.core.files.uploadedfile import SimpleUploadedFile

    from agnitio.microcredentials.services import evidence as mc_evidence

    evidence = mc_evidence.evidence_file_add(actor=user, award=award, upload=SimpleUploadedFile(
        "plan.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))
    _awards, _errors, mc_job = mc_awards.awards_bulk_start(actor=user, specification=specification, learners=[
        mc_awards.LearnerIn(name="Jānis Kalns", email="janis@example.org")])
    # Recognition: the organisation publishes a recognition policy and the token's user submitted an (unsigned)
    # EDC file to it, so they are both the learner and the receiving provider's member.
    from agnitio.microcredentials.selectors import provider_profile_get
    from agnitio.microcredentials.services import recognition as mc_recognition
    from agnitio.microcredentials.services.specifications import provider_profile_update

    provider_profile_update(actor=user, organisation=organisation,
                            data={"recognition_policy": "We recognise quality-assured micro-credentials."})
    assert provider_profile_get(organisation=organisation).recognition_policy
    recognition = mc_recognition.recognition_submit(actor=user, provider_public_id=organisation.public_id, raw=(
        b'{"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential", '
        b'"EuropeanDigitalCredential"], "issuer": {"id": "urn:x:issuer", "legalName": {"en": "Other"}}, '
        b'"credentialSubject": {"hasClaim": {"title": {"en": "Data literacy"}}}}'))
    europass = _europass_objects(user, organisation)
    return {"public_id": organisation.public_id, "pid": project.public_id,
            "recognition_id": recognition.public_id, "aid": activity.public_id,
            "ppid": participant.public_id, "bid": batch.public_id, "code": document.code,
            "gid": goal.public_id, "nid": note.public_id,
            "spec_id": specification.public_id, "award_id": award.public_id, "job_id": mc_job.public_id,
            "evidence_id": evidence.public_id,
            "provider_id": organisation.public_id, **europass}


def _europass_objects(user, organisation) -> dict:
    """The organisation registered as a Europass sending institution, the user also staff of a NEC, an application
    sent to that NEC and an approved one's document."""
    from django.utils import timezone

    from agnitio.europass import services as europass
    from agnitio.europass.models import Institution

    institution = Institution.objects.create(organisation=organisation, name_key="biedriba shema")
    nec_org = Organisation.objects.create(legal_name="NEC", country="LV", address="Rīga", email="nec@s.example")
    Membership.objects.create(organisation=nec_org, user=user, role="editor")
    europass.national_centre_create(actor=None, organisation=nec_org, country="LV", display_name="NEC Latvia")
    start = timezone.localdate() + datetime.timedelta(days=30)
    data = {"conditions_accepted": True, "procedure": "A", "programme": "erasmus_plus", "project_number": "P-1",
            "participants_count": 1, "start_date": start, "end_date": start, "issuing_body": "nec",
            "folders_by_post": True}
    waiting = europass.application_create(actor=user, institution=institution, data=data)
    approved = europass.application_approve(
        actor=user, application=europass.application_create(actor=user, institution=institution, data=data))
    document = approved.documents.get()
    # a bulk generation of the approved application's documents (its tasks run on commit, i.e. never here)
    from agnitio.documents.services import JobItemIn, job_create

    # scoped to the application the real objects name (`application_id`, the waiting one), so the job read finds it
    job = job_create(actor=user, organisation=organisation, handler="europass.documents", scope=waiting.public_id,
                     kind="europass", items=[JobItemIn(data={"document": document.pk}, label="1.")])
    return {"application_id": waiting.public_id, "document_id": document.public_id, "section": "host",
            "generation_id": job.public_id, **_europass_access_objects(user, document)}


def _europass_access_objects(user, document) -> dict:
    """The document names a host (its access sent) and the token's user as its participant (access accepted), so
    the shared-document reads find it."""
    from agnitio.europass import services as europass
    from agnitio.europass.services import access

    europass.document_section_update(actor=user, document=document, section="host", data={
        "host_name": "Escola", "host_type": "school", "host_country": "PT", "mentor_name": "Ana",
        "mentor_position": "Teacher", "mentor_phone": "+351 212 345 678", "mentor_email": "host@s.example"})
    europass.document_section_update(actor=user, document=document, section="personal", data={"email": user.email})
    document.refresh_from_db()
    host_access = access.host_access_send(actor=user, document=document)
    grant = access.participant_access_grant(actor=user, documents=[document],
                                            write_until=datetime.date(2099, 12, 31))[0]
    access.document_access_accept(grant_id=grant.pk, user=user)
    return {"access_id": host_access.public_id}


COMMON = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

# Checks JSON Schema cannot express (a real country, a phone number valid for it, dates in order, the form's
# identifier rule, the state an object is in) make some schema-valid bodies fail with 400/422 on real objects: for
# writes there, "schema-valid data must be accepted" does not hold. Every other check still applies to them; the
# apps' own API tests cover acceptance.
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


# Applying for Europass mobility documents depends on who asks and on rules across fields that JSON Schema cannot
# say: the token's user must belong to a registered sending institution (or apply as an individual with procedure
# C), the procedure's own fields (A: a project or document number; B: a description and every quality criterion;
# C: a project number), the end not before the start. agnitio/europass/tests/test_api.py covers acceptance.
# Rules the schema cannot state: an application's dates and procedure fields depend on each other and on who applies;
# a specification's ESCO links must name concepts in the loaded ESCO data and its lists hold codes from reference data.
CROSS_FIELD_RULES = {("POST", "/api/v1/europass/applications"), ("POST", "/api/v1/microcredentials/specifications"),
                     ("PATCH", "/api/v1/microcredentials/specifications/{spec_id}")}


def _cross_field(case) -> bool:
    return (case.method.upper(), case.path) in CROSS_FIELD_RULES or case.path.endswith((
        "/participants/import", "/awards/import",
        "/evidence/files"))  # an evidence file must be a PDF, PNG or JPEG by its content: no schema says so


def _with_made_up_cursor(case) -> bool:
    """A list's `cursor` is opaque: only one the list itself answered (`next`/`previous`) is accepted, any other
    string is a 400 (core.pagination.InvalidCursor), which no schema can express. The apps' own tests follow
    real cursors; every other check still applies to these requests."""
    return bool((case.query or {}).get("cursor"))


@pytest.mark.django_db
@schema.parametrize()
@COMMON
def test_generated_requests(case, api_token):
    # An empty file part is dropped by Django's multipart parser, so the import answers 422 "file required": right,
    # though the schema cannot say "a non-empty file". Every other check still applies to the import.
    # A recognition request's file must be a credential (JSON with a proof, an EDC file, our sealed PDF): any
    # other schema-valid file is a 400.
    excluded = ([positive_data_acceptance]
                if _cross_field(case) or case.path.endswith("/recognitions") or _with_made_up_cursor(case) else [])
    case.call_and_validate(headers={"Authorization": f"Bearer {api_token}"}, excluded_checks=excluded)


@pytest.mark.django_db
@schema.parametrize()
@COMMON
def test_generated_requests_on_real_objects(case, api_token, real_objects):
    """Every operation, its path parameters pointed at real objects the token's user may use."""
    for name in list(case.path_parameters or {}):
        assert name in real_objects, f"no real object for the path parameter {name} of {case.path}"
        case.path_parameters[name] = real_objects[name]
    excluded = ([positive_data_acceptance]
                if case.method.upper() in WRITES and case.path_parameters or _with_made_up_cursor(case)
                or _cross_field(case) or case.path.endswith("/recognitions") and case.method.upper() == "POST" else [])
    case.call_and_validate(headers={"Authorization": f"Bearer {api_token}"}, excluded_checks=excluded)


@pytest.mark.django_db
def test_real_objects_are_found_by_every_read(client, api_token, real_objects):
    """The objects above are real to the API: every GET with path parameters answers 200 with them (so the
    generated requests above reach existing objects, not only 404s)."""
    import re

    document = client.get("/api/v1/openapi.json").json()
    reads = [path for path, operations in document["paths"].items() if "get" in operations and "{" in path]
    assert len(reads) >= 8
    for path in reads:
        url = re.sub(r"\{(\w+)\}", lambda m: real_objects[m.group(1)], path)
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {api_token}")
        assert response.status_code == 200, (path, response.content[:300])


@pytest.mark.django_db
@pytest.mark.parametrize("value", [0, 1767225600, 1.5])
def test_a_number_is_not_a_date(client, api_token, real_objects, value):
    """Found by the run on real objects: pydantic read a number as a Unix timestamp, so `"date_of_birth": 0` was
    accepted as 1970-01-01 although the document says a date is a string."""
    from agnitio.youthpass.models import Participant

    before = Participant.objects.count()
    response = client.post(f"/api/v1/youthpass/projects/{real_objects['pid']}/participants",
                           data={"first_name": "A", "last_name": "B", "date_of_birth": value},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {api_token}")
    assert response.status_code == 422 and "date" in response.content.decode()
    assert Participant.objects.count() == before
    ok = client.post(f"/api/v1/youthpass/projects/{real_objects['pid']}/participants",
                     data={"first_name": "A", "last_name": "B", "date_of_birth": "2000-01-31"},
                     content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {api_token}")
    assert ok.status_code == 201 and ok.json()["date_of_birth"] == "2000-01-31"
