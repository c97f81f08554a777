"""Issue 11 point 11: a Latvian page of the Youthpass path holds no English interface text.

The English phrases looked for are the catalogue's own msgids whose Latvian translation differs, so a string that
is forgotten (not marked for translation, translated at import time, stored in English, or missing a Latvian
msgstr) shows up here as soon as a page that prints it is rendered in Latvian."""

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agnitio.core.testing import english_left, visible_text
from agnitio.core.tests.spreadsheet_files import xlsx
from agnitio.organisations.models import Signatory
from agnitio.youthpass import services


def url(name, *args):
    return reverse(f"youthpass:{name}", args=args)


@pytest.fixture
def lv_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "lv"
    return client


@pytest.fixture
def walked(lv_client, owner, organisation, project, accepted, learner, participant):
    """A project part way through: a submitted participant, a partner, reminders on, an import with errors."""
    services.outcomes_save(actor=learner, participant=accepted, submit=True,
                           texts={("key_competences_2018", "digital", "lv"): "Veidoju video."})
    services.project_partner_add(actor=owner, project=project, name="Asociația Tinerilor", country="RO")
    owner.language = "lv"  # the reminder texts are planned in the organiser's language
    owner.save(update_fields=["language"])
    lv_client.force_login(owner)
    lv_client.post(url("reminder_list", project.public_id), {"opt": "in"})
    return project


def test_english_phrases_are_found_on_an_english_page(client, owner, project):
    # The scanner itself works: the same page in English is full of them.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(owner)
    assert len(english_left(client.get(url("project_detail", project.public_id)).content.decode())) > 5


@pytest.mark.parametrize("page", ["project_detail", "project_edit", "participant_list", "participant_create",
                                  "project_finalise", "reminder_list", "editor_list", "import_upload",
                                  "activity_create"])
def test_organiser_pages_are_latvian(lv_client, walked, page):
    response = lv_client.get(url(page, walked.public_id))
    assert response.status_code == 200
    assert english_left(response.content.decode()) == []


def test_participant_detail_and_outcomes_are_latvian(lv_client, walked, accepted, learner):
    page = lv_client.get(url("participant_detail", walked.public_id, accepted.public_id)).content.decode()
    assert english_left(page) == []
    lv_client.force_login(learner)
    for name in ("learner_outcomes", "learner_data"):
        response = lv_client.get(url(name, accepted.public_id))
        assert response.status_code == 200
        assert english_left(response.content.decode()) == [], name


def test_import_preview_with_errors_is_latvian(lv_client, walked):
    rows = [["Vārds", "Uzvārds", "E-pasts", "Valsts", "Loma", "Valoda", "Dzimšanas datums"],
            ["Līga", "Ozoliņa", "liga@example.org", "Latvija", "dalībnieks", "lv", "2005-12-31"],
            ["Pēteris", "Kalns", "not-an-email", "LV", "boss", "xx", "vakar"],
            ["", "Bezvārda", "liga@example.org", "Atlantīda", "", "", ""]]
    response = lv_client.post(url("import_upload", walked.public_id),
                              {"file": SimpleUploadedFile("t.xlsx", xlsx(rows))})
    page = lv_client.get(response["Location"]).content.decode()
    assert "Atlantīda" in page
    assert english_left(page) == []
    refused = lv_client.post(url("import_upload", walked.public_id),
                             {"file": SimpleUploadedFile("names.csv", b"Anna Berzina\nJanis Kalns\n")})
    assert english_left(refused.content.decode()) == []


def test_finalise_and_issue_messages_are_latvian(lv_client, walked, organisation, accepted):
    signatory = Signatory.objects.create(organisation=organisation, full_name="Līga", position="Valdes locekle")
    response = lv_client.post(url("project_finalise", walked.public_id), {
        "signing_place": "Rīga", "signing_date": "2026-06-01", "signatory_page1": signatory.pk,
        "signatory_part2": signatory.pk, "certificate_language": "lv"}, follow=True)
    assert english_left(response.content.decode()) == []
    response = lv_client.post(url("certificate_issue", walked.public_id, accepted.public_id), follow=True)
    assert english_left(response.content.decode()) == []
    response = lv_client.post(url("batch_start", walked.public_id), follow=True)
    assert english_left(response.content.decode()) == []
    page = lv_client.get(url("participant_detail", walked.public_id, accepted.public_id)).content.decode()
    assert english_left(page) == []


def test_partner_country_list_and_names_are_latvian(lv_client, walked):
    page = lv_client.get(url("project_detail", walked.public_id)).content.decode()
    assert "Asociația Tinerilor (Rumānija)" in page
    select = re.search(r'<select name="country".*?</select>', page, re.S).group(0)
    assert '<option value="RO">Rumānija</option>' in select and "Romania" not in select
    assert '<option value="DE">Vācija</option>' in select and "Germany" not in select
    # the same form in English right after: the names follow each request's language, not the first one's
    lv_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = lv_client.get(url("project_detail", walked.public_id)).content.decode()
    assert '<option value="DE">Germany</option>' in english and "Asociația Tinerilor (Romania)" in english


def test_import_preview_names_roles_and_countries_in_latvian(lv_client, walked):
    rows = [["Vārds", "Uzvārds", "Valsts", "Loma"], ["Līga", "Ozoliņa", "Lietuva", "komandas pārstāvis"],
            ["Jānis", "Kalns", "DE", "participant"]]
    response = lv_client.post(url("import_upload", walked.public_id),
                              {"file": SimpleUploadedFile("t.xlsx", xlsx(rows))})
    page = visible_text(lv_client.get(response["Location"]).content.decode())
    assert "Līga Ozoliņa Lietuva komandas pārstāvis" in page and "Jānis Kalns Vācija dalībnieks" in page
    assert "team_member" not in page and " participant " not in page


def test_competence_descriptions_are_latvian_on_the_outcome_form(lv_client, walked, accepted, learner, make_user):
    lv_client.force_login(learner)
    page = lv_client.get(url("learner_outcomes", accepted.public_id)).content.decode()
    assert "Pārliecināta, kritiska un atbildīga digitālo tehnoloģiju izmantošana" in page
    assert "Mācīšanās rezultāti, kas neiekļaujas nevienā no iepriekš minētajām kompetencēm." in page
    assert "Confident, critical" not in page and "fits no competence" not in page


def test_ets_descriptions_are_latvian_for_a_team_member(lv_client, owner, walked, activity):
    member = services.participant_create(actor=owner, project=walked, activities=[activity], first_name="Eva",
                                         last_name="Kalna", role="team_member", country="LV", language="lv")
    page = lv_client.get(url("outcomes_on_behalf", walked.public_id, member.public_id)).content.decode()
    assert "Starpkultūru kompetence" in page
    assert "Spēja ar ziņkāri un cieņu izturēties pret kultūru daudzveidību" in page
    assert english_left(page) == []


def test_help_page_describes_the_ets_competences_in_latvian(lv_client, db):
    page = lv_client.get(reverse("help:youthpass_organisers")).content.decode()
    assert "Spēja aktīvi klausīties un skaidri un cieņpilni izteikties" in page and "projekta īstenotājs" in page
    assert english_left(page) == []


def test_the_429_page_is_latvian(lv_client, db):
    from django.test import RequestFactory
    from django.utils import translation

    from agnitio.core.views import too_many_requests

    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="lv")
    request.user = __import__("django.contrib.auth.models", fromlist=["AnonymousUser"]).AnonymousUser()
    with translation.override("lv"):
        response = too_many_requests(request)
    page = response.content.decode()
    assert response.status_code == 429 and "Pārāk daudz pieprasījumu" in page
    assert english_left(page) == []
