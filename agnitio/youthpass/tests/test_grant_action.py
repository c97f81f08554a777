"""Issue 11 point 4: a grant agreement number's action code must fit the project's programme and type."""

import pytest
from django.urls import reverse
from django.utils import translation

from agnitio.apikeys.services import api_token_create
from agnitio.core.errors import ApplicationError
from agnitio.youthpass import services
from agnitio.youthpass.choices import ACTION_CODES, PROJECT_ACTION_CODES, PROJECT_TYPES, ProjectType
from agnitio.youthpass.models import Project

PROGRAMME_OF = {t: p for p, types in PROJECT_TYPES.items() for t in types}


def number(action: str, serial: int = 1) -> str:
    return f"2024-1-LV02-{action}-YOU-{serial:09d}"


def test_every_project_type_has_action_codes_and_every_code_is_described():
    assert set(PROJECT_ACTION_CODES) == set(ProjectType)
    for project_type, codes in PROJECT_ACTION_CODES.items():
        assert codes, project_type
        assert all(code in ACTION_CODES for code in codes), project_type
        family = "KA" if PROGRAMME_OF[project_type] == "erasmus_youth" else "ESC"
        assert all(code.startswith(family) for code in codes), project_type  # never across programmes


def test_esc51_for_an_erasmus_youth_exchange_is_refused_naming_both(owner, organisation):
    with pytest.raises(ApplicationError) as info:
        services.project_create(actor=owner, organisation=organisation, grant_number=number("ESC51"),
                                programme="erasmus_youth", project_type="youth_exchange")
    assert info.value.code == "action"
    message = str(info.value)
    assert "ESC51" in message and "European Solidarity Corps: volunteering projects" in message
    assert "Youth exchanges" in message and "Erasmus+ Youth" in message and "KA152" in message
    assert not Project.objects.exists()


def test_ka152_for_esc_volunteering_is_refused_naming_both(owner, organisation):
    with pytest.raises(ApplicationError) as info:
        services.project_create(actor=owner, organisation=organisation, grant_number=number("KA152"),
                                programme="esc", project_type="volunteering")
    message = str(info.value)
    assert info.value.code == "action"
    assert "KA152" in message and "Erasmus+: youth exchanges" in message
    assert "Volunteering projects" in message and "European Solidarity Corps" in message and "ESC51" in message


def test_an_unknown_action_code_is_refused_with_the_codes_that_fit(owner, organisation):
    with pytest.raises(ApplicationError) as info:
        services.project_create(actor=owner, organisation=organisation, grant_number=number("KA999"),
                                programme="erasmus_youth", project_type="discover_eu_inclusion")
    assert info.value.code == "action" and "KA999" in str(info.value) and "KA155" in str(info.value)


def test_the_mismatch_message_is_in_latvian(owner, organisation):
    with translation.override("lv"), pytest.raises(ApplicationError) as info:
        services.project_create(actor=owner, organisation=organisation, grant_number=number("ESC51"),
                                programme="erasmus_youth", project_type="youth_exchange")
    message = str(info.value)
    assert "ESC51" in message and "KA152" in message
    assert "darbības kods" in message and "Jauniešu apmaiņas" in message


@pytest.mark.parametrize("project_type", list(ProjectType))
def test_every_fitting_code_is_accepted(owner, organisation, project_type):
    for serial, code in enumerate(PROJECT_ACTION_CODES[project_type], start=1):
        project = services.project_create(actor=owner, organisation=organisation, grant_number=number(code, serial),
                                          programme=PROGRAMME_OF[project_type], project_type=project_type)
        assert project.grant_number == number(code, serial)


def test_update_checks_a_changed_number_programme_or_type(owner, project):
    # the fixture project: KA153 for mobility of youth workers
    with pytest.raises(ApplicationError) as info:
        services.project_update(actor=owner, project=project, data={"project_type": "youth_exchange"})
    assert info.value.code == "action" and "KA153" in str(info.value)
    with pytest.raises(ApplicationError):
        services.project_update(actor=owner, project=project, data={"grant_number": number("KA152")})
    with pytest.raises(ApplicationError):
        services.project_update(actor=owner, project=project, data={"programme": "esc", "project_type": "volunteering"})
    project.refresh_from_db()
    assert project.project_type == "youth_workers_mobility" and "KA153" in project.grant_number
    # number and type changed together so that they fit: accepted
    services.project_update(actor=owner, project=project, data={"grant_number": number("KA152"),
                                                               "project_type": "youth_exchange"})
    project.refresh_from_db()
    assert project.grant_number == number("KA152") and project.project_type == "youth_exchange"


def test_an_existing_mismatching_project_still_opens_and_saves_its_other_fields(client, owner, organisation):
    """Projects saved before the check existed keep working: the action code is checked only when the number,
    programme or project type changes."""
    old = Project.objects.create(organisation=organisation, grant_number=number("ESC51"), programme="erasmus_youth",
                                 project_type="youth_exchange", created_by=owner)
    changes = services.project_update(actor=owner, project=old, data={
        "grant_number": old.grant_number.lower(), "programme": "erasmus_youth", "project_type": "youth_exchange",
        "title": "Vecais projekts"})
    assert changes == {"title": ["", "Vecais projekts"]}
    client.force_login(owner)
    assert client.get(reverse("youthpass:project_edit", args=[old.public_id])).status_code == 200


def test_web_form_shows_the_mismatch_at_the_number(client, owner, organisation):
    client.force_login(owner)
    response = client.post(reverse("youthpass:project_create"), {
        "grant_number": number("ESC51"), "programme": "erasmus_youth", "project_type": "youth_exchange"})
    assert response.status_code == 200 and not Project.objects.exists()
    form = response.context["form"]
    assert "ESC51" in " ".join(form.errors["grant_number"])


def test_api_refuses_the_mismatch_with_code_action(client, owner, organisation):
    token = api_token_create(actor=owner, name="test")[1]
    response = client.post("/api/v1/youthpass/projects", {
        "organisation": organisation.public_id, "grant_number": number("KA152"), "programme": "esc",
        "project_type": "volunteering"}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 400
    assert response.json()["code"] == "action" and "KA152" in response.json()["detail"]
    assert not Project.objects.exists()
