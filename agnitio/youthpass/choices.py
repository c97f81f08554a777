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

# Project types whose certificates carry the "Professional competences" section (D2).
PROFESSIONAL_PROJECT_TYPES = {ProjectType.TRAINEESHIP_JOB}


def project_types_for(programme: str) -> list[ProjectType]:
    return list(PROJECT_TYPES.get(programme, []))


def activity_types_for(project_type: str) -> list[ActivityType]:
    return list(ACTIVITY_TYPES.get(project_type, []))
