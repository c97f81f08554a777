"""Programmes, project types and the activity types each project type allows (DOMAIN D1 step 3, D2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Programme(models.TextChoices):
    ERASMUS_YOUTH = "erasmus_youth", _("Erasmus+ Youth")
    ESC = "esc", _("European Solidarity Corps")


class ProjectType(models.TextChoices):
    YOUTH_EXCHANGE = "youth_exchange", _("Youth exchanges")
    YOUTH_WORKERS = "youth_workers_mobility", _("Mobility of youth workers")
    YOUTH_PARTICIPATION = "youth_participation", _("Youth participation activities")
    DISCOVER_EU = "discover_eu_inclusion", _("DiscoverEU inclusion action")
    PARTNERSHIP = "partnership", _("Cooperation or small-scale partnership")
    VOLUNTEERING = "volunteering", _("Volunteering projects")
    VOLUNTEERING_TEAMS = "volunteering_teams", _("Volunteering teams in high-priority areas")
    HUMANITARIAN = "humanitarian_aid", _("Humanitarian Aid volunteering")
    SOLIDARITY = "solidarity_project", _("Solidarity projects")
    TRAINEESHIP_JOB = "traineeship_job", _("Traineeships and jobs")


class ActivityType(models.TextChoices):
    ADVANCE_PLANNING_VISIT = "advance_planning_visit", _("Advance planning visit")
    YOUTH_EXCHANGE = "youth_exchange", _("Youth exchange")
    TRAINING_COURSE = "training_course", _("Training course")
    SEMINAR = "seminar", _("Seminar")
    STUDY_VISIT = "study_visit", _("Study visit")
    JOB_SHADOWING = "job_shadowing", _("Job shadowing")
    NETWORKING = "networking_activity", _("Networking activity")
    YOUTH_PARTICIPATION = "youth_participation_activity", _("Youth participation activity")
    DISCOVER_EU = "discover_eu_activity", _("DiscoverEU inclusion activity")
    LEARNING_ACTIVITY = "learning_activity", _("Learning, teaching or training activity")
    INDIVIDUAL_VOLUNTEERING = "individual_volunteering", _("Individual volunteering")
    TEAM_VOLUNTEERING = "team_volunteering", _("Volunteering team")
    HUMANITARIAN_VOLUNTEERING = "humanitarian_volunteering", _("Humanitarian aid volunteering")
    SOLIDARITY_PROJECT = "solidarity_project", _("Solidarity project")
    TRAINEESHIP = "traineeship", _("Traineeship")
    JOB = "job", _("Job")


PROJECT_TYPES = {
    Programme.ERASMUS_YOUTH: [
        ProjectType.YOUTH_EXCHANGE, ProjectType.YOUTH_WORKERS, ProjectType.YOUTH_PARTICIPATION,
        ProjectType.DISCOVER_EU, ProjectType.PARTNERSHIP,
    ],
    Programme.ESC: [
        ProjectType.VOLUNTEERING, ProjectType.VOLUNTEERING_TEAMS, ProjectType.HUMANITARIAN,
        ProjectType.SOLIDARITY, ProjectType.TRAINEESHIP_JOB,
    ],
}

A = ActivityType
ACTIVITY_TYPES = {
    ProjectType.YOUTH_EXCHANGE: [A.YOUTH_EXCHANGE, A.ADVANCE_PLANNING_VISIT],
    ProjectType.YOUTH_WORKERS: [A.TRAINING_COURSE, A.SEMINAR, A.STUDY_VISIT, A.JOB_SHADOWING, A.NETWORKING,
                                A.ADVANCE_PLANNING_VISIT],
    ProjectType.YOUTH_PARTICIPATION: [A.YOUTH_PARTICIPATION, A.ADVANCE_PLANNING_VISIT],
    ProjectType.DISCOVER_EU: [A.DISCOVER_EU, A.ADVANCE_PLANNING_VISIT],
    ProjectType.PARTNERSHIP: [A.LEARNING_ACTIVITY, A.TRAINING_COURSE, A.SEMINAR],
    ProjectType.VOLUNTEERING: [A.INDIVIDUAL_VOLUNTEERING, A.TEAM_VOLUNTEERING, A.ADVANCE_PLANNING_VISIT],
    ProjectType.VOLUNTEERING_TEAMS: [A.TEAM_VOLUNTEERING, A.ADVANCE_PLANNING_VISIT],
    ProjectType.HUMANITARIAN: [A.HUMANITARIAN_VOLUNTEERING, A.ADVANCE_PLANNING_VISIT],
    ProjectType.SOLIDARITY: [A.SOLIDARITY_PROJECT],
    ProjectType.TRAINEESHIP_JOB: [A.TRAINEESHIP, A.JOB],
}

# Action codes of grant agreement numbers (part 4 of YYYY-R-CCNN-ACTION-FIELD-NNNNNNNNN) and what each is for.
# Erasmus+ 2021–2027 (youth field): KA151 accreditation-based mobility (youth exchanges, youth workers, youth
# participation), KA152 youth exchanges, KA153 youth workers, KA154 youth participation, KA155 DiscoverEU inclusion,
# KA210 small-scale and KA220 cooperation partnerships; Erasmus+ 2014–2020: KA105 mobility of young people and youth
# workers, KA347 youth dialogue, KA205 strategic partnerships, KA227 partnerships for creativity. European Solidarity
# Corps 2021–2027: ESC51 volunteering projects (individual volunteering and volunteering teams), ESC30 solidarity
# projects; 2018–2020: ESC11 volunteering projects, ESC12/ESC13 volunteering partnerships, ESC21 traineeships and
# jobs, ESC31 solidarity projects. Centrally managed calls (volunteering teams in high-priority areas, humanitarian
# aid) have EU grant numbers of another form; their organisations enter the national volunteering number.
ACTION_CODES = {
    "KA105": _("Erasmus+: mobility of young people and youth workers (2014–2020)"),
    "KA151": _("Erasmus+: accreditation-based youth mobility"),
    "KA152": _("Erasmus+: youth exchanges"),
    "KA153": _("Erasmus+: mobility of youth workers"),
    "KA154": _("Erasmus+: youth participation activities"),
    "KA155": _("Erasmus+: DiscoverEU inclusion action"),
    "KA205": _("Erasmus+: strategic partnerships in the field of youth (2014–2020)"),
    "KA210": _("Erasmus+: small-scale partnerships"),
    "KA220": _("Erasmus+: cooperation partnerships"),
    "KA227": _("Erasmus+: partnerships for creativity (2020)"),
    "KA347": _("Erasmus+: youth dialogue projects (2014–2020)"),
    "ESC11": _("European Solidarity Corps: volunteering projects (2018–2020)"),
    "ESC12": _("European Solidarity Corps: volunteering partnerships (2018–2020)"),
    "ESC13": _("European Solidarity Corps: volunteering partnerships (2018–2020)"),
    "ESC21": _("European Solidarity Corps: traineeships and jobs (2018–2020)"),
    "ESC30": _("European Solidarity Corps: solidarity projects"),
    "ESC31": _("European Solidarity Corps: solidarity projects (2018–2020)"),
    "ESC51": _("European Solidarity Corps: volunteering projects"),
}

# The action codes a grant agreement number may carry for each project type (the current code first).
PROJECT_ACTION_CODES = {
    ProjectType.YOUTH_EXCHANGE: ("KA152", "KA151", "KA105"),
    ProjectType.YOUTH_WORKERS: ("KA153", "KA151", "KA105"),
    ProjectType.YOUTH_PARTICIPATION: ("KA154", "KA151", "KA347"),
    ProjectType.DISCOVER_EU: ("KA155",),
    ProjectType.PARTNERSHIP: ("KA210", "KA220", "KA205", "KA227"),
    ProjectType.VOLUNTEERING: ("ESC51", "ESC11", "ESC12", "ESC13"),
    ProjectType.VOLUNTEERING_TEAMS: ("ESC51", "ESC11", "ESC12", "ESC13"),
    ProjectType.HUMANITARIAN: ("ESC51",),
    ProjectType.SOLIDARITY: ("ESC30", "ESC31"),
    ProjectType.TRAINEESHIP_JOB: ("ESC21",),
}

# Project types whose certificates carry the "Professional competences" section (D2).
PROFESSIONAL_PROJECT_TYPES = {ProjectType.TRAINEESHIP_JOB}


def project_types_for(programme: str) -> list[ProjectType]:
    return list(PROJECT_TYPES.get(programme, []))


def activity_types_for(project_type: str) -> list[ActivityType]:
    return list(ACTIVITY_TYPES.get(project_type, []))


def action_codes_for(project_type: str) -> tuple[str, ...]:
    return PROJECT_ACTION_CODES.get(project_type, ())


# In ESC jobs and traineeships (D2, seed 001) the person whose learning is recognised is a trainee ("stažieris") or an
# employee ("nodarbinātais"), by their activity; where the role is shown, it reads so instead of "participant".
TRAINEE = _("trainee")
EMPLOYEE = _("employee")
TRAINEE_OR_EMPLOYEE = _("trainee or employee")
PARTICIPANT_ROLE = "participant"  # models.Participant.Role.PARTICIPANT


def participant_role_label(role: str, label, project_type: str, activity_types=()) -> str:
    """How the role `role` (whose generic label is `label`) reads in a project of `project_type` for a person with
    activities of `activity_types`: in jobs and traineeships a participant is a trainee, an employee, or (with both
    or neither kind of activity) a trainee or employee."""
    if role != PARTICIPANT_ROLE or project_type != ProjectType.TRAINEESHIP_JOB:
        return str(label)
    kinds = set(activity_types)
    if kinds == {ActivityType.TRAINEESHIP}:
        return str(TRAINEE)
    if kinds == {ActivityType.JOB}:
        return str(EMPLOYEE)
    return str(TRAINEE_OR_EMPLOYEE)
